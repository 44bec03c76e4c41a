import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleOptions } from './console-options.js';
import { parseCookies, serializeCookie } from './cookies.js';
import { type ConsoleSession, SESSION_TTL_MS, type SessionKeys } from './session.js';
import type { SignInLimiter } from './sign-in-limiter.js';

/** The session cookie's name and path. */
export const SESSION_COOKIE = 'console_session';
/** Everything under /console sees the session cookie. */
export const CONSOLE_PATH = '/console';

/** What the console's routes share. */
export interface ConsoleContext {
  readonly options: ConsoleOptions;
  readonly keys: SessionKeys;
  readonly limiter: SignInLimiter;
  /** Sessions signed out in this process, until they expire. */
  readonly signedOut: Map<string, number>;
}

/** The signed-in session of a request, or undefined. */
export function sessionOf(context: ConsoleContext, request: FastifyRequest): ConsoleSession | undefined {
  const now = context.options.clock.now();
  const session = context.keys.verify(parseCookies(request.headers.cookie).get(SESSION_COOKIE), now);
  if (session === undefined) return undefined;
  const out = context.signedOut.get(session.id);
  return out === undefined ? session : undefined;
}

/** Whether cookies must be Secure: the console is reached over https (directly, or as its public URL says). */
export function isSecure(context: ConsoleContext, request: FastifyRequest): boolean {
  return request.protocol === 'https' || context.options.publicUrl?.startsWith('https:') === true;
}

/** Sets (or, with an empty value, clears) the session cookie. */
export function setSessionCookie(
  context: ConsoleContext,
  request: FastifyRequest,
  reply: FastifyReply,
  value: string,
): void {
  const maxAgeSeconds = value === '' ? 0 : Math.floor(SESSION_TTL_MS / 1000);
  void reply.header(
    'set-cookie',
    serializeCookie(SESSION_COOKIE, value, {
      path: CONSOLE_PATH,
      maxAgeSeconds,
      secure: isSecure(context, request),
    }),
  );
}

/**
 * The session of an API request, or undefined after answering 401. State-changing requests (anything
 * but GET) must also carry the session's CSRF token in `x-csrf-token` (403 otherwise).
 */
export function apiSession(
  context: ConsoleContext,
  request: FastifyRequest,
  reply: FastifyReply,
): ConsoleSession | undefined {
  const session = sessionOf(context, request);
  if (session === undefined) {
    void reply.code(401).send({ error: 'sign_in_required' });
    return undefined;
  }
  if (request.method !== 'GET' && !hasCsrfToken(context, request, session)) {
    void reply.code(403).send({ error: 'csrf_token_missing_or_wrong' });
    return undefined;
  }
  return session;
}

/** Whether the request carries this session's CSRF token (header, or `_csrf` of a form). */
export function hasCsrfToken(
  context: ConsoleContext,
  request: FastifyRequest,
  session: ConsoleSession,
): boolean {
  const header = request.headers['x-csrf-token'];
  const body = request.body;
  const field =
    typeof body === 'object' && body !== null && '_csrf' in body && typeof body._csrf === 'string'
      ? body._csrf
      : undefined;
  const given = typeof header === 'string' ? header : field;
  return context.keys.same(given, context.keys.csrfToken(session));
}

/** Forgets sessions signed out whose cookies have expired anyway (keeps the map bounded). */
export function forgetExpired(context: ConsoleContext, nowMs: number): void {
  for (const [id, expiresAtMs] of context.signedOut) if (expiresAtMs <= nowMs) context.signedOut.delete(id);
}
