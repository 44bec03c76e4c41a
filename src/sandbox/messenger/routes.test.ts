import { afterEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerMessengerRoutes } from './routes.js';
import { createMessengerCallLog, parseRecordedCall } from './call-log.js';

const apps: FastifyInstance[] = [];
async function appWith(demoScript = () => Promise.resolve('/* demo */')): Promise<FastifyInstance> {
  const app = Fastify();
  registerMessengerRoutes(app, { demoScript });
  await app.ready();
  apps.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe('stand-in Messenger routes', () => {
  it('D-2: serves the stand-in Messenger script for an app id, with the id as a safe literal', async () => {
    const app = await appWith();
    const response = await app.inject({ method: 'GET', url: `/widget/${encodeURIComponent('a"</script>')}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/javascript');
    expect(response.body).toContain('var appId = "a\\"\\u003c/script>";');
    expect(response.body).not.toContain('</script>');
  });

  it('records the calls the script posts as text and lists them per app in order', async () => {
    const app = await appWith();
    const post = (appId: string, call: unknown) =>
      app.inject({
        method: 'POST',
        url: `/widget/${appId}/calls`,
        headers: { 'content-type': 'text/plain' },
        payload: JSON.stringify(call),
      });
    expect((await post('app1', { method: 'boot', args: [{ app_id: 'app1' }] })).statusCode).toBe(204);
    await post('app1', { method: 'trackEvent', args: ['Clicked', {}] });
    await post('app2', { method: 'shutdown', args: [] });
    const listed = await app.inject({ method: 'GET', url: '/widget/app1/calls' });
    expect(listed.json()).toEqual({
      calls: [
        { method: 'boot', args: [{ app_id: 'app1' }] },
        { method: 'trackEvent', args: ['Clicked', {}] },
      ],
    });
    await app.inject({ method: 'DELETE', url: '/widget/app1/calls' });
    expect((await app.inject({ method: 'GET', url: '/widget/app1/calls' })).json()).toEqual({ calls: [] });
    expect((await app.inject({ method: 'GET', url: '/widget/app2/calls' })).json()).toEqual({
      calls: [{ method: 'shutdown', args: [] }],
    });
  });

  it('refuses a malformed call', async () => {
    const app = await appWith();
    const response = await app.inject({
      method: 'POST',
      url: '/widget/app1/calls',
      headers: { 'content-type': 'text/plain' },
      payload: '{"method": 1}',
    });
    expect(response.statusCode).toBe(400);
  });

  it('serves the demo page and its script', async () => {
    const app = await appWith(() => Promise.resolve('console.log("demo")'));
    const page = await app.inject({ method: 'GET', url: '/demo?appId=x' });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<script src="/demo/demo.js" defer></script>');
    const script = await app.inject({ method: 'GET', url: '/demo/demo.js' });
    expect(script.body).toBe('console.log("demo")');
  });
});

describe('call log', () => {
  it('keeps at most maxCallsPerApp calls per app and maxApps apps, dropping the oldest', () => {
    const log = createMessengerCallLog({ maxApps: 2, maxCallsPerApp: 2 });
    for (const method of ['a', 'b', 'c']) log.record('one', { method, args: [] });
    log.record('two', { method: 'x', args: [] });
    log.record('three', { method: 'y', args: [] });
    expect(log.list('one')).toEqual([]);
    expect(log.list('two').map((call) => call.method)).toEqual(['x']);
    expect(log.list('three').map((call) => call.method)).toEqual(['y']);
  });

  it.each([
    ['{"method":"boot","args":[{}]}', { method: 'boot', args: [{}] }],
    [
      { method: 'update', args: [] },
      { method: 'update', args: [] },
    ],
    ['not json', undefined],
    ['{"method":"boot"}', undefined],
    [null, undefined],
  ])('parses %j', (body, expected) => {
    expect(parseRecordedCall(body)).toEqual(expected);
  });
});
