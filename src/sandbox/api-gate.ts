import type { FastifyReply, FastifyRequest } from 'fastify';
import { codeForStatus } from './api-result.js';
import { bearerToken, isAuthorized } from './auth.js';
import type { OAuthGrants } from './oauth-grants.js';
import { type Faults, chooseFault } from './faults.js';
import {
  type RateLimitConfig,
  type RateLimitDecision,
  type RateLimitWindow,
  EMPTY_WINDOW,
  consumeRateLimit,
  windowLabel,
} from './rate-limit.js';
import { sendError } from './reply-result.js';
import { type RequestMeta, recordOf } from './request-record.js';
import type { RequestLog } from './request-log.js';
import type { Clock } from '../clock/clock.js';

/** What the gate in front of the Intercom routes needs from the sandbox. */
export interface ApiGateDeps {
  readonly log: RequestLog;
  /** Tokens handed out through OAuth: accepted until revoked, then refused. */
  readonly grants: OAuthGrants;
  readonly token: string | undefined;
  readonly rateLimit: RateLimitConfig;
  readonly faults: () => Faults;
  readonly clock: Clock;
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** The checks every Intercom API request passes before its route: the token, the rate limit, injected faults. */
export interface ApiGate {
  /** True when the request may go on to its route; otherwise the gate has answered (or dropped) it. */
  admit(request: FastifyRequest, reply: FastifyReply, meta: RequestMeta): Promise<boolean>;
  /** Starts a new rate-limit window (a sandbox reset). */
  resetWindow(): void;
}

function sendRateLimitHeaders(reply: FastifyReply, decision: RateLimitDecision): void {
  void reply.headers({
    'x-ratelimit-limit': String(decision.limit),
    'x-ratelimit-remaining': String(decision.remaining),
    'x-ratelimit-reset': String(decision.resetSeconds),
  });
}

/** Waits out the injected latency, then drops or fails the request when a fault is drawn; true when one was. */
async function applyFault(
  deps: ApiGateDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  meta: RequestMeta,
): Promise<boolean> {
  const faults = deps.faults();
  if (faults.latencyMs > 0) await deps.sleep(faults.latencyMs);
  const fault = chooseFault(faults, deps.random);
  if (fault.kind === 'drop') {
    meta.fault = 'drop';
    deps.log.record(recordOf(request, 0, meta));
    reply.hijack();
    request.raw.socket.destroy();
    return true;
  }
  if (fault.kind === 'error') {
    meta.fault = 'error';
    const message = `Sandbox fault injection: simulated ${fault.status}`;
    sendError(request, reply, { status: fault.status, code: codeForStatus(fault.status), message });
    return true;
  }
  return false;
}

/** Creates the gate; it holds the workspace's rate-limit window. */
export function createApiGate(deps: ApiGateDeps): ApiGate {
  let window: RateLimitWindow = EMPTY_WINDOW;
  return {
    async admit(request, reply, meta) {
      // Intercom sends no rate-limit headers without valid credentials (intercom-api.md §4.1).
      const token = bearerToken(request.headers.authorization) ?? '';
      const standing = deps.grants.standing(token);
      if (standing === 'revoked') {
        sendError(request, reply, { status: 401, code: 'token_revoked', message: 'Token revoked' });
        return false;
      }
      if (standing !== 'issued' && !isAuthorized(request.headers.authorization, deps.token)) {
        sendError(request, reply, { status: 401, code: 'unauthorized', message: 'Access Token Invalid' });
        return false;
      }
      const label = deps.grants.label(token);
      if (label !== undefined) meta.credential = label;
      const consumed = consumeRateLimit(window, deps.clock.now(), deps.rateLimit);
      window = consumed.window;
      sendRateLimitHeaders(reply, consumed.decision);
      if (!consumed.decision.allowed) {
        const label = windowLabel(deps.rateLimit.windowMs);
        const message = `Exceeded rate limit of ${consumed.decision.limit} in ${label}`;
        sendError(request, reply, { status: 429, code: 'rate_limit_exceeded', message });
        return false;
      }
      return !(await applyFault(deps, request, reply, meta));
    },
    resetWindow() {
      window = EMPTY_WINDOW;
    },
  };
}
