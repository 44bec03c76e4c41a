import { describe, expect, it } from 'vitest';
import type { IntercomFailure } from '../../intercom/outcome.js';
import type { ClaimedJob } from '../store/job.js';
import { failedAttemptLine, type FailureDecision } from './failure-log.js';

const T0 = Date.parse('2024-05-01T12:00:00.000Z');

const job: ClaimedJob = {
  kind: 'event',
  replayed: false,
  seq: 42,
  sourceId: 's',
  messageId: 'm',
  destinationId: 'acme',
  laneKey: 'e:ann@example.com',
  event: {
    type: 'identify',
    messageId: 'm',
    traits: { email: 'ann@example.com' },
    timestamp: '2024-05-01T12:00:00.000Z',
  },
  receivedAt: '2024-05-01T12:00:00.000Z',
  status: 'pending',
  attempts: 2,
  history: [],
  lockedBy: 'w',
  lockedUntilMs: T0,
};

const cases: readonly {
  name: string;
  decision: FailureDecision;
  failure: IntercomFailure | undefined;
  expected: Record<string, unknown>;
}[] = [
  {
    name: 'a network error by its code only',
    decision: { kind: 'retry', atMs: T0 + 1_000, failureClass: 'transient' },
    failure: { kind: 'network', message: 'ECONNRESET: other side closed by ann@example.com' },
    expected: { code: 'ECONNRESET', nextAttemptAt: '2024-05-01T12:00:01.000Z' },
  },
  {
    name: 'a network error without a code',
    decision: { kind: 'retry', atMs: T0, failureClass: 'transient' },
    failure: { kind: 'network', message: 'request failed' },
    expected: { code: 'network' },
  },
  {
    name: 'a timeout',
    decision: { kind: 'dead', reason: 'retry_horizon_passed', failureClass: 'transient' },
    failure: { kind: 'timeout', timeoutMs: 20_000 },
    expected: { code: 'timeout', reason: 'retry_horizon_passed', decision: 'dead' },
  },
  {
    name: 'an HTTP answer without its message',
    decision: { kind: 'dead', reason: 'rejected', status: 400, failureClass: 'permanent' },
    failure: {
      kind: 'http',
      status: 400,
      code: 'parameter_invalid',
      message: 'Invalid email ann@example.com',
    },
    expected: { status: 400, code: 'parameter_invalid', reason: 'rejected' },
  },
  {
    name: 'an event that could not be mapped',
    decision: { kind: 'dead', reason: 'mapping_failed', failureClass: 'permanent', message: 'TypeError' },
    failure: undefined,
    expected: { reason: 'mapping_failed', failureClass: 'permanent' },
  },
];

describe('failedAttemptLine (L-2)', () => {
  for (const c of cases) {
    it(`L-2 logs ${c.name}, never the lane key, Intercom's message or personal data`, () => {
      const line = failedAttemptLine(job, c.decision, c.failure, 3);
      expect(line).toMatchObject({
        destinationId: 'acme',
        jobId: 42,
        eventType: 'identify',
        attempt: 3,
        repeats: 3,
      });
      expect(line).toMatchObject(c.expected);
      expect(JSON.stringify(line)).not.toMatch(/ann@example\.com|Invalid email|other side/);
    });
  }
});
