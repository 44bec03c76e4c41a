import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, readServeConfig } from './config.js';

function problemsOf(env: Record<string, string>, cwd = '/srv'): readonly string[] {
  try {
    readServeConfig(env, cwd);
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('the retry horizon setting (L-1)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'horizon-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('L-1 retries transient failures for 72 hours unless RETRY_HORIZON_HOURS says otherwise', () => {
    expect(readServeConfig({}, '/srv').destinations[0]?.retryHorizonHours).toBe(72);
    expect(readServeConfig({ RETRY_HORIZON_HOURS: '6' }, '/srv').destinations[0]?.retryHorizonHours).toBe(6);
  });

  it('L-1 refuses a horizon that is not a whole number of hours from 1 to 720', () => {
    for (const value of ['0', '1.5', '721', 'forever']) {
      expect(problemsOf({ RETRY_HORIZON_HOURS: value })).toEqual([
        `RETRY_HORIZON_HOURS must be a whole number from 1 to 720, got ${JSON.stringify(value)}`,
      ]);
    }
  });

  it('L-1 reads settings.retryHorizonHours per destination in DESTINATIONS_FILE', () => {
    const destination = (id: string, settings: object) => ({
      id,
      accessToken: `${id}-token`,
      settings,
      sources: [{ id: `${id}-web`, writeKey: `wk-${id}` }],
    });
    const file = path.join(dir, 'destinations.json');
    writeFileSync(
      file,
      JSON.stringify({ destinations: [destination('a', { retryHorizonHours: 12 }), destination('b', {})] }),
    );
    const config = readServeConfig({ DESTINATIONS_FILE: file }, dir);
    expect(config.destinations.map((d) => [d.id, d.retryHorizonHours])).toEqual([
      ['a', 12],
      ['b', 72],
    ]);
    writeFileSync(file, JSON.stringify({ destinations: [destination('a', { retryHorizonHours: -1 })] }));
    expect(problemsOf({ DESTINATIONS_FILE: file }, dir)).toEqual([
      'DESTINATIONS_FILE: destinations[0].settings: RETRY_HORIZON_HOURS must be a whole number from 1 to 720, got "-1"',
    ]);
  });
});

describe('ports', () => {
  it('refuses PORT equal to SANDBOX_PORT when the sandbox runs in-process', () => {
    expect(problemsOf({ PORT: '9000', SANDBOX_PORT: '9000' })).toEqual([
      'PORT and SANDBOX_PORT are both 9000: the ingestion server and the in-process sandbox need a port each',
    ]);
    expect(problemsOf({ PORT: '8788' })).toEqual([
      'PORT and SANDBOX_PORT are both 8788: the ingestion server and the in-process sandbox need a port each',
    ]);
  });

  it('allows equal ports when no sandbox runs, and 0 for both (any free port)', () => {
    const real = { INTERCOM_ACCESS_TOKEN: 'token', SEGMENT_WRITE_KEY: 'key' };
    expect(problemsOf({ ...real, PORT: '9000', SANDBOX_PORT: '9000' })).toEqual([]);
    expect(problemsOf({ PORT: '0', SANDBOX_PORT: '0' })).toEqual([]);
  });
});
