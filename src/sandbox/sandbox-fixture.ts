import type { RequestValidator } from './openapi-validator.js';
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
