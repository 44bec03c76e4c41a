import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, LOCAL_WRITE_KEY, readServeConfig, type ServeConfig } from './config.js';
import { describeDatabaseUrl } from './database-config.js';

function problemsOf(env: Record<string, string>, cwd = '/srv'): readonly string[] {
  try {
    readServeConfig(env, cwd);
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

function only(config: ServeConfig): ServeConfig['destinations'][number] {
  expect(config.destinations).toHaveLength(1);
  return config.destinations[0]!;
}

describe('readServeConfig from the environment', () => {
  it('runs on the sandbox with the local write key when nothing is configured', () => {
    const config = readServeConfig({}, '/srv');
    expect(config.sandbox).toEqual({ port: 8788 });
    expect(config.defaultWriteKey).toBe(true);
    expect(config.port).toBe(8787);
    expect(config.dataDir).toBe('/srv/data');
    const d = only(config);
    expect(d.sources).toEqual([{ sourceId: 'default', writeKey: LOCAL_WRITE_KEY }]);
    expect(d.apiVersion).toBe('2.16');
    expect(d.apiBaseUrl).toBeUndefined();
  });

  it('L-4 L-5 reads ADMIN_TOKEN for the admin routes; absent or blank, they are off', () => {
    expect(readServeConfig({ ADMIN_TOKEN: ' s3cret-admin-token ' }, '/srv').console.adminToken).toBe(
      's3cret-admin-token',
    );
    expect(readServeConfig({ ADMIN_TOKEN: '  ' }, '/srv').console.adminToken).toBeUndefined();
    expect(readServeConfig({}, '/srv').console.adminToken).toBeUndefined();
  });

  it('targets Intercom in the configured region with a token', () => {
    const config = readServeConfig(
      { INTERCOM_ACCESS_TOKEN: 'tok', INTERCOM_REGION: 'EU', SEGMENT_WRITE_KEY: 'a, b', DATA_DIR: 'x' },
      '/srv',
    );
    expect(config.sandbox).toBeUndefined();
    const d = only(config);
    expect(d).toMatchObject({ id: 'default', accessToken: 'tok', region: 'eu' });
    expect(d.sources.map((s) => s.writeKey)).toEqual(['a', 'b']);
    expect(config.dataDir).toBe('/srv/x');
  });

  it('lets INTERCOM_API_URL override the region', () => {
    const config = readServeConfig(
      { INTERCOM_ACCESS_TOKEN: 'tok', INTERCOM_API_URL: 'http://127.0.0.1:9/', SEGMENT_WRITE_KEY: 'k' },
      '/srv',
    );
    expect(only(config).apiBaseUrl).toBe('http://127.0.0.1:9');
  });

  it('reports every problem at once and never echoes the token', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      INTERCOM_REGION: 'mars',
      INTERCOM_ACCESS_TOKEN: 'secret-token-value',
      LOG_LEVEL: 'loud',
    });
    expect(problems).toHaveLength(4);
    const text = problems.join('\n');
    expect(text).toMatch(/PORT/);
    expect(text).toMatch(/INTERCOM_REGION/);
    expect(text).toMatch(/SEGMENT_WRITE_KEY is required/);
    expect(text).toMatch(/LOG_LEVEL/);
    expect(text).not.toContain('secret-token-value');
  });

  it('reads every mapping setting as INTERCOM_ + upper snake case, reporting bad values with the rest', () => {
    const config = readServeConfig(
      {
        INTERCOM_COLLECT_CONTEXT: 'true',
        INTERCOM_RICH_LINK_PROPERTIES: 'article, order',
        INTERCOM_MAX_EVENT_METADATA_KEYS: '5',
        INTERCOM_CREATE_MISSING_ATTRIBUTES: 'false',
        INTERCOM_IS_BULK_API_ENABLED: 'true',
        INTERCOM_CONTACT_ROLE_WITHOUT_USER_ID: 'lead',
      },
      '/srv',
    );
    const d = only(config);
    expect(d.mapping).toEqual({
      collectContext: true,
      richLinkProperties: ['article', 'order'],
      maxEventMetadataKeys: 5,
      createMissingAttributes: false,
      contactRoleWithoutUserId: 'lead',
    });
    expect(d.bulkApiEnabled).toBe(true);
    const problems = problemsOf({
      PORT: 'x',
      INTERCOM_COLLECT_CONTEXT: 'maybe',
      INTERCOM_IS_BULK_API_ENABLED: 'sometimes',
    });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/INTERCOM_COLLECT_CONTEXT/);
    expect(problems.join('\n')).toMatch(/INTERCOM_IS_BULK_API_ENABLED/);
  });

  it('accepts every setting of the settings table as INTERCOM_ + upper snake case, apiBaseUrl and activator included', () => {
    const config = readServeConfig(
      {
        INTERCOM_ACCESS_TOKEN: 't',
        SEGMENT_WRITE_KEY: 'k',
        INTERCOM_API_BASE_URL: 'http://127.0.0.1:7/',
        INTERCOM_ACTIVATOR: '#help',
      },
      '/srv',
    );
    expect(only(config).apiBaseUrl).toBe('http://127.0.0.1:7');
    expect(config.activator).toBe('#help');
    expect(
      problemsOf({
        INTERCOM_ACCESS_TOKEN: 't',
        SEGMENT_WRITE_KEY: 'k',
        INTERCOM_API_URL: 'http://a.example',
        INTERCOM_API_BASE_URL: 'http://b.example',
        INTERCOM_ACTIVATOR: ' ',
      }),
    ).toEqual([
      'INTERCOM_API_URL and INTERCOM_API_BASE_URL are both set, to different URLs: set one',
      'INTERCOM_ACTIVATOR must be a CSS selector, not blank',
    ]);
  });

  it('refuses an API URL without a token', () => {
    expect(problemsOf({ INTERCOM_API_URL: 'http://localhost:1' })).toEqual([
      'INTERCOM_API_URL is set but INTERCOM_ACCESS_TOKEN is not: a token is required to call it',
    ]);
  });
});

