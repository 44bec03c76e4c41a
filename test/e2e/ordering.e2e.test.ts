import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_DELIVERY_POLICY } from '../../src/delivery/worker/policy.js';
import { basicAuth, eventually, startTestService, WRITE_KEY, type TestService } from './harness.js';

let service: TestService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

async function postBatch(url: string, batch: readonly object[]): Promise<void> {
  const response = await fetch(`${url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basicAuth(WRITE_KEY) },
    body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
  });
  expect(response.status).toBe(200);
}

describe('per-user order (C-RACE-1, C-RACE-2)', () => {
  it('C-RACE-1: delivers each user’s events in the order received, across many interleaved users', async () => {
    service = await startTestService();
    const users = 12;
    const steps = 6;
    const batch: object[] = [];
    for (let u = 0; u < users; u += 1) {
      batch.push({
        type: 'identify',
        messageId: `id-${u}`,
        userId: `u${u}`,
        traits: { email: `u${u}@example.com` },
      });
    }
    for (let step = 0; step < steps; step += 1) {
      for (let u = 0; u < users; u += 1) {
        batch.push({
          type: 'track',
          messageId: `t-${u}-${step}`,
          userId: `u${u}`,
          event: `Step ${step}`,
          timestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, step)).toISOString(),
        });
      }
    }
    await postBatch(service.ingestUrl, batch);
    const sandbox = service.sandbox!;
    await eventually(
      () => (sandbox.state().events.length === users * steps ? true : undefined),
      20_000,
      'all tracks',
    );
    for (let u = 0; u < users; u += 1) {
      const names = sandbox
        .state()
        .events.filter((e) => e.user_id === `u${u}`)
        .map((e) => e.event_name);
      expect(names).toEqual(Array.from({ length: steps }, (_, i) => `Step ${i}`));
    }
    expect(sandbox.violations()).toEqual([]);
  });

  it('C-RACE-2: a track received before its identify is delivered right after it and never holds it back', async () => {
    service = await startTestService();
    await postBatch(service.ingestUrl, [
      {
        type: 'track',
        messageId: 'early-track',
        userId: 'late-user',
        event: 'Clicked Early',
        timestamp: '2024-02-01T00:00:00Z',
      },
      {
        type: 'identify',
        messageId: 'late-identify',
        userId: 'late-user',
        traits: { email: 'late@example.com' },
      },
      {
        type: 'track',
        messageId: 'after-track',
        userId: 'late-user',
        event: 'Clicked After',
        timestamp: '2024-02-01T00:00:01Z',
      },
    ]);
    const sandbox = service.sandbox!;
    // The parked track's own retry timer starts at 5 s: delivery well before that proves the identify unparked it.
    const started = Date.now();
    await eventually(() => (sandbox.state().events.length === 2 ? true : undefined), 4_000, 'both tracks');
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(sandbox.state().events.map((e) => e.event_name)).toEqual(['Clicked Early', 'Clicked After']);

    const log = sandbox.requests();
    const created = log.findIndex((r) => r.method === 'POST' && r.path === '/contacts' && r.status === 200);
    const firstAccepted = log.findIndex(
      (r) => r.method === 'POST' && r.path === '/events' && r.status === 202,
    );
    const rejected = log.findIndex((r) => r.method === 'POST' && r.path === '/events' && r.status === 404);
    expect(rejected).toBeGreaterThanOrEqual(0);
    expect(created).toBeGreaterThan(rejected);
    expect(firstAccepted).toBeGreaterThan(created);
  });

  it('keeps other users flowing while one user’s lane waits on a retry', async () => {
    service = await startTestService(
      {},
      {},
      { ...DEFAULT_DELIVERY_POLICY, backoff: { baseMs: 3_000, capMs: 3_000, minMs: 3_000 } },
    );
    const sandbox = service.sandbox!;
    sandbox.setFaults({ errorRate: 1, errorStatus: 503 });
    await postBatch(service.ingestUrl, [
      {
        type: 'identify',
        messageId: 'blocked-1',
        userId: 'blocked',
        traits: { email: 'blocked@example.com' },
      },
      {
        type: 'track',
        messageId: 'blocked-2',
        userId: 'blocked',
        event: 'Blocked Event',
        timestamp: '2024-03-01T00:00:00Z',
      },
    ]);
    await eventually(
      () => (sandbox.requests().some((r) => r.status === 503) ? true : undefined),
      5_000,
      'a 503',
    );
    sandbox.setFaults({ errorRate: 0 });

    await postBatch(service.ingestUrl, [
      { type: 'identify', messageId: 'free-1', userId: 'free', traits: { email: 'free@example.com' } },
      {
        type: 'track',
        messageId: 'free-2',
        userId: 'free',
        event: 'Free Event',
        timestamp: '2024-03-01T00:00:00Z',
      },
    ]);
    await eventually(
      () => (sandbox.state().events.some((e) => e.user_id === 'free') ? true : undefined),
      2_500,
      'free user',
    );
    expect(sandbox.state().events.some((e) => e.user_id === 'blocked')).toBe(false);

    await eventually(
      () => (sandbox.state().events.some((e) => e.user_id === 'blocked') ? true : undefined),
      10_000,
      'blocked user after its retry',
    );
    expect(
      sandbox
        .state()
        .contacts.map((c) => c.external_id)
        .sort(),
    ).toEqual(['blocked', 'free']);
  });
});

describe('a rejected token pauses delivery, not ingestion (issue #5 401 row)', () => {
  it('keeps accepting events, shows the pause on /health and dead-letters nothing', async () => {
    // The sandbox accepts only another token, as Intercom would after the token was revoked.
    service = await startTestService({}, { token: 'a-different-token' });
    await postBatch(service.ingestUrl, [
      { type: 'identify', messageId: 'p-1', userId: 'paused-user', traits: { email: 'p@example.com' } },
    ]);
    const health = await eventually(
      async () => {
        const body = (await (await fetch(`${service!.ingestUrl}/health`)).json()) as { delivery: string };
        return body.delivery === 'paused' ? body : undefined;
      },
      10_000,
      'the pause on /health',
    );
    expect(health).toMatchObject({
      ok: true,
      delivery: 'paused',
      destinations: [{ id: 'default', status: 'paused', reason: 'unauthorized', pending: 1, deadLetters: 0 }],
    });
    await postBatch(service.ingestUrl, [
      {
        type: 'track',
        messageId: 'p-2',
        userId: 'paused-user',
        event: 'Still Accepted',
        timestamp: '2024-01-01T00:00:00Z',
      },
    ]);
    expect(service.sandbox!.state().contacts).toEqual([]);
  });
});
