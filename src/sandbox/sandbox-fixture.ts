import { strictEqual } from 'node:assert/strict';
import { type RequestValidator, createRequestValidator } from './openapi-validator.js';
import { type Sandbox, type SandboxOptions, createSandbox } from './sandbox.js';
import { type ManualClock, createManualClock } from '../clock/manual-clock.js';

/** An answer from `app.inject`, with the body parsed when it is JSON. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly body: string;
  // Test assertions read arbitrary fields of Intercom answers.
  readonly json: Record<string, unknown>;
}

/** A sandbox on a manual clock with a helper that sends authenticated Intercom requests. */
export interface TestSandbox {
  readonly sandbox: Sandbox;
  readonly clock: ManualClock;
  call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Readonly<Record<string, string>>,
  ): Promise<TestResponse>;
}

/** The token test requests carry unless they pass their own Authorization header. */
export const TEST_TOKEN = 'test-token-not-secret';

/** Creates a sandbox for tests: shared validator, manual clock, no logger. */
export async function createTestSandbox(
  validator: RequestValidator,
  options: SandboxOptions = {},
): Promise<TestSandbox> {
  const clock = createManualClock();
  const sandbox = await createSandbox({ validator, clock, logger: false, ...options });
  return {
    sandbox,
    clock,
    async call(method, url, body, headers = {}) {
      const response = await sandbox.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${TEST_TOKEN}`,
          'intercom-version': '2.16',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const isJson = String(response.headers['content-type'] ?? '').includes('json') && response.body !== '';
      return {
        status: response.statusCode,
        headers: response.headers,
        body: response.body,
        json: isJson ? (JSON.parse(response.body) as Record<string, unknown>) : {},
      };
    },
  };
}

/** Test sandboxes sharing one OpenAPI validator: `prepare` for `beforeAll`, `closeAll` for `afterEach`. */
export interface TestSandboxes {
  /** Loads the validator (about a second; `start` waits for it too). */
  prepare(): Promise<void>;
  /** Starts a sandbox on a manual clock with these options. */
  start(options?: SandboxOptions): Promise<TestSandbox>;
  /** Closes every sandbox started since the last call. */
  closeAll(): Promise<void>;
}

/** Creates the set; nothing is loaded until `prepare` or the first `start`. */
export function testSandboxes(): TestSandboxes {
  let validator: Promise<RequestValidator> | undefined;
  const open: TestSandbox[] = [];
  const loaded = (): Promise<RequestValidator> => (validator ??= createRequestValidator());
  return {
    async prepare() {
      await loaded();
    },
    async start(options = {}) {
      const t = await createTestSandbox(await loaded(), options);
      open.push(t);
      return t;
    },
    async closeAll() {
      await Promise.all(open.splice(0).map((t) => t.sandbox.close()));
    },
  };
}

/** Creates these custom attributes (string-typed) so requests may set them (Intercom 2.x needs them first). */
export async function withAttributes(
  t: TestSandbox,
  model: 'contact' | 'company',
  ...names: string[]
): Promise<void> {
  for (const name of names) {
    const r = await t.call('POST', '/data_attributes', { name, model, data_type: 'string' });
    strictEqual(r.status, 200);
  }
}