describe('readServeConfig with DESTINATIONS_FILE', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function withFile(document: unknown): Record<string, string> {
    writeFileSync(path.join(dir, 'destinations.json'), JSON.stringify(document));
    return { DESTINATIONS_FILE: 'destinations.json' };
  }

  it('maps each source to its own workspace, beside the single-tenant variables', () => {
    const env = {
      ...withFile({
        destinations: [
          {
            id: 'acme',
            accessToken: 'acme-token',
            region: 'eu',
            settings: { collectContext: true, richLinkProperties: ['article'] },
            sources: [{ id: 'acme-web', writeKey: 'wk-acme' }],
          },
          {
            id: 'globex',
            accessTokenEnv: 'GLOBEX_TOKEN',
            sources: [{ id: 'globex-ios', writeKey: 'wk-globex' }],
          },
        ],
      }),
      GLOBEX_TOKEN: 'globex-token',
      INTERCOM_ACCESS_TOKEN: 'main-token',
      SEGMENT_WRITE_KEY: 'wk-main',
    };
    const config = readServeConfig(env, dir);
    expect(config.sandbox).toBeUndefined();
    expect(config.destinations.map((d) => [d.id, d.accessToken, d.sources.map((s) => s.writeKey)])).toEqual([
      ['acme', 'acme-token', ['wk-acme']],
      ['globex', 'globex-token', ['wk-globex']],
      ['default', 'main-token', ['wk-main']],
    ]);
    expect(config.destinations[0]!.mapping.richLinkProperties).toEqual(['article']);
    expect(config.destinations[0]!.region).toBe('eu');
  });

  it('reports every problem of the file, and a write key shared by two workspaces, without secrets', () => {
    const problems = problemsOf(
      withFile({
        destinations: [
          {
            id: 'a',
            accessToken: 'secret-a',
            sources: [{ id: 's1', writeKey: 'shared-key' }],
            settings: { collectContext: 'perhaps' },
          },
          {
            id: 'b',
            accessToken: 'secret-b',
            region: 'mars',
            sources: [{ id: 's2', writeKey: 'shared-key' }],
          },
          { id: 'c', sources: [] },
        ],
      }),
      dir,
    );
    const text = problems.join('\n');
    expect(text).toMatch(/destinations\[0\]\.settings: INTERCOM_COLLECT_CONTEXT must be true or false/);
    expect(text).toMatch(/destinations\[1\]\.region must be one of us, eu, au/);
    expect(text).toMatch(/destinations\[2\]\.accessToken is required/);
    expect(text).toMatch(/destinations\[2\]\.sources must be a non-empty array/);
    expect(text).not.toMatch(/secret-a|secret-b|shared-key/);
  });

  it('says when the file is missing or not JSON', () => {
    expect(problemsOf({ DESTINATIONS_FILE: 'nope.json' }, dir)).toEqual([
      'DESTINATIONS_FILE "nope.json" cannot be read',
    ]);
    writeFileSync(path.join(dir, 'bad.json'), '{oops');
    expect(problemsOf({ DESTINATIONS_FILE: 'bad.json' }, dir)).toEqual([
      'DESTINATIONS_FILE "bad.json" is not valid JSON',
    ]);
  });
});

