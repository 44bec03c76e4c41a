import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RequestValidator, createRequestValidator } from './openapi-validator.js';
import { type Sandbox, createSandbox } from './sandbox.js';

let validator: RequestValidator;
const sandboxes: Sandbox[] = [];

beforeAll(async () => {
  validator = await createRequestValidator();
});
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.close()));
});

/** A pino logger that keeps every line it writes. */
function capturingLogger(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level: 'info' }, stream);
  return {
    logger,
    lines: () =>
      written
        .join('')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe("the sandbox's own pages", () => {
  it("answers the browser's favicon request with 204 and records no Intercom call or violation", async () => {
    const sandbox = await createSandbox({ validator });
    sandboxes.push(sandbox);
    const answer = await sandbox.app.inject({ method: 'GET', url: '/favicon.ico' });
    expect(answer.statusCode).toBe(204);
    expect(sandbox.requests()).toEqual([]);
    expect(sandbox.violations()).toEqual([]);
  });

  it('logs a failure of its own (a demo script that cannot be read) through the logger it is given, and only failures', async () => {
    const { logger, lines } = capturingLogger();
    const sandbox = await createSandbox({
      validator,
      logger,
      demoScript: () => Promise.reject(new Error('demo.js is not built')),
    });
    sandboxes.push(sandbox);
    expect((await sandbox.app.inject({ method: 'GET', url: '/sandbox/state' })).statusCode).toBe(200);
    const answer = await sandbox.app.inject({ method: 'GET', url: '/demo/demo.js' });
    expect(answer.statusCode).toBe(500);
    expect(answer.json()).toMatchObject({ errors: [{ message: 'Internal sandbox error' }] });
    const logged = lines();
    expect(logged).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'sandbox request failed',
        err: expect.objectContaining({ message: 'demo.js is not built' }),
      }),
    ]);
  });
});
