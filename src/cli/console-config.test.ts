import { describe, expect, it } from 'vitest';
import { ConfigError, readServeConfig } from './config.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    readServeConfig(env, '/srv');
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const OAUTH = { INTERCOM_CLIENT_ID: 'app', INTERCOM_CLIENT_SECRET: 'shh-secret' };

describe('console and OAuth settings', () => {
  it('reads ADMIN_TOKEN, SECRET_KEY, the OAuth client and its URLs', () => {
    const config = readServeConfig(
      {
        ADMIN_TOKEN: 'a'.repeat(16),
        SECRET_KEY: 'k'.repeat(32),
        ...OAUTH,
        INTERCOM_OAUTH_AUTHORIZE_URL: 'http://localhost:9/oauth',
        INTERCOM_OAUTH_TOKEN_URL: 'http://localhost:9/auth/eagle/token',
        CONSOLE_PUBLIC_URL: 'https://ops.example.com/',
      },
      '/srv',
    );
    expect(config.console).toEqual({
      adminToken: 'a'.repeat(16),
      secretKey: 'k'.repeat(32),
      oauthClient: { clientId: 'app', clientSecret: 'shh-secret' },
      authorizeUrl: 'http://localhost:9/oauth',
      tokenUrl: 'http://localhost:9/auth/eagle/token',
      publicUrl: 'https://ops.example.com',
    });
  });

  it('refuses short secrets and half an OAuth client, without quoting the values', () => {
    const problems = problemsOf({
      ADMIN_TOKEN: 'short-admin',
      SECRET_KEY: 'short-key',
      INTERCOM_CLIENT_ID: 'app',
    });
    expect(problems).toEqual([
      'ADMIN_TOKEN must be at least 16 characters (e.g. openssl rand -hex 24)',
      'SECRET_KEY must be at least 32 characters (e.g. openssl rand -hex 32)',
      'INTERCOM_CLIENT_ID and INTERCOM_CLIENT_SECRET go together: set both for OAuth, or neither',
    ]);
    expect(problems.join('\n')).not.toContain('short-admin');
  });

  it('with an OAuth client and no token, the INTERCOM_* destination is connected from the console', () => {
    const sandbox = readServeConfig(OAUTH, '/srv');
    expect(sandbox.sandbox).toBeDefined();
    expect(sandbox.destinations[0]).toMatchObject({ id: 'default', accessToken: '', tokenSource: 'oauth' });
    const real = readServeConfig(
      { ...OAUTH, INTERCOM_API_URL: 'https://api.eu.intercom.io', SEGMENT_WRITE_KEY: 'wk' },
      '/srv',
    );
    expect(real.sandbox).toBeUndefined();
    expect(real.destinations[0]).toMatchObject({
      tokenSource: 'oauth',
      apiBaseUrl: 'https://api.eu.intercom.io',
    });
    expect(problemsOf({ ...OAUTH, INTERCOM_API_URL: 'https://api.eu.intercom.io' })).toEqual([
      'SEGMENT_WRITE_KEY is required when delivering to a real Intercom workspace (comma-separated list of accepted keys), or SEGMENT_WEBHOOK_SECRET to take events from a Segment workspace',
    ]);
  });

  it('says where each destination’s token comes from', () => {
    expect(readServeConfig({}, '/srv').destinations[0]?.tokenSource).toBe('sandbox');
    const env = { INTERCOM_ACCESS_TOKEN: 'tok', SEGMENT_WRITE_KEY: 'wk' };
    expect(readServeConfig(env, '/srv').destinations[0]?.tokenSource).toBe('environment');
  });
});
