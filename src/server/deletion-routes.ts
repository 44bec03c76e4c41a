import type { FastifyInstance } from 'fastify';
import { isJsonObject } from '../segment/json.js';
import { checkAdmin } from './admin-auth.js';
import { DeletionNotFoundError, InvalidAdminRequestError } from './admin-error.js';
import { InvalidJsonError } from './ingest-error.js';

/** A person to forget, as the route takes them. */
export interface DeletionKey {
  readonly kind: 'user_id' | 'email';
  readonly value: string;
}

/** Where deletion requests go (the queue, through the wiring) and where their status is read. */
export interface DeletionDesk {
  /** Queues the erasure of `keys` (L-4); resolves to its id, or undefined for an unknown destination. */
  request(destinationId: string | undefined, keys: readonly DeletionKey[]): Promise<string | undefined>;
  /** The status of a deletion as answered (no key in it), or undefined when unknown. */
  report(deletionId: string): Promise<Readonly<Record<string, unknown>> | undefined>;
}

/** What the deletion routes need. */
export interface DeletionRoutesOptions {
  readonly adminToken: string | undefined;
  readonly desk: DeletionDesk;
}

/** Most keys in one request: a request is one transaction. */
export const MAX_DELETION_KEYS = 1000;

function stringList(body: Readonly<Record<string, unknown>>, field: string): string[] {
  const value = body[field];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item.trim() !== '')) {
    throw new InvalidAdminRequestError(`${field} must be a list of non-empty strings`);
  }
  return value as string[];
}

/** The keys of a `POST /v1/deletions` body `{destination?, userIds?, emails?}`. */
export function parseDeletionBody(body: unknown): { destinationId?: string; keys: DeletionKey[] } {
  if (!isJsonObject(body)) throw new InvalidAdminRequestError('body must be a JSON object');
  const destination = body['destination'];
  if (destination !== undefined && typeof destination !== 'string')
    throw new InvalidAdminRequestError('destination must be a string');
  const keys: DeletionKey[] = [
    ...stringList(body, 'userIds').map((value) => ({ kind: 'user_id' as const, value })),
    ...stringList(body, 'emails').map((value) => ({ kind: 'email' as const, value })),
  ];
  if (keys.length === 0) throw new InvalidAdminRequestError('give userIds or emails to forget');
  if (keys.length > MAX_DELETION_KEYS)
    throw new InvalidAdminRequestError(`at most ${MAX_DELETION_KEYS} keys per request`);
  return destination === undefined ? { keys } : { destinationId: destination, keys };
}

/**
 * `POST /v1/deletions` (202 with the deletion's id) and `GET /v1/deletions/{id}` (its status), behind
 * the admin credential (L-4). Their JSON bodies are parsed in this scope only.
 */
export function registerDeletionRoutes(app: FastifyInstance, options: DeletionRoutesOptions): void {
  void app.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'string', bodyLimit: 256 * 1024 },
      (_request, text, parsed) => {
        try {
          parsed(null, text === '' ? undefined : (JSON.parse(String(text)) as unknown));
        } catch (error: unknown) {
          parsed(new InvalidJsonError('body is not JSON', { cause: error }), undefined);
        }
      },
    );
    scope.post('/v1/deletions', async (request, reply) => {
      checkAdmin(options.adminToken, request.headers.authorization);
      const { destinationId, keys } = parseDeletionBody(request.body);
      const deletionId = await options.desk.request(destinationId, keys);
      if (deletionId === undefined) throw new InvalidAdminRequestError('unknown destination');
      return reply.code(202).send({ deletionId, keys: keys.length, status: 'pending' });
    });
    scope.get<{ Params: { id: string } }>('/v1/deletions/:id', async (request) => {
      checkAdmin(options.adminToken, request.headers.authorization);
      const report = await options.desk.report(request.params.id);
      if (report === undefined) throw new DeletionNotFoundError();
      return report;
    });
    done();
  });
}
