/**
 * Two `serve` processes' worth of services on one PostgreSQL queue (two machines, in production): a
 * token connected through one console reaches the other process without a restart, and the history
 * shows both processes' counts together.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { startTestPostgres, type TestPostgres } from '../delivery-postgres-server.js';
import { eventually, startTestService, type TestService, validator } from '../e2e/harness.js';
import { ADMIN_TOKEN, identify, OAUTH_CLIENT, SECRET_KEY, sendBatch } from './console-fixture.js';
import { connectHttp, signInHttp } from './console-http.js';

let postgres: TestPostgres;
let sandbox: Sandbox;
const services: TestService[] = [];

interface DestinationView {
  readonly token: { readonly present: boolean };
  readonly flow: { readonly series: Readonly<Record<string, readonly number[]>> };
}

async function destinationView(service: TestService): Promise<DestinationView> {
  const { cookie } = await signInHttp(service.ingestUrl);
  const answer = await fetch(`${service.ingestUrl}/console/api/overview`, { headers: { cookie } });
  return ((await answer.json()) as { destinations: DestinationView[] }).destinations[0]!;
}

beforeAll(async () => {
  postgres = await startTestPostgres();
  sandbox = await createSandbox({ validator: await validator() });
  const apiUrl = await sandbox.listen();
  for (let i = 0; i < 2; i += 1) {
    services.push(
      await startTestService({
        DATABASE_URL: postgres.url,
        ADMIN_TOKEN,
        SECRET_KEY,
        ...OAUTH_CLIENT,
        INTERCOM_API_URL: apiUrl,
        INTERCOM_OAUTH_AUTHORIZE_URL: `${apiUrl}/oauth`,
        INTERCOM_OAUTH_TOKEN_URL: `${apiUrl}/auth/eagle/token`,
      }),
    );
  }
}, 90_000);

afterAll(async () => {
  for (const service of services) await service.close().catch(() => undefined);
  await sandbox?.close();
  await postgres?.stop();
});

describe('the console on a shared PostgreSQL queue', () => {
  it('a token connected in one process is used by the other without a restart', async () => {
    const [first, second] = services as [TestService, TestService];
    expect((await destinationView(second)).token.present).toBe(false);
    const { cookie } = await signInHttp(first.ingestUrl);
    expect((await connectHttp(first.ingestUrl, cookie)).headers.get('location')).toBe(
      '/console?notice=connected',
    );
    await eventually(
      async () => ((await destinationView(second)).token.present ? true : undefined),
      15_000,
      'the token in the second process',
    );
    expect(await sendBatch(second.ingestUrl, [identify('pg-oauth', 'pg-oauth-1')])).toBe(200);
    await eventually(
      () => sandbox.state().contacts.find((c) => c.external_id === 'pg-oauth'),
      15_000,
      'delivery',
    );
    expect(
      sandbox
        .requests()
        .filter((r) => r.path === '/contacts' && r.method === 'POST')
        .map((r) => r.credential),
    ).toEqual(['oauth-1']);
  });

  it('shows both processes’ counts in the history', async () => {
    const [first, second] = services as [TestService, TestService];
    const before = (await destinationView(second)).flow.series['received']!.reduce((a, b) => a + b, 0);
    expect(await sendBatch(first.ingestUrl, [identify('pg-h1', 'pg-h-1'), identify('pg-h2', 'pg-h-2')])).toBe(
      200,
    );
    expect(await sendBatch(second.ingestUrl, [identify('pg-h3', 'pg-h-3')])).toBe(200);
    // Stopping the first process stores its last partial minute; the second adds its own unflushed part.
    await first.close();
    const after = (await destinationView(second)).flow.series['received']!.reduce((a, b) => a + b, 0);
    expect(after - before).toBe(3);
  });
});
