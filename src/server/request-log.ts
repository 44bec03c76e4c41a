import type { FastifyBaseLogger, FastifyRequest } from 'fastify';

/** What a request log line says about the request: never headers, never the query string. */
export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly remoteAddress: string;
}

/**
 * The request serializer of the ingestion logs. Fastify's default logs the full URL; a client that
 * puts its write key in the query string (Segment's libraries never do, hand-written ones might)
 * would leak it into every log line, so only the path is kept.
 */
export function serializeRequest(request: FastifyRequest): LoggedRequest {
  const url = request.url;
  const query = url.indexOf('?');
  return {
    method: request.method,
    path: query === -1 ? url : url.slice(0, query),
    remoteAddress: request.ip,
  };
}

/** Fastify's `childLoggerFactory`: per-request loggers that use `serializeRequest`. */
export function createRequestLogger(
  logger: FastifyBaseLogger,
  bindings: Record<string, unknown>,
  options: { readonly serializers?: Record<string, unknown> },
): FastifyBaseLogger {
  return logger.child(bindings, {
    ...options,
    serializers: { ...options.serializers, req: serializeRequest },
  });
}
