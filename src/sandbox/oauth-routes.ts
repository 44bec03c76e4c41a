import type { FastifyInstance } from 'fastify';
import { errorBody } from './api-result.js';
import { bearerToken } from './auth.js';
import { bodyObject, stringField } from './body-fields.js';
import type { OAuthGrants } from './oauth-grants.js';
import { authorizePage } from './oauth-page.js';

/** What the OAuth routes need from the sandbox. */
export interface OAuthRouteDeps {
  readonly grants: OAuthGrants;
  readonly appId: string;
}

/**
 * Registers Intercom's OAuth endpoints (docs/intercom.md, OAuth): the authorize page (`GET /oauth`,
 * with Allow and Deny), the code exchange (`POST /auth/eagle/token`) and revocation
 * (`POST /auth/uninstall`). Any client id is welcome: the sandbox has no app registry. On Deny it sends
 * the browser back with `error=access_denied` and the state.
 */
export function registerOAuthRoutes(app: FastifyInstance, deps: OAuthRouteDeps): void {
  void app.register((scope, _options, done) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, next) => {
        next(null, Object.fromEntries(new URLSearchParams(String(body))));
      },
    );
    scope.get('/oauth', (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const [clientId, state, redirectUri] = ['client_id', 'state', 'redirect_uri'].map((k) =>
        typeof query[k] === 'string' ? query[k] : '',
      );
      if (clientId === '' || redirectUri === '' || !/^https?:\/\//.test(redirectUri ?? '')) {
        return reply.code(400).type('text/plain').send('client_id and an http(s) redirect_uri are required');
      }
      const page = authorizePage({
        clientId: clientId ?? '',
        state: state ?? '',
        redirectUri: redirectUri ?? '',
        appId: deps.appId,
      });
      return reply.type('text/html; charset=utf-8').send(page);
    });
    scope.post('/oauth/decision', (request, reply) => {
      const body = bodyObject(request.body);
      const redirect = new URL(stringField(body, 'redirect_uri') ?? '');
      const state = stringField(body, 'state') ?? '';
      if (stringField(body, 'decision') === 'allow') {
        redirect.searchParams.set('code', deps.grants.issueCode(stringField(body, 'client_id') ?? ''));
      } else {
        redirect.searchParams.set('error', 'access_denied');
      }
      redirect.searchParams.set('state', state);
      return reply.redirect(redirect.toString(), 302);
    });
    scope.post('/auth/eagle/token', (request, reply) => {
      const body = bodyObject(request.body);
      const secret = stringField(body, 'client_secret') ?? '';
      const token =
        secret === ''
          ? undefined
          : deps.grants.exchange(stringField(body, 'code') ?? '', stringField(body, 'client_id') ?? '');
      if (token === undefined) {
        return reply.code(401).send(errorBody(request.id, 'unauthorized', 'Unauthorized Code'));
      }
      return reply.send({ token_type: 'Bearer', token, access_token: token });
    });
    scope.post('/auth/uninstall', (request, reply) => {
      const token = bearerToken(request.headers.authorization);
      if (token === undefined || deps.grants.standing(token) !== 'issued') {
        return reply.code(401).send(errorBody(request.id, 'unauthorized', 'Access Token Invalid'));
      }
      deps.grants.revoke(token);
      return reply.send({});
    });
    done();
  });
}
