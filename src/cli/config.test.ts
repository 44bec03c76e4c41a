import { describe, expect, it } from 'vitest';
import { ConfigError, LOCAL_WRITE_KEY, readServeConfig } from './config.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    readServeConfig(env, '/srv');
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('readServeConfig', () => {
  it('runs on the sandbox with the local write key when nothing is configured', () => {
    const config = readServeConfig({}, '/srv');
    expect(config.intercom).toEqual({ kind: 'sandbox', port: 8788 });
    expect(config.writeKeys).toEqual([LOCAL_WRITE_KEY]);
    expect(config.defaultWriteKey).toBe(true);
    expect(config.port).toBe(8787);
    expect(config.dataDir).toBe('/srv/data');
    expect(config.apiVersion).toBe('2.16');
  });

  it('targets Intercom in the configured region with a token', () => {
    const config = readServeConfig(
      { INTERCOM_ACCESS_TOKEN: 'tok', INTERCOM_REGION: 'EU', SEGMENT_WRITE_KEY: 'a, b', DATA_DIR: 'x' },
      '/srv',
    );
    expect(config.intercom).toEqual({ kind: 'intercom', accessToken: 'tok', region: 'eu' });
    expect(config.writeKeys).toEqual(['a', 'b']);
    expect(config.dataDir).toBe('/srv/x');
  });

  it('lets INTERCOM_API_URL override the region', () => {
    const config = readServeConfig(
      { INTERCOM_ACCESS_TOKEN: 'tok', INTERCOM_API_URL: 'http://127.0.0.1:9/', SEGMENT_WRITE_KEY: 'k' },
      '/srv',
    );
    expect(config.intercom).toMatchObject({ kind: 'intercom', apiBaseUrl: 'http://127.0.0.1:9' });
  });

  it('reports every problem at once and never echoes the token', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      INTERCOM_REGION: 'mars',
      INTERCOM_ACCESS_TOKEN: 'secret-token-value',
      LOG_LEVEL: 'loud',
    });
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/INTERCOM_REGION/);
    expect(problems.join('\n')).toMatch(/SEGMENT_WRITE_KEY is required/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL/);
    expect(problems.join('\n')).not.toContain('secret-token-value');
  });

  it('reads every mapping setting as INTERCOM_ + upper snake case, reporting bad values with the rest', () => {
    const config = readServeConfig(
      {
        INTERCOM_COLLECT_CONTEXT: 'true',
        INTERCOM_RICH_LINK_PROPERTIES: 'article, order',
        INTERCOM_MAX_EVENT_METADATA_KEYS: '5',
        INTERCOM_CREATE_MISSING_ATTRIBUTES: 'false',
        INTERCOM_IS_BULK_API_ENABLED: 'true',
      },
      '/srv',
    );
    expect(config.mapping).toEqual({
      collectContext: true,
      richLinkProperties: ['article', 'order'],
      maxEventMetadataKeys: 5,
      createMissingAttributes: false,
    });
    expect(config.bulkApiEnabled).toBe(true);
    const problems = problemsOf({
      PORT: 'x',
      INTERCOM_COLLECT_CONTEXT: 'maybe',
      INTERCOM_IS_BULK_API_ENABLED: 'sometimes',
    });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/INTERCOM_COLLECT_CONTEXT/);
    expect(problems.join('\n')).toMatch(/INTERCOM_IS_BULK_API_ENABLED/);
  });

  it('refuses an API URL without a token', () => {
    expect(problemsOf({ INTERCOM_API_URL: 'http://localhost:1' })).toEqual([
      'INTERCOM_API_URL is set but INTERCOM_ACCESS_TOKEN is not: a token is required to call it',
    ]);
  });
});
