import type { FastifyInstance } from 'fastify';
import { codeForStatus, errorBody } from './api-result.js';
import type { RequestValidator } from './openapi-validator.js';
import type { RequestLog } from './request-log.js';
import { recordOf, violationsOf } from './request-record.js';
import { InvalidJsonBodyError } from './sandbox-error.js';
import type { Clock } from '../clock/clock.js';

/** Paths of the sandbox's own pages and the device-mode stand-in, which are not Intercom API calls. */
const SANDBOX_OWN_PREFIXES: readonly string[] = ['/sandbox', '/widget/', '/demo', '/messenger'];

function statusOf(error: unknown): number {
  if (error instanceof InvalidJsonBodyError) return 400;
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const status = error.statusCode;
    if (typeof status === 'number' && status >= 400 && status <= 599) return status;
  }
  return 500;
}

/**
 * Answers thrown errors and unknown routes with Intercom's `error.list` body; unknown routes that are
 * not the sandbox's own are logged with the validator's "not an Intercom operation" violation.
 */
export function registerErrorAnswers(
  app: FastifyInstance,
  deps: { readonly log: RequestLog; readonly validator: RequestValidator; readonly clock: Clock },
): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    const status = statusOf(error);
    // Internal details stay in the log; clients get a generic message for 5xx.
    const message =
      status >= 500 ? 'Internal sandbox error' : error instanceof Error ? error.message : 'Bad request';
    if (status >= 500) request.log.error({ err: error }, 'sandbox request failed');
    void reply.code(status).send(errorBody(request.id, codeForStatus(status), message));
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (!SANDBOX_OWN_PREFIXES.some((prefix) => path.startsWith(prefix))) {
      deps.log.record(
        recordOf(request, 404, { time: deps.clock.now(), violations: violationsOf(deps.validator, request) }),
      );
    }
    void reply
      .code(404)
      .send(errorBody(request.id, 'not_found', `No route ${request.method} ${path} in the sandbox`));
  });
}
