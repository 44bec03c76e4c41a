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
    name: 'L-1 permanent: 400 parameter_invalid → dead rejected at once, with Intercom code and message',
    outcome: failed(http(400, { code: 'parameter_invalid', message: 'Invalid email' })),
    expected: {
      kind: 'dead',
      reason: 'rejected',
      status: 400,
      code: 'parameter_invalid',
      message: 'Invalid email',
      failureClass: 'permanent',
    },
  },
  {
    name: 'L-1 permanent: 422 data_invalid → dead rejected',
    outcome: failed(http(422, { code: 'data_invalid' })),
    expected: {
      kind: 'dead',
      reason: 'rejected',
      status: 422,
      code: 'data_invalid',
      failureClass: 'permanent',
    },
  },
  {
    name: 'L-1 permanent: 404 company_not_found on attach is not C-RACE-2 → dead',
    outcome: failed(http(404, { code: 'company_not_found' }), 'attach_company'),
    expected: {
      kind: 'dead',
      reason: 'rejected',
      status: 404,
      code: 'company_not_found',
      failureClass: 'permanent',
    },
  },
  {
    name: 'L-1 token rejected: 401 → pause the destination, nothing dead-lettered',
    outcome: failed(http(401, { code: 'unauthorized', message: 'Access Token Invalid' })),
    expected: {
      kind: 'paused',
      reason: 'unauthorized',
      code: 'unauthorized',
      message: 'Access Token Invalid',
      failureClass: 'token_rejected',
    },
  },
  {
    name: 'L-1 token rejected: 403 → pause the destination',
    outcome: failed(http(403, { code: 'api_plan_restricted' })),
    expected: {
      kind: 'paused',
      reason: 'forbidden',
      code: 'api_plan_restricted',
      failureClass: 'token_rejected',
    },
  },
  {
    name: 'L-1 waiting for identity: C-RACE-2 track 404 user not found → parked with the user-not-found backoff',
    outcome: failed(http(404, { code: 'not_found', message: 'User Not Found' }), 'submit_event'),
    expected: { kind: 'parked', atMs: NOW + 2_500, failureClass: 'waiting_for_identity' },
  },
  {
    name: 'L-1 waiting for identity: C-RACE-2 track 404 after the 1 h bound → dead user_not_found',
    outcome: failed(http(404, { code: 'not_found', message: 'User Not Found' }), 'submit_event'),
    state: { attempt: 9, firstAttemptAtMs: NOW - HOUR },
    expected: {
      kind: 'dead',
      reason: 'user_not_found',
      status: 404,
      code: 'not_found',
      message: 'User Not Found',
      failureClass: 'waiting_for_identity',
    },
  },
  {
    name: 'L-1 rate limited: 429 → rate_limited until X-RateLimit-Reset',
    outcome: failed(http(429, { rateLimit: { limit: 167, remaining: 0, resetAtSeconds: NOW / 1000 + 7 } })),
    expected: { kind: 'rate_limited', untilMs: NOW + 7_000, failureClass: 'rate_limited' },
  },
  {
    name: 'L-1 rate limited: 429 without headers → rate_limited for one 10 s window',
    outcome: failed(http(429, { code: 'rate_limit_exceeded' })),
    expected: { kind: 'rate_limited', untilMs: NOW + 10_000, failureClass: 'rate_limited' },
  },
  {
    name: 'L-1 rate limited: 429 with a reset already past → short minimum pause',
    outcome: failed(http(429, { rateLimit: { limit: 167, remaining: 0, resetAtSeconds: NOW / 1000 - 30 } })),
    expected: { kind: 'rate_limited', untilMs: NOW + 1_000, failureClass: 'rate_limited' },
  },
  {
    name: 'L-1 rate limited: 429 with a reset far away → capped pause',
    outcome: failed(
      http(429, { rateLimit: { limit: 167, remaining: 0, resetAtSeconds: NOW / 1000 + 86_400 } }),
    ),
    expected: { kind: 'rate_limited', untilMs: NOW + 60_000, failureClass: 'rate_limited' },
  },
  {
    name: 'L-1 rate limited: 429 has no horizon (not counted as an attempt)',
    outcome: failed(http(429)),
    state: { attempt: 500, firstAttemptAtMs: NOW - 48 * HOUR },
    expected: { kind: 'rate_limited', untilMs: NOW + 10_000, failureClass: 'rate_limited' },
  },
  {
    name: 'L-1 transient: 500 → retry with backoff',
    outcome: failed(http(500)),
    expected: { kind: 'retry', atMs: NOW + 500, failureClass: 'transient' },
  },
  {
    name: 'L-1 transient: 503 on a later attempt → longer backoff',
    outcome: failed(http(503)),
    state: { attempt: 4, firstAttemptAtMs: NOW - 60_000 },
    expected: { kind: 'retry', atMs: NOW + 4_000, failureClass: 'transient' },
  },
  {
    name: 'L-1 transient: 408 request timeout → retry',
    outcome: failed(http(408)),
    expected: { kind: 'retry', atMs: NOW + 500, failureClass: 'transient' },
  },
  {
    name: 'L-1 transient: a 409 the executor could not resolve (search lag) → retry',
    outcome: failed(http(409, { code: 'conflict' })),
    expected: { kind: 'retry', atMs: NOW + 500, failureClass: 'transient' },
  },
  {
    name: 'L-1 transient: timeout → retry',
    outcome: failed({ kind: 'timeout', timeoutMs: 10_000 }),
    expected: { kind: 'retry', atMs: NOW + 500, failureClass: 'transient' },
  },
  {
    name: 'L-1 transient: connection error → retry',
    outcome: failed({ kind: 'network', message: 'ECONNRESET' }),
    expected: { kind: 'retry', atMs: NOW + 500, failureClass: 'transient' },
  },
  {
    name: 'L-1 transient: a 5xx 24 h after the first attempt is still retried (the horizon is 72 h)',
    outcome: failed(http(502, { code: 'server_error' })),
    state: { attempt: 150, firstAttemptAtMs: NOW - 24 * HOUR },
    expected: { kind: 'retry', atMs: NOW + 5 * 60_000, failureClass: 'transient' },
  },
  {
    name: 'L-1 transient: a 5xx 72 h after the first attempt → dead retry_horizon_passed',
    outcome: failed(http(502, { code: 'server_error' })),
    state: { attempt: 150, firstAttemptAtMs: NOW - 72 * HOUR },
    expected: {
      kind: 'dead',
      reason: 'retry_horizon_passed',
      status: 502,
      code: 'server_error',
      failureClass: 'transient',
    },
  },
  {
    name: 'L-1 transient: timeouts past the horizon → dead retry_horizon_passed with a description',
    outcome: failed({ kind: 'timeout', timeoutMs: 10_000 }),
    state: { attempt: 150, firstAttemptAtMs: NOW - 73 * HOUR },
    expected: {
      kind: 'dead',
      reason: 'retry_horizon_passed',
      message: 'timed out after 10000 ms',
      failureClass: 'transient',
    },
  },
  {
    name: 'L-1 permanent: C-IDN-4 a 409 naming a contact with another external_id → dead identity_conflict at once',
    outcome: failed({
      kind: 'identity_conflict',
      status: 409,
      contactId: 'c5',
      message: 'naming contact c5',
    }),
    expected: {
      kind: 'dead',
      reason: 'identity_conflict',
      status: 409,
      message: 'naming contact c5',
      failureClass: 'permanent',
    },
  },
  {
    name: 'L-1 permanent: an answer that is not what Intercom documents → dead rejected',
    outcome: failed(http(200, { code: 'invalid_response', message: 'body is not a contact' })),
    expected: {
      kind: 'dead',
      reason: 'rejected',
      status: 200,
      code: 'invalid_response',
      message: 'body is not a contact',
      failureClass: 'permanent',
    },
  },
  {
    name: 'L-1 permanent: a missing attribute the executor could not create → dead with the code',
    outcome: failed(
      http(400, { code: 'parameter_invalid', message: "Custom attribute 'tier' does not exist" }),
    ),
    expected: {
      kind: 'dead',
      reason: 'rejected',
      status: 400,
      code: 'parameter_invalid',
      message: "Custom attribute 'tier' does not exist",
      failureClass: 'permanent',
    },
  },
  {
    name: 'L-1 permanent: a 404 on a contact write (the executor already resolved again) → dead, not parked',
    outcome: failed(http(404, { code: 'not_found', message: 'User Not Found' }), 'upsert_contact'),
    expected: {
      kind: 'dead',
      reason: 'rejected',
      status: 404,
      code: 'not_found',
      message: 'User Not Found',
      failureClass: 'permanent',
    },
  },
  {
    name: 'L-1 permanent: a 410 past the merge hops → dead',
    outcome: failed(http(410, { code: 'gone' })),
    expected: { kind: 'dead', reason: 'rejected', status: 410, code: 'gone', failureClass: 'permanent' },
  },
  {
    name: 'L-1 permanent: C-TR-6 a new event name past the workspace limit → dead event_name_limit_exceeded',
    outcome: failed(http(400, { code: 'event_name_limit_exceeded', message: 'limit' }), 'submit_event'),
    expected: {
      kind: 'dead',
      reason: 'event_name_limit_exceeded',
      status: 400,
      code: 'event_name_limit_exceeded',
      message: 'limit',
      failureClass: 'permanent',
    },
  },
];

describe('decide: the L-1 failure classes and their decisions', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(decide(c.outcome, c.state ?? fresh, NOW, half)).toEqual(c.expected);
    });
  }

  it('L-1 uses the injected retry horizon', () => {
    const policy = { ...DEFAULT_DELIVERY_POLICY, retryHorizonMs: 1_000 };
    const decision = decide(
      failed(http(500)),
      { attempt: 2, firstAttemptAtMs: NOW - 1_000 },
      NOW,
      half,
      policy,
    );
    expect(decision).toEqual({
      kind: 'dead',
      reason: 'retry_horizon_passed',
      status: 500,
      failureClass: 'transient',
    });
  });

  it('uses the injected random for jitter', () => {
    const low = decide(failed(http(500)), fresh, NOW, () => 0);
    const high = decide(failed(http(500)), fresh, NOW, () => 0.9);
    expect(low).toEqual({ kind: 'retry', atMs: NOW, failureClass: 'transient' });
    expect(high).toEqual({ kind: 'retry', atMs: NOW + 900, failureClass: 'transient' });
  });
});
