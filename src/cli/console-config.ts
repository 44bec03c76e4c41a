import type { Env } from './command.js';
import { readUrl } from './env-values.js';

/** The console's and OAuth's settings (secrets among them: never in a message). */
export interface ConsoleSettings {
  /** ADMIN_TOKEN: the console's sign-in and the admin routes' Bearer credential; without it both are off. */
  readonly adminToken?: string;
  /** SECRET_KEY: the key OAuth tokens are sealed with; without it none is stored. */
  readonly secretKey?: string;
  /** INTERCOM_CLIENT_ID and INTERCOM_CLIENT_SECRET: "Connect Intercom" with OAuth. */
  readonly oauthClient?: { readonly clientId: string; readonly clientSecret: string };
  /** INTERCOM_OAUTH_AUTHORIZE_URL: Intercom's authorize page, when not the region's (a sandbox, tests). */
  readonly authorizeUrl?: string;
  /** INTERCOM_OAUTH_TOKEN_URL: Intercom's token endpoint, when not the region's. */
  readonly tokenUrl?: string;
  /** CONSOLE_PUBLIC_URL: the console's address as browsers reach it (the OAuth callback's base). */
  readonly publicUrl?: string;
}

const MIN_ADMIN_TOKEN_LENGTH = 16;
const MIN_SECRET_KEY_LENGTH = 32;

/** Reads the console's settings; problems go to the shared list without the values. */
export function readConsoleSettings(env: Env, problems: string[]): ConsoleSettings {
  const adminToken = nonEmpty(env['ADMIN_TOKEN']);
  if (adminToken !== undefined && adminToken.length < MIN_ADMIN_TOKEN_LENGTH)
    problems.push(
      `ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (e.g. openssl rand -hex 24)`,
    );
  const secretKey = nonEmpty(env['SECRET_KEY']);
  if (secretKey !== undefined && secretKey.length < MIN_SECRET_KEY_LENGTH)
    problems.push(
      `SECRET_KEY must be at least ${MIN_SECRET_KEY_LENGTH} characters (e.g. openssl rand -hex 32)`,
    );
  const clientId = nonEmpty(env['INTERCOM_CLIENT_ID']);
  const clientSecret = nonEmpty(env['INTERCOM_CLIENT_SECRET']);
  if ((clientId === undefined) !== (clientSecret === undefined))
    problems.push(
      'INTERCOM_CLIENT_ID and INTERCOM_CLIENT_SECRET go together: set both for OAuth, or neither',
    );
  const authorizeUrl = readUrl(env, 'INTERCOM_OAUTH_AUTHORIZE_URL', problems);
  const tokenUrl = readUrl(env, 'INTERCOM_OAUTH_TOKEN_URL', problems);
  const publicUrl = readUrl(env, 'CONSOLE_PUBLIC_URL', problems);
  return {
    ...(adminToken === undefined ? {} : { adminToken }),
    ...(secretKey === undefined ? {} : { secretKey }),
    ...(clientId !== undefined && clientSecret !== undefined
      ? { oauthClient: { clientId, clientSecret } }
      : {}),
    ...(authorizeUrl === undefined ? {} : { authorizeUrl }),
    ...(tokenUrl === undefined ? {} : { tokenUrl }),
    ...(publicUrl === undefined ? {} : { publicUrl }),
  };
}

/** A variable's value without surrounding spaces, or undefined when it has none. */
function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
