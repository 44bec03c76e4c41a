import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testSandboxes } from './sandbox-fixture.js';

const { prepare, start, closeAll } = testSandboxes();
beforeAll(prepare);
afterEach(closeAll);

describe('GET /me', () => {
  it('returns the admin with the workspace App ID as app.id_code', async () => {
    const t = await start({ appId: 'abc123' });
    const r = await t.call('GET', '/me');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ type: 'admin', app: { type: 'app', id_code: 'abc123' } });
  });
});
