import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { readServeConfig } from '../../src/cli/config.js';
import { startService, type RunningService } from '../../src/cli/service.js';
import type { DeliveryPolicy } from '../../src/delivery/worker/policy.js';
import type { SandboxOptions } from '../../src/sandbox/sandbox.js';
import { createRequestValidator, type RequestValidator } from '../../src/sandbox/openapi-validator.js';

/** The write key the end-to-end tests use. */
export const WRITE_KEY = 'e2e-write-key';

let sharedValidator: Promise<RequestValidator> | undefined;
/** One OpenAPI validator for all sandboxes of a test file (loading it takes about a second). */
export function validator(): Promise<RequestValidator> {
  sharedValidator ??= createRequestValidator();
  return sharedValidator;
}

/** A service on loopback ports, on the in-process sandbox, with its own data directory. */
export interface TestService extends RunningService {
  readonly dataDir: string;
}

/** Starts the whole product in-process as `npm start` would, on free ports and a temp data dir. */
export async function startTestService(
  env: Record<string, string> = {},
  sandboxOptions: SandboxOptions = {},
  policy?: DeliveryPolicy,
  extra: { readonly ratePacing?: boolean } = {},
): Promise<TestService> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'e2e-data-'));
  const config = readServeConfig(
    { PORT: '0', SANDBOX_PORT: '0', SEGMENT_WRITE_KEY: WRITE_KEY, DATA_DIR: dataDir, ...env },
    process.cwd(),
  );
  const service = await startService(config, {
    logger: pino({ level: 'silent' }),
    pollMs: 20,
    sandboxOptions: { validator: await validator(), requestLogLimit: 100_000, ...sandboxOptions },
    ...(policy !== undefined ? { policy } : {}),
    ...extra,
  });
  return {
    ...service,
    dataDir,
    async close() {
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Basic auth header of a write key, as Segment's libraries send it (I-2). */
export function basicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
}
