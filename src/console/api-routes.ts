import type { FastifyInstance } from 'fastify';
import { OPERATOR_PAUSE_REASON } from '../delivery/store/pauses.js';
import { apiSession, type ConsoleContext } from './console-context.js';
import { createOverviewReader } from './overview.js';

/** Registers the overview, the doctor's checks, and pause / resume of a destination. */
export function registerApiRoutes(scope: FastifyInstance, context: ConsoleContext): void {
  const { options } = context;
  const known = new Set(options.destinations.map((d) => d.id));
  const overview = createOverviewReader(options);

  scope.get('/api/overview', async (request, reply) => {
    if (apiSession(context, request, reply) === undefined) return reply;
    return reply.send(await overview(options.clock.now()));
  });

  scope.post('/api/doctor', async (request, reply) => {
    if (apiSession(context, request, reply) === undefined) return reply;
    return reply.send({ findings: await options.doctor.run() });
  });

  scope.post<{ Params: { id: string; action: string } }>(
    '/api/destinations/:id/:action',
    async (request, reply) => {
      if (apiSession(context, request, reply) === undefined) return reply;
      const { id, action } = request.params;
      if (!known.has(id)) return reply.code(404).send({ error: 'unknown_destination' });
      const now = options.clock.now();
      if (action === 'pause') {
        await options.store.pauseDestination(id, undefined, OPERATOR_PAUSE_REASON, now);
        return reply.send({ paused: true });
      }
      if (action === 'resume') {
        await options.store.resumeDestination(id);
        return reply.send({ resumed: true });
      }
      return reply.code(404).send({ error: 'unknown_action' });
    },
  );
}
