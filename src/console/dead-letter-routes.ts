import type { FastifyInstance } from 'fastify';
import { DEAD_REASONS, type DeadLetterSelector, isDeadReason } from '../delivery/store/dead-letters.js';
import { apiSession, type ConsoleContext } from './console-context.js';
import { describeEvent } from './recent-failures.js';

/** The selector of a redrive or purge: some ids, or a reason (and a destination); never "all" by omission. */
function selectorOf(body: unknown): DeadLetterSelector | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { ids, reason, destinationId } = body as Record<string, unknown>;
  const idList = Array.isArray(ids)
    ? ids.filter((id): id is number => Number.isInteger(id) && (id as number) > 0)
    : [];
  if (idList.length > 0) return { ids: idList };
  if (typeof reason !== 'string' || !isDeadReason(reason)) return undefined;
  return { reason, ...(typeof destinationId === 'string' && destinationId !== '' ? { destinationId } : {}) };
}

/** Registers the dead letters: list (newest first, by destination and reason), one, redrive, purge. */
export function registerDeadLetterRoutes(scope: FastifyInstance, context: ConsoleContext): void {
  const { store, destinations } = context.options;

  scope.get<{ Querystring: Record<string, string | undefined> }>(
    '/api/dead-letters',
    async (request, reply) => {
      if (apiSession(context, request, reply) === undefined) return reply;
      const { destination, reason, limit } = request.query;
      const letters = await store.listDeadLetters({
        limit: Math.min(500, Math.max(1, Number(limit) || 100)),
        newestFirst: true,
        ...(destination !== undefined && destination !== '' ? { destinationId: destination } : {}),
        ...(reason !== undefined && isDeadReason(reason) ? { reason } : {}),
      });
      return reply.send({
        reasons: DEAD_REASONS,
        destinations: destinations.map((d) => d.id),
        deadLetters: letters.map((l) => ({
          id: l.id,
          diedAtMs: l.diedAtMs,
          destinationId: l.destinationId,
          event: describeEvent(l.event),
          reason: l.reason,
          ...(l.status === undefined ? {} : { status: l.status }),
          ...(l.code === undefined ? {} : { code: l.code }),
          ...(l.message === undefined ? {} : { message: l.message }),
          attempts: l.attempts.length,
        })),
      });
    },
  );

  scope.get<{ Params: { id: string } }>('/api/dead-letters/:id', async (request, reply) => {
    if (apiSession(context, request, reply) === undefined) return reply;
    const letter = await store.deadLetter(Number(request.params.id));
    return letter === undefined ? reply.code(404).send({ error: 'no_such_dead_letter' }) : reply.send(letter);
  });

  scope.post<{ Params: { action: string } }>('/api/dead-letters/:action', async (request, reply) => {
    if (apiSession(context, request, reply) === undefined) return reply;
    const { action } = request.params;
    if (action !== 'redrive' && action !== 'purge') return reply.code(404).send({ error: 'unknown_action' });
    const selector = selectorOf(request.body);
    if (selector === undefined) return reply.code(400).send({ error: 'say_which_dead_letters' });
    const count =
      action === 'redrive'
        ? await store.redriveDeadLetters(selector)
        : await store.purgeDeadLetters(selector);
    return reply.send({ count });
  });
}
