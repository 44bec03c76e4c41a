/**
 * Device-mode routes of the sandbox: the stand-in Messenger script, the calls it reports, and the
 * demo page (device and cloud mode together).
 *
 * | route                           | what                                                    |
 * |---------------------------------|---------------------------------------------------------|
 * | `GET /widget/:appId`            | stand-in Messenger script (offline; D-2, D-6, D-9)      |
 * | `POST /widget/:appId/calls`     | the script reports one Messenger call                   |
 * | `GET /widget/:appId/calls`      | the calls reported for an app, oldest first             |
 * | `DELETE /widget/:appId/calls`   | forgets them                                            |
 * | `GET /demo`                     | the demo page                                           |
 * | `GET /demo/demo.js`             | its script: analytics-next + the Intercom plugin        |
 */
import type { FastifyInstance } from 'fastify';
import { createMessengerCallLog, parseRecordedCall, type MessengerCallLog } from './call-log.js';
import { standInWidgetScript } from './stand-in-widget.js';
import { DEMO_SCRIPT_PATH, demoPageHtml } from './demo-page.js';
import { createDemoScriptLoader, type DemoScriptLoader } from './demo-script.js';

/** Replaceable parts, for tests and embedders. */
export interface MessengerRoutesOptions {
  readonly callLog?: MessengerCallLog;
  readonly demoScript?: DemoScriptLoader;
}

interface AppIdParams {
  readonly appId: string;
}

/** Registers the stand-in Messenger and demo page routes on the sandbox's fastify instance. */
export function registerMessengerRoutes(app: FastifyInstance, options: MessengerRoutesOptions = {}): void {
  const callLog = options.callLog ?? createMessengerCallLog();
  const demoScript = options.demoScript ?? createDemoScriptLoader();

  app.get<{ Params: AppIdParams }>('/widget/:appId', async (request, reply) => {
    return reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(standInWidgetScript(request.params.appId));
  });

  app.post<{ Params: AppIdParams }>('/widget/:appId/calls', async (request, reply) => {
    const call = parseRecordedCall(request.body);
    if (call === undefined) {
      return reply.code(400).send({ error: 'expected {"method": string, "args": array}' });
    }
    callLog.record(request.params.appId, call);
    return reply.code(204).send();
  });

  app.get<{ Params: AppIdParams }>('/widget/:appId/calls', (request, reply) =>
    reply.send({ calls: callLog.list(request.params.appId) }),
  );

  app.delete<{ Params: AppIdParams }>('/widget/:appId/calls', async (request, reply) => {
    callLog.clear(request.params.appId);
    return reply.code(204).send();
  });

  app.get('/demo', async (_request, reply) => {
    return reply.header('content-type', 'text/html; charset=utf-8').send(demoPageHtml());
  });

  app.get(DEMO_SCRIPT_PATH, async (_request, reply) => {
    return reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(await demoScript());
  });
}
