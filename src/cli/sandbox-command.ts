import type { Command, Env } from './command.js';
import { createSandbox, type SandboxOptions } from '../sandbox/sandbox.js';

/** Default port of the standalone sandbox (the same one `serve` uses for its in-process sandbox). */
export const DEFAULT_SANDBOX_PORT = 8788;

/** Where and how to run the standalone sandbox. */
export interface SandboxCommandConfig {
  readonly host: string;
  readonly port: number;
  readonly options: SandboxOptions;
}

function readInteger(
  env: Env,
  name: string,
  min: number,
  max: number,
  problems: string[],
): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    return undefined;
  }
  return value;
}

/**
 * Reads PORT (default 8788), HOST (default 127.0.0.1), SANDBOX_TOKEN (accept only this bearer token),
 * SANDBOX_RATE_LIMIT (requests per 10 s, default 1000), SANDBOX_SEARCH_LAG_MS (default 0) and
 * SANDBOX_APP_ID (default `sandbox`); returns the config or the problems found.
 */
export function readSandboxCommandConfig(env: Env): {
  readonly config?: SandboxCommandConfig;
  readonly problems: readonly string[];
} {
  const problems: string[] = [];
  const port = readInteger(env, 'PORT', 0, 65535, problems) ?? DEFAULT_SANDBOX_PORT;
  const limit = readInteger(env, 'SANDBOX_RATE_LIMIT', 1, 1_000_000, problems);
  const lag = readInteger(env, 'SANDBOX_SEARCH_LAG_MS', 0, 86_400_000, problems);
  const token = env['SANDBOX_TOKEN'];
  const appId = env['SANDBOX_APP_ID'];
  if (problems.length > 0) return { problems };
  const options: SandboxOptions = {
    ...(token === undefined || token === '' ? {} : { token }),
    ...(limit === undefined ? {} : { rateLimit: { limit, windowMs: 10_000 } }),
    ...(lag === undefined ? {} : { searchLagMs: lag }),
    ...(appId === undefined || appId === '' ? {} : { appId }),
  };
  return { config: { host: env['HOST'] ?? '127.0.0.1', port, options }, problems };
}

/** `sandbox`: runs the local Intercom until the process is asked to stop. */
export const sandboxCommand: Command = async (_args, env, io, signal) => {
  const { config, problems } = readSandboxCommandConfig(env);
  if (config === undefined) {
    io.stderr.write(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 2;
  }
  const sandbox = await createSandbox(config.options);
  const url = await sandbox.listen({ port: config.port, host: config.host });
  const auth =
    config.options.token === undefined ? 'any non-empty bearer token' : 'the bearer token in SANDBOX_TOKEN';
  io.stdout.write(`Intercom sandbox listening on ${url} (accepts ${auth})\n`);
  io.stdout.write(`  state: ${url}/sandbox/state  requests: ${url}/sandbox/requests  page: ${url}/\n`);
  if (!signal.aborted) {
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }
  await sandbox.close();
  io.stdout.write('Intercom sandbox stopped\n');
  return 0;
};
