import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ApiError, type Result, errorBody } from './api-result.js';

/** Answers with Intercom's `error.list` body, status and headers for one error. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: ApiError): void {
  if (error.headers !== undefined) void reply.headers(error.headers);
  void reply.code(error.status).send(errorBody(request.id, error.code, error.message));
}

/** Answers with the rendered value of a successful result, or with its Intercom error. */
export function sendResult<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  result: Result<T>,
  render: (value: T) => unknown,
  status = 200,
): void {
  if (!result.ok) {
    sendError(request, reply, result.error);
    return;
  }
  void reply.code(status).send(render(result.value));
}
