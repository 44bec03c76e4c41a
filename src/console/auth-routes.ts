import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type ConsoleContext,
  forgetExpired,
  hasCsrfToken,
  isSecure,
  sessionOf,
  setSessionCookie,
} from './console-context.js';
import { parseCookies, serializeCookie } from './cookies.js';
import { consolePage } from './pages/console-page.js';
import { signInPage } from './pages/html.js';

/** The cookie that binds the sign-in form's CSRF token before there is a session. */
const PRE_SESSION_COOKIE = 'console_pre';
const SIGN_IN_PATH = '/console/sign-in';

function formField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value: unknown = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** A fresh sign-in form, with its pre-session cookie. */
function sendSignIn(context: ConsoleContext, request: FastifyRequest, reply: FastifyReply, error?: string) {
  const pre = randomBytes(16).toString('base64url');
  const cookie = serializeCookie(PRE_SESSION_COOKIE, pre, {
    path: SIGN_IN_PATH,
    maxAgeSeconds: 600,
    secure: isSecure(context, request),
  });
  return reply
    .header('set-cookie', cookie)
    .type('text/html; charset=utf-8')
    .send(signInPage(context.keys.sign('pre-session', pre), error));
}

/** Whether `given` is the admin token (hashed first, so the comparison takes the same time for any length). */
function isAdminToken(context: ConsoleContext, given: string | undefined): boolean {
  const digest = (text: string): string => createHash('sha256').update(text).digest('base64url');
  return context.keys.same(digest(given ?? ''), digest(context.options.adminToken));
}

/** Registers the page, sign-in and sign-out. */
export function registerAuthRoutes(scope: FastifyInstance, context: ConsoleContext): void {
  scope.get('/', (request, reply) => {
    const session = sessionOf(context, request);
    if (session === undefined) return reply.redirect(SIGN_IN_PATH, 303);
    const notice = (request.query as Record<string, unknown>)['notice'];
    const page = consolePage(
      context.keys.csrfToken(session),
      typeof notice === 'string' ? notice : undefined,
    );
    return reply.type('text/html; charset=utf-8').send(page);
  });

  scope.get('/sign-in', (request, reply) => {
    if (sessionOf(context, request) !== undefined) return reply.redirect('/console', 303);
    return sendSignIn(context, request, reply);
  });

  scope.post('/sign-in', (request, reply) => {
    const now = context.options.clock.now();
    const pre = parseCookies(request.headers.cookie).get(PRE_SESSION_COOKIE);
    const csrf = formField(request.body, '_csrf');
    if (pre === undefined || !context.keys.same(csrf, context.keys.sign('pre-session', pre))) {
      return reply
        .code(403)
        .type('text/html; charset=utf-8')
        .send(signInPage('', 'The form expired: reload the page and sign in again.'));
    }
    const waitMs = context.limiter.waitMs(request.ip, now);
    if (waitMs > 0) {
      void reply.code(429).header('retry-after', String(Math.ceil(waitMs / 1000)));
      return sendSignIn(
        context,
        request,
        reply,
        'Too many failed sign-ins: wait a few minutes, then try again.',
      );
    }
    if (!isAdminToken(context, formField(request.body, 'token'))) {
      context.limiter.failed(request.ip, now);
      void reply.code(401);
      return sendSignIn(context, request, reply, 'That is not the admin token.');
    }
    context.limiter.succeeded(request.ip);
    const { cookie } = context.keys.issue(now);
    setSessionCookie(context, request, reply, cookie);
    return reply.redirect('/console', 303);
  });

  scope.post('/sign-out', (request, reply) => {
    const session = sessionOf(context, request);
    if (session === undefined) return reply.redirect(SIGN_IN_PATH, 303);
    if (!hasCsrfToken(context, request, session))
      return reply.code(403).send({ error: 'csrf_token_missing_or_wrong' });
    forgetExpired(context, context.options.clock.now());
    context.signedOut.set(session.id, session.expiresAtMs);
    setSessionCookie(context, request, reply, '');
    return reply.redirect(SIGN_IN_PATH, 303);
  });
}
