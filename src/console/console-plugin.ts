import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerApiRoutes } from './api-routes.js';
import { registerAuthRoutes } from './auth-routes.js';
import { registerConsoleAssets } from './console-assets.js';
import type { ConsoleContext } from './console-context.js';
import type { ConsoleOptions } from './console-options.js';
import { registerDeadLetterRoutes } from './dead-letter-routes.js';
import { registerOAuthRoutes } from './oauth/oauth-routes.js';
import { consoleOffPage } from './pages/html.js';
import { createSessionKeys } from './session.js';
import { createSignInLimiter } from './sign-in-limiter.js';

/** Largest form or JSON body the console accepts. */
const MAX_BODY_BYTES = 16 * 1024;

/**
 * What every console answer carries: never cached, never framed, no referrer (the OAuth callback's
 * address holds a code), scripts and styles from this origin only, and no CORS grant.
 */
function securityHeaders(
  _request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (e: null, p: unknown) => void,
) {
  void reply.headers({
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'content-security-policy':
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  });
  reply.removeHeader('access-control-allow-origin');
  done(null, payload);
}

/** Parses the console's form and JSON bodies (the ingestion routes keep their own parsers). */
function registerBodyParsers(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  const text = (body: string | Buffer): string => (typeof body === 'string' ? body : body.toString('utf8'));
  scope.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(text(body))));
    },
  );
  scope.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
    (_request, body, done) => {
      try {
        done(null, text(body) === '' ? {} : (JSON.parse(text(body)) as unknown));
      } catch {
        done(Object.assign(new Error('invalid JSON'), { statusCode: 400 }), undefined);
      }
    },
  );
}

/**
 * Adds the operator console under `/console` to the ingestion server. Without options (no ADMIN_TOKEN)
 * `/console` only says how to turn it on.
 */
export function registerConsole(app: FastifyInstance, options: ConsoleOptions | undefined): void {
  void app.register(
    (scope, _options, done) => {
      scope.addHook('onSend', securityHeaders);
      if (options === undefined) {
        scope.get('/', (_request, reply) =>
          reply.code(404).type('text/html; charset=utf-8').send(consoleOffPage()),
        );
        done();
        return;
      }
      const context: ConsoleContext = {
        options,
        keys: createSessionKeys(options.adminToken),
        limiter: createSignInLimiter(),
        signedOut: new Map(),
      };
      registerBodyParsers(scope);
      scope.setErrorHandler((error: unknown, request, reply) => {
        const status =
          typeof error === 'object' &&
          error !== null &&
          'statusCode' in error &&
          typeof error.statusCode === 'number' &&
          error.statusCode < 500
            ? error.statusCode
            : 500;
        if (status >= 500) request.log.error({ err: error }, 'console request failed');
        return reply.code(status).send({ error: status >= 500 ? 'internal_error' : 'bad_request' });
      });
      registerAuthRoutes(scope, context);
      registerApiRoutes(scope, context);
      registerDeadLetterRoutes(scope, context);
      registerConsoleAssets(scope, context);
      if (options.oauth !== undefined) registerOAuthRoutes(scope, context, options.oauth);
      done();
    },
    { prefix: '/console' },
  );
}
