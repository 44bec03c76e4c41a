import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/** Which browser origins may post events. */
export interface CorsOptions {
  readonly origins: readonly string[] | '*';
}

/** How long browsers may cache a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 86_400;

/**
 * I-1: CORS for analytics.js, which posts cross-origin. Its `text/plain` posts need no preflight, but
 * gzip or JSON posts from other browser code do, so preflights are answered too. Write keys are public
 * in browsers and no cookies are used, so any origin is allowed unless a list is configured.
 */
export function registerCors(app: FastifyInstance, options: CorsOptions): void {
  void app.register(cors, {
    origin: options.origins === '*' ? '*' : [...options.origins],
    methods: ['GET', 'POST', 'OPTIONS'],
    credentials: false,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  });
}
