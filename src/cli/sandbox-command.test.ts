import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_PORT, readSandboxCommandConfig, sandboxCommand } from './sandbox-command.js';

describe('readSandboxCommandConfig', () => {
  it('defaults to 127.0.0.1:8788, any token, default limits', () => {
    expect(readSandboxCommandConfig({})).toEqual({
      config: { host: '127.0.0.1', port: DEFAULT_SANDBOX_PORT, options: {} },
      problems: [],
    });
  });

  it('reads PORT, HOST, SANDBOX_TOKEN, SANDBOX_RATE_LIMIT, SANDBOX_SEARCH_LAG_MS and SANDBOX_APP_ID', () => {
    const { config } = readSandboxCommandConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      SANDBOX_TOKEN: 'tok',
      SANDBOX_RATE_LIMIT: '5',
      SANDBOX_SEARCH_LAG_MS: '2000',
      SANDBOX_APP_ID: 'app1',
    });
    expect(config).toEqual({
      host: '0.0.0.0',
      port: 9000,
      options: { token: 'tok', rateLimit: { limit: 5, windowMs: 10_000 }, searchLagMs: 2000, appId: 'app1' },
    });
  });

  it.each([
    ['PORT', 'http'],
    ['PORT', '70000'],
    ['SANDBOX_RATE_LIMIT', '0'],
    ['SANDBOX_SEARCH_LAG_MS', '-1'],
  ])('reports %s=%s as a problem', (name, value) => {
    const result = readSandboxCommandConfig({ [name]: value });
    expect(result.config).toBeUndefined();
    expect(result.problems[0]).toContain(name);
  });
});

describe('sandboxCommand', () => {
  it('starts on the given port, serves, and stops cleanly when the signal aborts', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let output = '';
    stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const controller = new AbortController();
    const done = sandboxCommand(
      [],
      { PORT: '0', SANDBOX_TOKEN: 'cli-token' },
      { stdin: new PassThrough(), stdout, stderr },
      controller.signal,
    );
    await expect.poll(() => output, { timeout: 20_000 }).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
    expect(output).not.toContain('cli-token');
    expect((await fetch(`${url}/me`, { headers: { authorization: 'Bearer cli-token' } })).status).toBe(200);
    expect((await fetch(`${url}/me`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    controller.abort();
    expect(await done).toBe(0);
    await expect(fetch(`${url}/me`)).rejects.toThrow();
  });

  it('exits with 2 and the problems on bad configuration', async () => {
    const stderr = new PassThrough();
    let errors = '';
    stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const code = await sandboxCommand(
      [],
      { PORT: 'x' },
      { stdin: new PassThrough(), stdout: new PassThrough(), stderr },
      new AbortController().signal,
    );
    expect(code).toBe(2);
    expect(errors).toContain('PORT');
  });
});