describe('readServeConfig with DATABASE_URL (the shared PostgreSQL queue)', () => {
  it('keeps the SQLite queue in DATA_DIR when DATABASE_URL is absent or blank', () => {
    expect(readServeConfig({}, '/srv').databaseUrl).toBeUndefined();
    expect(readServeConfig({ DATABASE_URL: '  ' }, '/srv').databaseUrl).toBeUndefined();
  });

  it.each(['postgres://app:pw@db.internal:5432/events', 'postgresql://db.internal/events'])(
    'accepts %s',
    (url) => {
      expect(readServeConfig({ DATABASE_URL: url }, '/srv').databaseUrl).toBe(url);
    },
  );

  it.each(['mysql://app:hunter2@db/events', 'postgres:///events?password=hunter2', 'hunter2'])(
    'refuses %s without quoting it (it may hold a password)',
    (url) => {
      const problems = problemsOf({ DATABASE_URL: url });
      expect(problems).toEqual([
        'DATABASE_URL must be a PostgreSQL URL: postgres://user:password@host:port/database',
      ]);
      expect(problems.join('\n')).not.toContain('hunter2');
    },
  );

  it('sizes the connection pool from DATABASE_POOL_SIZE (default 10), refusing nonsense', () => {
    expect(readServeConfig({}, '/srv').databasePoolSize).toBe(10);
    expect(readServeConfig({ DATABASE_POOL_SIZE: '4' }, '/srv').databasePoolSize).toBe(4);
    expect(problemsOf({ DATABASE_POOL_SIZE: '1' })).toEqual([
      'DATABASE_POOL_SIZE must be a whole number from 2 to 1000, got "1"',
    ]);
    expect(problemsOf({ DATABASE_POOL_SIZE: 'many' })).toHaveLength(1);
  });

  it('describes the database without user or password', () => {
    expect(describeDatabaseUrl('postgres://app:hunter2@db.internal:5432/events')).toBe(
      'PostgreSQL db.internal:5432/events',
    );
    expect(describeDatabaseUrl('postgresql://db.internal')).toBe('PostgreSQL db.internal');
  });
});

describe('readServeConfig delivery settings', () => {
  it('runs 8 lanes at once with 10-second leases unless DELIVERY_CONCURRENCY and DELIVERY_LEASE_SECONDS say otherwise', () => {
    expect(readServeConfig({}, '/srv').delivery).toEqual({ concurrency: 8, leaseSeconds: 10 });
    expect(
      readServeConfig({ DELIVERY_CONCURRENCY: '3', DELIVERY_LEASE_SECONDS: '' }, '/srv').delivery,
    ).toEqual({ concurrency: 3, leaseSeconds: 10 });
    expect(
      readServeConfig({ DELIVERY_CONCURRENCY: ' ', DELIVERY_LEASE_SECONDS: '30' }, '/srv').delivery,
    ).toEqual({ concurrency: 8, leaseSeconds: 30 });
  });

  it('reports a concurrency or lease that is not a whole number in range, with the other problems', () => {
    expect(
      problemsOf({ PORT: 'x', DELIVERY_CONCURRENCY: '0', DELIVERY_LEASE_SECONDS: '2.5', LOG_LEVEL: 'loud' }),
    ).toEqual([
      'PORT must be a port number (0-65535), got "x"',
      'DELIVERY_CONCURRENCY must be a whole number from 1 to 256, got "0"',
      'DELIVERY_LEASE_SECONDS must be a whole number from 1 to 3600, got "2.5"',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ]);
    expect(problemsOf({ DELIVERY_CONCURRENCY: 'many' })).toEqual([
      'DELIVERY_CONCURRENCY must be a whole number from 1 to 256, got "many"',
    ]);
    expect(problemsOf({ DELIVERY_LEASE_SECONDS: '3601' })).toEqual([
      'DELIVERY_LEASE_SECONDS must be a whole number from 1 to 3600, got "3601"',
    ]);
  });
});
