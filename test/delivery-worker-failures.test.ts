import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../src/clock/manual-clock.js';
import type { SqliteJobStore } from '../src/delivery/store/sqlite/sqlite-store.js';
import type { WorkerLogger } from '../src/delivery/worker/worker-options.js';
import type { SegmentEvent } from '../src/segment/event.js';
import {
  HOUR,
  T0,
  incoming,
  openWorkerFixture,
  track,
  type FakeIntercom,
  type WorkerFixture,
} from './delivery-worker-fixture.js';

// L-1 and L-2 through the worker: every failed attempt classified, logged once at warn, repeats of a
// lane collapsed, and transient failures bounded by the retry horizon.

let fixture: WorkerFixture;
let store: SqliteJobStore;
let clock: ManualClock;
let intercom: FakeIntercom;

beforeEach(() => {
  fixture = openWorkerFixture();
  ({ store, clock, intercom } = fixture);
});

afterEach(() => fixture.close());

interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** A logger that keeps every line. */
function capture(): { logger: WorkerLogger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (fields: object, message: string) =>
    void lines.push({ level, fields: { ...fields }, message });
  return { logger: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

const failureLines = (lines: readonly LogLine[]) =>
  lines.filter((l) => l.message === 'delivery attempt failed');

/** An identify carrying personal data that must never reach a log. */
function identifyWithTraits(messageId: string, userId: string): SegmentEvent {
  return {
    type: 'identify',
    messageId,
    userId,
    traits: { email: `${userId}@private.example`, plan: 'secret-plan-value' },
    timestamp: '2024-05-01T12:00:00.000Z',
  };
}

describe('failed attempts in the log (L-2)', () => {
  it('L-2 each class’s failed attempt is logged once at warn with its class and decision, without personal data', async () => {
    intercom.users.add('rate').add('token').add('perm');
    intercom.failures.set('t1', [
      { kind: 'http', status: 503, code: 'service_unavailable', requestId: 'req-1' },
    ]);
    intercom.failures.set('r1', [{ kind: 'http', status: 429, code: 'rate_limit_exceeded' }]);
    intercom.failures.set('k1', [
      { kind: 'http', status: 401, code: 'unauthorized', message: 'Access Token Invalid' },
    ]);
    intercom.failures.set('p1', [{ kind: 'identity_conflict', status: 409, contactId: 'c5', message: 'x' }]);
    await store.enqueue([
      incoming(identifyWithTraits('t1', 'grace'), 'd-transient'),
      incoming(track('r1', 'rate'), 'd-rate'),
      incoming(track('k1', 'token'), 'd-token'),
      incoming(track('w1', 'nobody-yet'), 'd-wait'),
      incoming(identifyWithTraits('p1', 'perm'), 'd-perm'),
    ]);
    const { logger, lines } = capture();
    await fixture.worker({ logger }).runOnce();

    const byDestination = new Map(failureLines(lines).map((l) => [l.fields['destinationId'], l]));
    expect(failureLines(lines).every((l) => l.level === 'warn')).toBe(true);
    expect(byDestination.size).toBe(5);
    expect(byDestination.get('d-transient')?.fields).toEqual({
      destinationId: 'd-transient',
      jobId: 1,
      eventType: 'identify',
      attempt: 1,
      failureClass: 'transient',
      decision: 'retry',
      status: 503,
      code: 'service_unavailable',
      requestId: 'req-1',
      nextAttemptAt: new Date(T0 + 500).toISOString(),
      repeats: 0,
    });
    expect(byDestination.get('d-rate')?.fields).toMatchObject({
      failureClass: 'rate_limited',
      decision: 'rate_limited',
      status: 429,
      nextAttemptAt: new Date(T0 + 10_000).toISOString(),
    });
    expect(byDestination.get('d-token')?.fields).toMatchObject({
      failureClass: 'token_rejected',
      decision: 'paused',
      reason: 'unauthorized',
      status: 401,
    });
    expect(byDestination.get('d-wait')?.fields).toMatchObject({
      failureClass: 'waiting_for_identity',
      decision: 'parked',
      status: 404,
      eventType: 'track',
    });
    expect(byDestination.get('d-perm')?.fields).toMatchObject({
      failureClass: 'permanent',
      decision: 'dead',
      reason: 'identity_conflict',
      status: 409,
      code: 'identity_conflict',
    });
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/private\.example|secret-plan-value|grace|Access Token Invalid/);
  });

  it('L-2 repeats of the same failure on a lane collapse to one line a minute with a count', async () => {
    const serverError = { kind: 'http', status: 503 } as const;
    intercom.users.add('a');
    intercom.failures.set(
      'a1',
      Array.from({ length: 5 }, () => serverError),
    );
    await store.enqueue([incoming(track('a1', 'a'))]);
    const { logger, lines } = capture();
    const worker = fixture.worker({ logger });
    await worker.runOnce(); // failure 1: written
    for (let i = 0; i < 4; i += 1) {
      clock.advance(20_000); // failures 2 and 3 held; 4 (a minute after the first line) written; 5 held
      await worker.runOnce();
    }
    expect(failureLines(lines).map((l) => [l.fields['attempt'], l.fields['repeats']])).toEqual([
      [1, 0],
      [4, 2],
    ]);
    clock.advance(20_000);
    await worker.runOnce(); // delivered: the one held failure is counted in a last line
    expect(intercom.delivered).toEqual(['a1']);
    expect(lines.at(-1)).toMatchObject({
      level: 'info',
      message: 'delivered after failures that were not logged one by one',
      fields: { destinationId: 'dest-1', jobId: 1, repeats: 1 },
    });
  });
});

describe('the retry horizon (L-1)', () => {
  it('L-1 a transient failure past the horizon is dead with retry_horizon_passed (manual clock)', async () => {
    intercom.users.add('a');
    intercom.failures.set(
      'a1',
      Array.from({ length: 500 }, () => ({ kind: 'http', status: 502 }) as const),
    );
    await store.enqueue([incoming(track('a1', 'a'))]);
    const worker = fixture.worker();
    await worker.runOnce();
    clock.advance(71 * HOUR);
    await worker.runOnce();
    expect(await store.listDeadLetters({ limit: 10 })).toEqual([]);
    clock.advance(HOUR);
    await worker.runOnce();
    const [dead] = await store.listDeadLetters({ limit: 10 });
    expect(dead).toMatchObject({ messageId: 'a1', reason: 'retry_horizon_passed', status: 502 });
    expect(dead?.attempts.map((a) => a.failureClass)).toEqual(['transient', 'transient', 'transient']);
  });

  it('L-1 a destination’s own retryHorizonHours bounds its retries', async () => {
    intercom.users.add('a');
    intercom.failures.set(
      'a1',
      Array.from({ length: 5 }, () => ({ kind: 'timeout', timeoutMs: 20_000 }) as const),
    );
    await store.enqueue([incoming(track('a1', 'a'))]);
    const target = intercom.target({ retryHorizonMs: HOUR });
    const worker = fixture.worker({ destinations: () => target });
    await worker.runOnce();
    clock.advance(HOUR);
    await worker.runOnce();
    expect(await store.listDeadLetters({ limit: 10 })).toMatchObject([
      { reason: 'retry_horizon_passed', message: 'timed out after 20000 ms' },
    ]);
  });

  it('C-IDN-4 an identity conflict is dead at once, after one attempt, and its lane moves on', async () => {
    intercom.users.add('a');
    intercom.failures.set('a1', [{ kind: 'identity_conflict', status: 409, contactId: 'c5', message: 'm' }]);
    await store.enqueue([incoming(track('a1', 'a')), incoming(track('a2', 'a'))]);
    const worker = fixture.worker();
    await worker.runOnce();
    await worker.runOnce();
    expect(await store.listDeadLetters({ limit: 10 })).toMatchObject([
      {
        messageId: 'a1',
        reason: 'identity_conflict',
        status: 409,
        attempts: [{ failureClass: 'permanent' }],
      },
    ]);
    expect(intercom.delivered).toEqual(['a2']);
  });
});
