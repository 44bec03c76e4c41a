import type { RequestValidator } from '../src/sandbox/openapi-validator.js';
import { createRequestValidator } from '../src/sandbox/openapi-validator.js';
import type { Sandbox, SandboxOptions } from '../src/sandbox/sandbox.js';
import { createSandbox } from '../src/sandbox/sandbox.js';

/** The bearer token the loopback sandboxes accept. */
export const TOKEN = 'loopback-token-123';

/** The loopback sandboxes' clock, in ms since the epoch. */
export const NOW_MS = 1_764_355_800_000;

/** Sandboxes on loopback sharing one OpenAPI validator: `prepare` for `beforeAll`, `closeAll` for `afterAll`. */
export interface LoopbackSandboxes {
  /** Loads the validator (about a second; `start` waits for it too). */
  prepare(): Promise<void>;
  /** Starts a sandbox (token, app id `loop-app` and clock above, plus `options`) on a free port. */
  start(options?: SandboxOptions): Promise<{ sandbox: Sandbox; baseUrl: string }>;
  /** The sandboxes still to close. */
  readonly running: Sandbox[];
  closeAll(): Promise<void>;
}

/** Creates the set; nothing is loaded until `prepare` or the first `start`. */
export function loopbackSandboxes(): LoopbackSandboxes {
  let validator: Promise<RequestValidator> | undefined;
  const loaded = (): Promise<RequestValidator> => (validator ??= createRequestValidator());
  const running: Sandbox[] = [];
  return {
    running,
    async prepare() {
      await loaded();
    },
    async start(options = {}) {
      const sandbox = await createSandbox({
        validator: await loaded(),
        token: TOKEN,
        appId: 'loop-app',
        clock: { now: () => NOW_MS },
        ...options,
      });
      running.push(sandbox);
      return { sandbox, baseUrl: await sandbox.listen({ port: 0, host: '127.0.0.1' }) };
    },
    async closeAll() {
      await Promise.all(running.map((s) => s.close()));
    },
  };
}
