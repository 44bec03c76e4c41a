import type { FetchFunction } from '../../intercom/client.js';
import { OAuthFlowError } from '../console-error.js';

/** Budget of each call to Intercom's OAuth endpoints. */
const TIMEOUT_MS = 10_000;

/** What the token endpoint needs besides the code. */
export interface TokenRequest {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly code: string;
}

/**
 * Trades an authorization code for the access token: `POST /auth/eagle/token` with `code`,
 * `client_id` and `client_secret` as a form; Intercom answers `{token_type, token, access_token}`
 * (docs/intercom.md, OAuth). Failures say what happened without the code, the secret or the body.
 */
export async function exchangeCode(fetch: FetchFunction, request: TokenRequest): Promise<string> {
  let response: Response;
  try {
    response = await fetch(request.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        code: request.code,
        client_id: request.clientId,
        client_secret: request.clientSecret,
      }).toString(),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'manual',
    });
  } catch {
    throw new OAuthFlowError(`the token endpoint ${new URL(request.tokenUrl).origin} could not be reached`);
  }
  if (!response.ok) throw new OAuthFlowError(`the token endpoint refused the code (HTTP ${response.status})`);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new OAuthFlowError('the token endpoint answered something other than JSON');
  }
  const token = tokenOf(body);
  if (token === undefined) throw new OAuthFlowError('the token endpoint answered without a token');
  return token;
}

/** `token`, or its duplicate `access_token`. */
function tokenOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  for (const key of ['token', 'access_token']) {
    const value: unknown = (body as Record<string, unknown>)[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/**
 * Revokes a token: `POST /auth/uninstall` with it as the Bearer token, which uninstalls the app from
 * the workspace (docs/intercom.md, OAuth). Resolves to whether Intercom confirmed it.
 */
export async function revokeToken(fetch: FetchFunction, revokeUrl: string, token: string): Promise<boolean> {
  try {
    const response = await fetch(revokeUrl, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        'Content-Type': 'application/json',
      },
      body: '{}',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'manual',
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
