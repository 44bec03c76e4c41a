import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';
import { IntercomClient } from '../../intercom/client.js';
import { OAuthFlowError } from '../console-error.js';
import { apiSession, type ConsoleContext, sessionOf } from '../console-context.js';
import type { ConsoleDestination, OAuthOptions } from '../console-options.js';
import { continuePage, smallPage } from '../pages/html.js';
import { createState, readState } from './oauth-state.js';
import { exchangeCode, revokeToken } from './token-exchange.js';

/** Why a destination waits for a token (an open-ended pause: nothing is dropped). */
export const NOT_CONNECTED_REASON = 'not_connected';

const CALLBACK_PATH = '/console/oauth/callback';

function back(reply: FastifyReply, notice: string): FastifyReply {
  return reply.redirect(`/console?notice=${notice}`, 303);
}

/** The token belongs to another workspace than the destination's App ID. */
class WorkspaceMismatchError extends OAuthFlowError {
  override readonly name = 'WorkspaceMismatchError';
}

/** Checks the new token with `GET /me`: it must work, and belong to the destination's App ID when one is set. */
async function checkToken(
  oauth: OAuthOptions,
  destination: ConsoleDestination,
  token: string,
): Promise<string | undefined> {
  const apiBaseUrl = destination.apiBaseUrl();
  const client = new IntercomClient({
    accessToken: token,
    region: destination.region,
    ...(apiBaseUrl === undefined ? {} : { apiBaseUrl }),
    apiVersion: destination.apiVersion,
    fetch: oauth.fetch,
    timeoutMs: 10_000,
  });
  let appId: string | undefined;
  try {
    appId = (await client.getMe()).value.app?.id_code;
  } catch {
    throw new OAuthFlowError('Intercom refused the new token on GET /me');
  }
  if (destination.appId !== undefined && appId !== destination.appId) {
    throw new WorkspaceMismatchError('the token belongs to another workspace');
  }
  return appId;
}

/** Trades the code, checks the token and stores it; resolves to the notice to show. */
async function connect(
  context: ConsoleContext,
  oauth: OAuthOptions,
  destination: ConsoleDestination,
  code: string,
  log: FastifyBaseLogger,
): Promise<string> {
  let token: string;
  try {
    const request = {
      tokenUrl: oauth.tokenUrl(destination),
      clientId: oauth.clientId,
      clientSecret: oauth.clientSecret,
      code,
    };
    token = await exchangeCode(oauth.fetch, request);
  } catch (failure: unknown) {
    const why = failure instanceof OAuthFlowError ? failure.message : 'unknown';
    log.warn({ destinationId: destination.id, why }, 'OAuth code exchange failed');
    return 'exchange_failed';
  }
  try {
    const appId = await checkToken(oauth, destination, token);
    await oauth.vault.store(destination.id, token, appId, context.options.clock.now());
  } catch (failure: unknown) {
    // A token that may not be used is not left installed.
    await revokeToken(oauth.fetch, oauth.revokeUrl(destination), token);
    if (!(failure instanceof OAuthFlowError)) throw failure;
    return failure instanceof WorkspaceMismatchError ? 'workspace_mismatch' : 'exchange_failed';
  }
  await context.options.store.resumeDestination(destination.id);
  log.info({ destinationId: destination.id }, 'Intercom connected with OAuth');
  return 'connected';
}

/** The answer to a callback that came without the session cookie (see `continuePage`). */
function withoutSession(
  reply: FastifyReply,
  query: Readonly<Record<string, string | undefined>>,
): FastifyReply {
  if (query['resumed'] === '1') {
    const page = smallPage(
      'Sign in first',
      '<p><a href="/console/sign-in">Sign in</a>, then connect Intercom again.</p>',
    );
    return reply.code(401).type('text/html; charset=utf-8').send(page);
  }
  const again = new URLSearchParams();
  for (const key of ['code', 'state', 'error']) {
    const value = query[key];
    if (value !== undefined) again.set(key, value);
  }
  again.set('resumed', '1');
  return reply.type('text/html; charset=utf-8').send(continuePage(`${CALLBACK_PATH}?${again.toString()}`));
}

/** Registers Connect, the callback, and Disconnect. */
export function registerOAuthRoutes(
  scope: FastifyInstance,
  context: ConsoleContext,
  oauth: OAuthOptions,
): void {
  const { options } = context;
  const byId = new Map(options.destinations.map((d) => [d.id, d]));
  const oauthDestination = (id: string | undefined): ConsoleDestination | undefined => {
    const found = id === undefined ? undefined : byId.get(id);
    return found?.tokenSource === 'oauth' ? found : undefined;
  };

  // A link, not a form: it changes nothing here (the state is signed, not stored), so it needs no CSRF token.
  scope.get<{ Params: { id: string } }>('/oauth/:id/connect', (request, reply) => {
    const session = sessionOf(context, request);
    if (session === undefined) return reply.redirect('/console/sign-in', 303);
    const destination = oauthDestination(request.params.id);
    if (destination === undefined) return back(reply, 'not_oauth');
    if (!oauth.canStore) return back(reply, 'no_secret_key');
    const base = options.publicUrl?.replace(/\/+$/, '') ?? `${request.protocol}://${request.host}`;
    const url = new URL(oauth.authorizeUrl(destination));
    url.searchParams.set('client_id', oauth.clientId);
    url.searchParams.set('state', createState(context.keys, session, destination.id, options.clock.now()));
    url.searchParams.set('redirect_uri', `${base}${CALLBACK_PATH}`);
    return reply.redirect(url.toString(), 303);
  });

  scope.get<{ Querystring: Record<string, string | undefined> }>(
    '/oauth/callback',
    async (request, reply) => {
      const { code, state, error } = request.query;
      const session = sessionOf(context, request);
      if (session === undefined) return withoutSession(reply, request.query);
      const destination = oauthDestination(readState(context.keys, session, state, options.clock.now()));
      if (destination === undefined) return back(reply, 'state_mismatch');
      if (error !== undefined || code === undefined) return back(reply, 'denied');
      if (!oauth.canStore) return back(reply, 'no_secret_key');
      return back(reply, await connect(context, oauth, destination, code, request.log));
    },
  );

  scope.post<{ Params: { id: string } }>('/api/destinations/:id/disconnect', async (request, reply) => {
    if (apiSession(context, request, reply) === undefined) return reply;
    const destination = oauthDestination(request.params.id);
    if (destination === undefined) return reply.code(404).send({ error: 'not_an_oauth_destination' });
    const token = oauth.vault.tokenFor(destination.id);
    const revoked =
      token === undefined ? false : await revokeToken(oauth.fetch, oauth.revokeUrl(destination), token);
    const removed = await oauth.vault.remove(destination.id);
    // Delivery waits for a token; nothing queued is dropped.
    await options.store.pauseDestination(
      destination.id,
      undefined,
      NOT_CONNECTED_REASON,
      options.clock.now(),
    );
    request.log.info({ destinationId: destination.id, revoked }, 'Intercom disconnected');
    return reply.send({ revoked, removed });
  });
}
