import type { FastifyInstance } from 'fastify';
import { InvalidJsonBodyError } from './sandbox-error.js';

/** Parses JSON bodies, accepting an empty body: clients send DELETE and GET with a JSON content type and none. */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text) as unknown);
    } catch (error: unknown) {
      done(new InvalidJsonBodyError('The request body is not valid JSON', { cause: error }), undefined);
    }
  });
}
