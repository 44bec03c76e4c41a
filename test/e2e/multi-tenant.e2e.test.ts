import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServeConfig } from '../../src/cli/config.js';
import { startService, type RunningService } from '../../src/cli/service.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { basicAuth, eventually, validator } from './harness.js';

let acme: Sandbox;
let globex: Sandbox;
let service: RunningService;
let dir: string;

beforeAll(async () => {
  // Two workspaces that each accept only their own token, as two real Intercom workspaces would.
  acme = await createSandbox({ validator: await validator(), token: 'acme-token', appId: 'acme' });
  globex = await createSandbox({ validator: await validator(), token: 'globex-token', appId: 'globex' });
  const acmeUrl = await acme.listen({ port: 0, host: '127.0.0.1' });
  const globexUrl = await globex.listen({ port: 0, host: '127.0.0.1' });
  dir = mkdtempSync(path.join(tmpdir(), 'tenants-'));
  writeFileSync(
    path.join(dir, 'destinations.json'),
    JSON.stringify({
      destinations: [
        {
          id: 'acme',
          accessToken: 'acme-token',
          apiBaseUrl: acmeUrl,
          sources: [{ id: 'acme-web', writeKey: 'wk-acme' }],
        },
        {
          id: 'globex',
          accessTokenEnv: 'GLOBEX_TOKEN',
          apiBaseUrl: globexUrl,
          sources: [{ id: 'globex-web', writeKey: 'wk-globex' }],
        },
      ],
    }),
  );
  const config = readServeConfig(
    {
      PORT: '0',
      DATA_DIR: path.join(dir, 'data'),
      DESTINATIONS_FILE: 'destinations.json',
      GLOBEX_TOKEN: 'globex-token',
    },
    dir,
  );
  service = await startService(config, { logger: pino({ level: 'silent' }), pollMs: 20 });
});

afterAll(async () => {
  await service.close();
  await acme.close();
  await globex.close();
  rmSync(dir, { recursive: true, force: true });
});

async function send(writeKey: string, userId: string, messageId: string): Promise<number> {
  const response = await fetch(`${service.ingestUrl}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) },
    body: JSON.stringify({
      batch: [
        { type: 'identify', messageId: `${messageId}-i`, userId, traits: { email: `${userId}@example.com` } },
        {
          type: 'track',
          messageId: `${messageId}-t`,
          userId,
          event: 'Logged In',
          timestamp: '2024-01-01T00:00:00Z',
        },
      ],
    }),
  });
  return response.status;
}

describe('several sources and workspaces (DESTINATIONS_FILE)', () => {
  it('delivers each source only to its own workspace, even with the same user ids and message ids', async () => {
    expect(await send('wk-acme', 'same-user', 'same-message')).toBe(200);
    expect(await send('wk-globex', 'same-user', 'same-message')).toBe(200);
    expect(await send('wk-acme', 'acme-only', 'acme-message')).toBe(200);

    await eventually(
      () => (acme.state().events.length === 2 && globex.state().events.length === 1 ? true : undefined),
      15_000,
      'both workspaces',
    );
    expect(
      acme
        .state()
        .contacts.map((c) => c.external_id)
        .sort(),
    ).toEqual(['acme-only', 'same-user']);
    expect(globex.state().contacts.map((c) => c.external_id)).toEqual(['same-user']);
    // Neither workspace ever saw a request with the other's token.
    expect(acme.requests().every((r) => r.status !== 401)).toBe(true);
    expect(globex.requests().every((r) => r.status !== 401)).toBe(true);
  });

  it('refuses an unknown write key with 401 and stores nothing', async () => {
    const before = acme.requests().length + globex.requests().length;
    expect(await send('wk-unknown', 'intruder', 'intruder-message')).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(acme.requests().length + globex.requests().length).toBe(before);
  });
});
