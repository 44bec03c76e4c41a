import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetCommand } from '../../src/cli/forget-command.js';
import { openCommandQueue } from '../../src/cli/queue.js';
import { matchesErasureKey } from '../../src/delivery/store/erasure-hash.js';
import type { JobStore } from '../../src/delivery/store/job-store.js';
import { DEFAULT_DELIVERY_POLICY } from '../../src/delivery/worker/policy.js';
import { contactKey } from '../../src/intercom/id-cache.js';
import { basicAuth, eventually, startTestService, type TestService, WRITE_KEY } from './harness.js';

const ADMIN = 'forget-admin-token';
const FAST_POLICY = { ...DEFAULT_DELIVERY_POLICY, backoff: { baseMs: 20, capMs: 200 } };
let service: TestService;
let queue: JobStore;

beforeAll(async () => {
  service = await startTestService({ ADMIN_TOKEN: ADMIN }, {}, FAST_POLICY);
  // The queue beside the running serve, as `dlq` and `forget` open it.
  queue = await openCommandQueue({ dataDir: service.dataDir });
});

afterAll(async () => {
  await queue.close();
  await service.close();
});

async function send(path: string, body: object): Promise<void> {
  const response = await fetch(`${service.ingestUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basicAuth(WRITE_KEY) },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

async function admin(method: 'GET' | 'POST', path: string, body?: object, token = ADMIN): Promise<Response> {
  return fetch(`${service.ingestUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const contactOf = (userId: string) => service.sandbox!.state().contacts.find((c) => c.external_id === userId);

async function waitDone(deletionId: string): Promise<Record<string, unknown>> {
  return eventually(
    async () => {
      const report = (await (await admin('GET', `/v1/deletions/${deletionId}`)).json()) as Record<
        string,
        unknown
      >;
      return report['status'] === 'pending' ? undefined : report;
    },
    30_000,
    `deletion ${deletionId}`,
  );
}

describe('L-4 forgetting a user', () => {
  it('L-4 deletes the contact, its queued jobs and dead letters and cached ids; an identify queued before never recreates it', async () => {
    const sandbox = service.sandbox!;
    await send('/v1/identify', { userId: 'gdpr-1', traits: { email: 'gdpr-1@example.com', name: 'Ada' } });
    await send('/v1/track', { userId: 'gdpr-1', event: 'Paid' });
    await eventually(() => (sandbox.state().events.some((e) => e.user_id === 'gdpr-1') ? true : undefined));
    expect(await queue.idCache.getContactId(contactKey('default', 'external_id', 'gdpr-1'))).toBeDefined();
    // A dead letter of the user (Intercom refuses for good), then jobs that wait on 5xx answers.
    sandbox.setFaults({ errorRate: 1, errorStatus: 400 });
    await send('/v1/track', { userId: 'gdpr-1', event: 'Refused' });
    await eventually(async () =>
      (await queue.listDeadLetters({ limit: 10 })).length > 0 ? true : undefined,
    );
    sandbox.setFaults({ errorRate: 1, errorStatus: 503 });
    await send('/v1/identify', { userId: 'gdpr-1', traits: { name: 'Ada Again' } });
    await send('/v1/track', { userId: 'gdpr-1', event: 'Queued' });
    await new Promise((resolve) => setTimeout(resolve, 300));

    const requested = await admin('POST', '/v1/deletions', { userIds: ['gdpr-1'] });
    expect(requested.status).toBe(202);
    const { deletionId } = (await requested.json()) as { deletionId: string };
    await new Promise((resolve) => setTimeout(resolve, 300));
    sandbox.setFaults({ errorRate: 0 });
    const report = await waitDone(deletionId);

    expect(report).toMatchObject({
      status: 'done',
      keys: [{ kind: 'user_id', status: 'done', contactsDeleted: 1 }],
    });
    expect(JSON.stringify(report)).not.toContain('gdpr-1');
    expect(contactOf('gdpr-1')).toBeUndefined();
    expect(sandbox.state().events.some((e) => e.user_id === 'gdpr-1')).toBe(false);
    expect(await queue.listDeadLetters({ limit: 10 })).toEqual([]);
    expect(await queue.idCache.getContactId(contactKey('default', 'external_id', 'gdpr-1'))).toBeUndefined();
    const [audit] = await queue.erasureRecords(deletionId);
    expect(matchesErasureKey(audit!.key, { kind: 'user_id', value: 'gdpr-1' })).toBe(true);
    // Nothing of the user is left to deliver: the contact stays gone.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(contactOf('gdpr-1')).toBeUndefined();
    expect(await queue.queueDepth(Date.now())).toEqual([]);
    const metrics = await (await fetch(`${service.ingestUrl}/metrics`)).text();
    expect(metrics).toMatch(/delivery_erasures\{destination="default",status="done"\} 1/);
  }, 60_000);

  it('L-4 forget --user-id queues a deletion the running serve carries out, and --status shows it', async () => {
    await send('/v1/identify', { userId: 'gdpr-2', traits: { email: 'gdpr-2@example.com' } });
    await eventually(() => contactOf('gdpr-2'));
    let stdout = '';
    const out = new PassThrough().on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const io = { stdin: Readable.from([]), stdout: out, stderr: new PassThrough() };
    const env = { DATA_DIR: service.dataDir, SEGMENT_WRITE_KEY: WRITE_KEY };
    expect(await forgetCommand(['--user-id', 'gdpr-2'], env, io, new AbortController().signal)).toBe(0);
    const deletionId = /deletion (\S+) queued/.exec(stdout)?.[1] ?? '';
    await waitDone(deletionId);
    expect(contactOf('gdpr-2')).toBeUndefined();
    stdout = '';
    expect(await forgetCommand(['--status', deletionId], env, io, new AbortController().signal)).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ deletionId, status: 'done' });
  });

  it('L-4 the deletion routes refuse without the admin credential', async () => {
    expect((await admin('POST', '/v1/deletions', { userIds: ['x'] }, 'wrong')).status).toBe(403);
    const missing = await fetch(`${service.ingestUrl}/v1/deletions`, {
      method: 'POST',
      body: '{"userIds":["x"]}',
    });
    expect(missing.status).toBe(401);
    expect((await admin('GET', '/v1/deletions/nope')).status).toBe(404);
    expect((await admin('POST', '/v1/deletions', { userIds: [] })).status).toBe(400);
    const off = await startTestService();
    try {
      const answer = await fetch(`${off.ingestUrl}/v1/deletions`, {
        method: 'POST',
        headers: { authorization: 'Bearer anything', 'content-type': 'application/json' },
        body: '{"userIds":["x"]}',
      });
      expect(answer.status).toBe(404);
      expect(await answer.json()).toMatchObject({ error: { code: 'admin_disabled' } });
    } finally {
      await off.close();
    }
  });
});
