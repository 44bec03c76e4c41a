import { afterEach, describe, expect, it } from 'vitest';
import { basicAuth, eventually, startTestService, WRITE_KEY, type TestService } from './e2e/harness.js';

// Issue #5 through the whole product (ingestion, SQLite store, worker, executor, sandbox over loopback).

let service: TestService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

async function send(batch: readonly object[]): Promise<void> {
  const response = await fetch(`${service!.ingestUrl}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basicAuth(WRITE_KEY) },
    body: JSON.stringify({ batch }),
  });
  expect(response.status).toBe(200);
}

const at = (second: number): string => new Date(Date.UTC(2024, 0, 1, 0, 0, second)).toISOString();

/** Five identifies of one user in a row, a track, then one more identify. */
const identifyRun: readonly object[] = [
  ...[1, 2, 3, 4, 5].map((n) => ({
    type: 'identify',
    messageId: `run-i${n}`,
    userId: 'coalesce-1',
    timestamp: at(n),
    traits: { email: 'c1@example.com', step: n, ...(n === 2 ? { plan: 'team' } : {}) },
  })),
  { type: 'track', messageId: 'run-t1', userId: 'coalesce-1', event: 'Paid', timestamp: at(6) },
  { type: 'identify', messageId: 'run-i6', userId: 'coalesce-1', timestamp: at(7), traits: { step: 6 } },
];

async function contactWrites(bulk: boolean): Promise<{ writes: number; attributes: unknown }> {
  service = await startTestService(bulk ? { INTERCOM_IS_BULK_API_ENABLED: 'true' } : {});
  await send(identifyRun);
  const sandbox = service.sandbox!;
  const contact = await eventually(() => {
    const c = sandbox.state().contacts.find((x) => x.external_id === 'coalesce-1');
    return c?.custom_attributes['step'] === 6 && sandbox.state().events.length === 1 ? c : undefined;
  });
  const writes = sandbox
    .requests()
    .filter(
      (r) =>
        r.status < 300 &&
        (r.method === 'PUT' || r.method === 'POST') &&
        /^\/contacts(\/[^/]+)?$/.test(r.path) &&
        r.path !== '/contacts/search',
    );
  return { writes: writes.length, attributes: contact.custom_attributes };
}

describe('delivery frugality and pacing end to end (issue #5)', () => {
  it('isBulkAPIEnabled merges adjacent identifies of a user into one write, ending in the same contact', async () => {
    const merged = await contactWrites(true);
    await service?.close();
    service = undefined;
    const oneByOne = await contactWrites(false);
    expect(oneByOne.writes).toBe(6);
    expect(merged.writes).toBe(2); // the run of five, then the identify after the track
    expect(merged.attributes).toEqual(oneByOne.attributes);
    expect(merged.attributes).toMatchObject({ step: 6, plan: 'team' });
  });

  it('drains a backlog under a tight rate limit without a single 429', async () => {
    service = await startTestService({}, { rateLimit: { limit: 40, windowMs: 1_000 } });
    const users = 12;
    const batch: object[] = [];
    for (let u = 0; u < users; u += 1) {
      batch.push({
        type: 'identify',
        messageId: `p-i-${u}`,
        userId: `paced-${u}`,
        timestamp: at(0),
        traits: { email: `p${u}@example.com` },
      });
      for (let t = 0; t < 8; t += 1) {
        batch.push({
          type: 'track',
          messageId: `p-t-${u}-${t}`,
          userId: `paced-${u}`,
          event: `Step ${t % 2}`,
          timestamp: at(t + 1),
        });
      }
    }
    await send(batch);
    const sandbox = service.sandbox!;
    await eventually(
      () => (sandbox.state().events.length === users * 8 ? true : undefined),
      60_000,
      'all tracks',
    );
    const log = sandbox.requests();
    expect(log.filter((r) => r.status === 429)).toEqual([]);
    expect(log.length).toBeGreaterThan(40 * 2); // more than two windows' worth: the limit was really in play
  });
});
