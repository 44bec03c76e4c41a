import { describe, expect, it } from 'vitest';
import type { ExecutionOutcome, IntercomFailure } from '../../intercom/outcome.js';
import type { Operation } from '../../intercom/operations.js';
import type { AttemptState, Decision } from './policy.js';
import { DEFAULT_DELIVERY_POLICY, decide } from './policy.js';

const NOW = 1_714_564_800_000; // 2024-05-01T12:00:00Z
const HOUR = 60 * 60_000;
const fresh: AttemptState = { attempt: 1, firstAttemptAtMs: NOW };
const half = (): number => 0.5;

function failed(failure: IntercomFailure, operation: Operation['kind'] = 'upsert_contact'): ExecutionOutcome {
  return { kind: 'failed', calls: 1, operation, failure, notes: [] };
}

function http(
  status: number,
  extra: Partial<Extract<IntercomFailure, { kind: 'http' }>> = {},
): IntercomFailure {
  return { kind: 'http', status, ...extra };
}

const cases: ReadonlyArray<{
  name: string;
  outcome: ExecutionOutcome;
  state?: AttemptState;
  expected: Decision;
}> = [
  {
    name: 'delivered → done',
    outcome: { kind: 'delivered', calls: 1, notes: [] },
    expected: { kind: 'done' },
  },
  {
    name: 'issue #5 row other-400/422: 400 parameter_invalid → dead with Intercom code and message',
    outcome: failed(http(400, { code: 'parameter_invalid', message: 'Invalid email' })),
    expected: {
      kind: 'dead',
      reason: 'rejected',
      status: 400,
      code: 'parameter_invalid',
      message: 'Invalid email',
    },
  },
  {
    name: 'issue #5 row other-400/422: 422 data_invalid → dead',
    outcome: failed(http(422, { code: 'data_invalid' })),
    expected: { kind: 'dead', reason: 'rejected', status: 422, code: 'data_invalid' },
  },
  {
    name: '404 company_not_found on attach is not C-RACE-2 → dead',
    outcome: failed(http(404, { code: 'company_not_found' }), 'attach_company'),
    expected: { kind: 'dead', reason: 'rejected', status: 404, code: 'company_not_found' },
  },
  {
    name: 'issue #5 row 401/403: 401 → pause the destination, nothing dead-lettered',
    outcome: failed(http(401, { code: 'unauthorized', message: 'Access Token Invalid' })),
    expected: {
      kind: 'paused',
      reason: 'unauthorized',
      code: 'unauthorized',
      message: 'Access Token Invalid',
    },
  },
  {
    name: 'issue #5 row 401/403: 403 → pause the destination',
    outcome: failed(http(403, { code: 'api_plan_restricted' })),
    expected: { kind: 'paused', reason: 'forbidden', code: 'api_plan_restricted' },
  },
  {
    name: 'issue #5 row track-404: C-RACE-2 track 404 user not found → parked with the user-not-found backoff',
    outcome: failed(http(404, { code: 'not_found', message: 'User Not Found' }), 'submit_event'),
    expected: { kind: 'parked', atMs: NOW + 2_500 },
  },
  {
    name: 'issue #5 row track-404: C-RACE-2 track 404 after the 1 h bound → dead user_not_found',
    outcome: failed(http(404, { code: 'not_found', message: 'User Not Found' }), 'submit_event'),
    state: { attempt: 9, firstAttemptAtMs: NOW - HOUR },
    expected: {
      kind: 'dead',
      reason: 'user_not_found',
      status: 404,
      code: 'not_found',
      message: 'User Not Found',
    },
  },
  {
    name: 'issue #5 row 429: 429 → rate_limited until X-RateLimit-Reset',
    outcome: failed(http(429, { rateLimit: { limit: 167, remaining: 0, resetAtSeconds: NOW / 1000 + 7 } })),
    expected: { kind: 'rate_limited', untilMs: NOW + 7_000 },
  },
  {
    name: 'issue #5 row 429: 429 without headers → rate_limited for one 10 s window',
    outcome: failed(http(429, { code: 'rate_limit_exceeded' })),
    expected: { kind: 'rate_limited', untilMs: NOW + 10_000 },
  },
  {
    name: 'issue #5 row 429: 429 with a reset already past → short minimum pause',
    outcome: failed(http(429, { rateLimit: { limit: 167, remaining: 0, resetAtSeconds: NOW / 1000 - 30 } })),
    expected: { kind: 'rate_limited', untilMs: NOW + 1_000 },
  },
  {
    name: 'issue #5 row 429: 429 with a reset far away → capped pause',
    outcome: failed(
      http(429, { rateLimit: { limit: 167, remaining: 0, resetAtSeconds: NOW / 1000 + 86_400 } }),
    ),
    expected: { kind: 'rate_limited', untilMs: NOW + 60_000 },
  },
  {
    name: 'issue #5 row 429: 429 is not bounded by age (not counted as an attempt)',
    outcome: failed(http(429)),
    state: { attempt: 500, firstAttemptAtMs: NOW - 48 * HOUR },
    expected: { kind: 'rate_limited', untilMs: NOW + 10_000 },
  },
  {
    name: 'issue #5 row 5xx/timeout/connection: 500 → retry with backoff',
    outcome: failed(http(500)),
    expected: { kind: 'retry', atMs: NOW + 500 },
  },
  {
    name: 'issue #5 row 5xx/timeout/connection: 503 on a later attempt → longer backoff',
    outcome: failed(http(503)),
    state: { attempt: 4, firstAttemptAtMs: NOW - 60_000 },
    expected: { kind: 'retry', atMs: NOW + 4_000 },
  },
  {
    name: '408 request timeout → retry',
    outcome: failed(http(408)),
    expected: { kind: 'retry', atMs: NOW + 500 },
  },
  {
    name: 'issue #5 row 409 (handled in the executor; if it still surfaces): 409 conflict → retry',
    outcome: failed(http(409, { code: 'conflict' })),
    expected: { kind: 'retry', atMs: NOW + 500 },
  },
  {
    name: 'issue #5 row 5xx/timeout/connection: timeout → retry',
    outcome: failed({ kind: 'timeout', timeoutMs: 10_000 }),
    expected: { kind: 'retry', atMs: NOW + 500 },
  },
  {
    name: 'issue #5 row 5xx/timeout/connection: connection error → retry',
    outcome: failed({ kind: 'network', message: 'ECONNRESET' }),
    expected: { kind: 'retry', atMs: NOW + 500 },
  },
  {
    name: 'issue #5 row 5xx/timeout/connection: 5xx past the 24 h maximum age → dead max_age_exceeded',
    outcome: failed(http(502, { code: 'server_error' })),
    state: { attempt: 150, firstAttemptAtMs: NOW - 24 * HOUR },
    expected: { kind: 'dead', reason: 'max_age_exceeded', status: 502, code: 'server_error' },
  },
  {
    name: 'issue #5 row 5xx/timeout/connection: network errors past the maximum age → dead with a description',
    outcome: failed({ kind: 'timeout', timeoutMs: 10_000 }),
    state: { attempt: 150, firstAttemptAtMs: NOW - 25 * HOUR },
    expected: { kind: 'dead', reason: 'max_age_exceeded', message: 'timed out after 10000 ms' },
  },
  {
    name: 'issue #5 row missing-attribute (handled in the executor; if it still surfaces) → dead with the code',
    outcome: failed(
      http(400, { code: 'parameter_invalid', message: "Custom attribute 'tier' does not exist" }),
    ),
    expected: {
      kind: 'dead',
      reason: 'rejected',
      status: 400,
      code: 'parameter_invalid',
      message: "Custom attribute 'tier' does not exist",
    },
  },
  {
    name: 'issue #5 row 404-cached-id (handled in the executor; if it still surfaces) → dead, not parked',
    outcome: failed(http(404, { code: 'not_found', message: 'User Not Found' }), 'upsert_contact'),
    expected: { kind: 'dead', reason: 'rejected', status: 404, code: 'not_found', message: 'User Not Found' },
  },
  {
    name: 'issue #5 row 410 (handled in the executor; if it still surfaces) → dead',
    outcome: failed(http(410, { code: 'gone' })),
    expected: { kind: 'dead', reason: 'rejected', status: 410, code: 'gone' },
  },
  {
    name: 'C-TR-6 a new event name past the workspace limit → dead event_name_limit_exceeded',
    outcome: failed(http(400, { code: 'event_name_limit_exceeded', message: 'limit' }), 'submit_event'),
    expected: {
      kind: 'dead',
      reason: 'event_name_limit_exceeded',
      status: 400,
      code: 'event_name_limit_exceeded',
      message: 'limit',
    },
  },
];

describe('decide (issue #5 retry policy)', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(decide(c.outcome, c.state ?? fresh, NOW, half)).toEqual(c.expected);
    });
  }

  it('uses the injected policy bounds', () => {
    const policy = { ...DEFAULT_DELIVERY_POLICY, maxAgeMs: 1_000 };
    const decision = decide(
      failed(http(500)),
      { attempt: 2, firstAttemptAtMs: NOW - 1_000 },
      NOW,
      half,
      policy,
    );
    expect(decision).toEqual({ kind: 'dead', reason: 'max_age_exceeded', status: 500 });
  });

  it('uses the injected random for jitter', () => {
    const low = decide(failed(http(500)), fresh, NOW, () => 0);
    const high = decide(failed(http(500)), fresh, NOW, () => 0.9);
    expect(low).toEqual({ kind: 'retry', atMs: NOW });
    expect(high).toEqual({ kind: 'retry', atMs: NOW + 900 });
  });
});
