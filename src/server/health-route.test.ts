import { afterEach, describe, expect, it } from 'vitest';
import { testIngestApps } from './ingest-app-fixture.js';

const { setup, closeAll } = testIngestApps();
afterEach(closeAll);

describe('GET /health', () => {
  it('answers 200 with the report when ok', async () => {
    const { app } = setup({ health: () => ({ ok: true, store: 'sqlite', paused: [] }) });
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true, store: 'sqlite', paused: [] });
  });

  it('answers 503 when the report is not ok', async () => {
    const { app } = setup({ health: () => Promise.resolve({ ok: false, paused: ['intercom-main'] }) });
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ ok: false, paused: ['intercom-main'] });
  });

  it('answers 503 when the check itself throws', async () => {
    const { app } = setup({
      health: () => {
        throw new TypeError('store closed');
      },
    });
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ ok: false, error: 'health check failed' });
  });

  it('defaults to ok', async () => {
    const { app } = setup();
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ ok: true });
  });
});
