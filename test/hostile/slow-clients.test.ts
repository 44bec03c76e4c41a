import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnqueueResult, Enqueuer, IncomingEvent } from '../../src/delivery/store/enqueue.js';
import {
  basic,
  createHostileApp,
  errorCode,
  listen,
  type RecordingEnqueuer,
  WRITE_KEY,
} from './ingest-fixture.js';

/** Short bounds so the slow-client cases finish in about a second each; production defaults are longer. */
const TIMEOUTS = {
  headersTimeoutMs: 300,
  requestTimeoutMs: 800,
  keepAliveTimeoutMs: 400,
  checkIntervalMs: 50,
  maxHeaderBytes: 4 * 1024,
};

let app: FastifyInstance;
let enqueuer: RecordingEnqueuer;
let port: number;
beforeAll(async () => {
  ({ app, enqueuer } = createHostileApp({ timeouts: TIMEOUTS }));
  port = await listen(app);
});
afterAll(async () => {
  await app.close();
});

/** What a raw connection saw: everything the server wrote, and when it closed the socket. */
interface RawResult {
  readonly text: string;
  readonly closedAfterMs: number;
  readonly status: number | undefined;
  readonly body: string;
}

/**
 * Opens a socket, writes `chunks` with `gapMs` between them (stopping once the server closes), and
 * waits for the server to close the connection, at most `limitMs`.
 */
async function rawExchange(chunks: readonly string[], gapMs: number, limitMs = 5_000): Promise<RawResult> {
  const socket: Socket = connect(port, '127.0.0.1');
  const startedAt = Date.now();
  let text = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const done = new Promise<void>((resolve) =>
    socket.on('close', () => {
      closed = true;
      resolve();
    }),
  );
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  for (const chunk of chunks) {
    if (closed) break;
    socket.write(chunk);
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  const limit = new Promise<void>((resolve) => setTimeout(resolve, limitMs));
  await Promise.race([done, limit]);
  const closedAfterMs = closed ? Date.now() - startedAt : Number.POSITIVE_INFINITY;
  socket.destroy();
  const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
  return {
    text,
    closedAfterMs,
    status: status === undefined ? undefined : Number(status),
    body: text.slice(text.indexOf('\r\n\r\n') + 4),
  };
}

const head = (contentLength: number, extra = ''): string =>
  `POST /v1/batch HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAuthorization: ${basic(WRITE_KEY)}\r\nContent-Length: ${contentLength}\r\n${extra}\r\n`;

const validBatch = JSON.stringify({ batch: [{ type: 'track', userId: 'u1', event: 'Clicked' }] });

describe('slow and idle clients are cut off (slowloris)', () => {
  it('answers headers dribbled a byte at a time with 408 JSON and closes the socket', async () => {
    const dribble = [...('POST /v1/batch HTTP/1.1\r\nHost: localhost\r\nX-Slow: ' + 'a'.repeat(200))];
    const result = await rawExchange(dribble, 20);
    expect(result.status).toBe(408);
    expect(errorCode(result.body)).toBe('request_timeout');
    expect(result.closedAfterMs).toBeLessThan(2_000);
  });

  it('answers a body dribbled slower than the request timeout with 408 and stores nothing', async () => {
    const before = enqueuer.events.length;
    const body = validBatch.padEnd(400, ' ');
    const result = await rawExchange([head(body.length), ...body], 10);
    expect(result.status).toBe(408);
    expect(errorCode(result.body)).toBe('request_timeout');
    expect(result.closedAfterMs).toBeLessThan(3_000);
    expect(enqueuer.events.length).toBe(before);
  });

  it('closes a connection that never sends a byte', async () => {
    const result = await rawExchange([], 0);
    expect(result.closedAfterMs).toBeLessThan(2_000);
  });

  it('closes an idle keep-alive connection after its timeout', async () => {
    const result = await rawExchange([head(validBatch.length) + validBatch], 0);
    expect(result.status).toBe(200);
    expect(result.closedAfterMs).toBeGreaterThanOrEqual(TIMEOUTS.keepAliveTimeoutMs - 50);
    // Node adds about a second of grace to the keep-alive timeout.
    expect(result.closedAfterMs).toBeLessThan(3_000);
  });

  it('still serves a well-behaved client while slow ones are connected', async () => {
    const slow = Array.from({ length: 20 }, () =>
      rawExchange([...'POST /v1/batch HTTP/1.1\r\nHost: x\r\n'], 30),
    );
    const response = await fetch(`http://127.0.0.1:${port}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(WRITE_KEY) },
      body: validBatch,
    });
    expect(response.status).toBe(200);
    const results = await Promise.all(slow);
    expect(results.every((r) => r.status === 408)).toBe(true);
  });
});

describe('malformed HTTP gets a JSON answer too', () => {
  it('answers oversized headers with 431 JSON', async () => {
    const result = await rawExchange([head(2, `X-Big: ${'b'.repeat(8 * 1024)}\r\n`) + '{}'], 0);
    expect(result.status).toBe(431);
    expect(errorCode(result.body)).toBe('headers_too_large');
  });

  it('answers a garbled request line with 400 JSON', async () => {
    const result = await rawExchange(['GARBAGE\x01 / NOPE\r\n\r\n'], 0);
    expect(result.status).toBe(400);
    expect(errorCode(result.body)).toBe('bad_request');
  });

  it('I-3 refuses a declared Content-Length over the batch limit before reading the body', async () => {
    const result = await rawExchange([head(10 * 1024 * 1024) + '{"batch":['], 0);
    expect(result.status).toBe(413);
    expect(errorCode(result.body)).toBe('batch_too_large');
  });

  it('survives a client that hangs up halfway through a body, storing nothing', async () => {
    const before = enqueuer.events.length;
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(head(validBatch.length) + validBatch.slice(0, 20));
    socket.destroy();
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(enqueuer.events.length).toBe(before);
  });
});

describe('bounded memory across many uploads at once', () => {
  it('answers 503 server_busy once buffered bodies would pass maxInFlightBytes, and recovers after', async () => {
    const { app: small, enqueuer: stored } = createHostileApp({ limits: { maxInFlightBytes: 100_000 } });
    const smallPort = await listen(small);
    try {
      const body = validBatch.padEnd(90_000, ' ');
      const open = async (): Promise<Socket> => {
        const socket = connect(smallPort, '127.0.0.1');
        socket.on('error', () => undefined);
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        return socket;
      };
      const answer = (socket: Socket): Promise<string> =>
        new Promise((resolve) => {
          let text = '';
          socket.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes('\r\n\r\n{') && text.trimEnd().endsWith('}')) resolve(text);
          });
          socket.on('close', () => resolve(text));
        });
      const first = await open();
      const firstAnswer = answer(first);
      first.write(head(body.length) + body.slice(0, 70_000));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = await open();
      const secondAnswer = answer(second);
      second.write(head(body.length) + body.slice(0, 40_000));
      const refused = await secondAnswer;
      expect(refused).toMatch(/^HTTP\/1\.1 503/);
      expect(errorCode(refused.slice(refused.indexOf('\r\n\r\n') + 4))).toBe('server_busy');
      first.end(body.slice(70_000));
      expect(await firstAnswer).toMatch(/^HTTP\/1\.1 200/);
      first.destroy();
      second.destroy();
      // The first body's bytes were given back: a new one of the same size fits again.
      const third = await fetch(`http://127.0.0.1:${smallPort}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic(WRITE_KEY) },
        body,
      });
      expect(third.status).toBe(200);
      expect(stored.events).toHaveLength(2);
    } finally {
      await small.close();
    }
  });
});

describe('bounded memory while the store is slow', () => {
  /** A store that confirms nothing until `open()`: requests wait for it with their events parsed. */
  class GatedEnqueuer implements Enqueuer {
    readonly events: IncomingEvent[] = [];
    waiting = 0;
    #open: () => void = () => undefined;
    readonly #gate = new Promise<void>((resolve) => (this.#open = resolve));

    async enqueue(events: readonly IncomingEvent[]): Promise<EnqueueResult> {
      this.waiting += 1;
      await this.#gate;
      this.waiting -= 1;
      this.events.push(...events);
      return { stored: events.length, duplicates: 0 };
    }

    open(): void {
      this.#open();
    }
  }

  it('keeps a body’s bytes taken until its answer is sent, so bodies waiting for the store count against maxInFlightBytes', async () => {
    const gated = new GatedEnqueuer();
    const { app: small } = createHostileApp({ limits: { maxInFlightBytes: 100_000 }, enqueuer: gated });
    const smallPort = await listen(small);
    const send = (signal?: AbortSignal): Promise<Response> =>
      fetch(`http://127.0.0.1:${smallPort}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic(WRITE_KEY) },
        body: validBatch.padEnd(90_000, ' '),
        ...(signal === undefined ? {} : { signal }),
      });
    try {
      const first = send();
      const deadline = Date.now() + 5_000;
      while (gated.waiting === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(gated.waiting).toBe(1);
      // The first body is parsed and waits for the store: its 90 KB are still taken.
      const refused = await send(AbortSignal.timeout(5_000));
      expect(refused.status).toBe(503);
      expect(errorCode(await refused.text())).toBe('server_busy');
      gated.open();
      expect((await first).status).toBe(200);
      // Answered: its bytes are back, and a body of the same size fits again.
      expect((await send(AbortSignal.timeout(5_000))).status).toBe(200);
      expect(gated.events).toHaveLength(2);
    } finally {
      gated.open();
      await small.close();
    }
  });
});

describe('refusals before routing are counted', () => {
  it('exports the timeouts and malformed requests above as rejections by reason', async () => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const count = (reason: string): number =>
      Number(new RegExp(`ingest_rejected_total\\{reason="${reason}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    expect(count('request_timeout')).toBeGreaterThanOrEqual(3);
    expect(count('headers_too_large')).toBeGreaterThanOrEqual(1);
    expect(count('bad_request')).toBeGreaterThanOrEqual(1);
    expect(count('batch_too_large')).toBeGreaterThanOrEqual(1);
  });
});

describe('thousands of tiny requests', () => {
  it('answers 3,000 tiny bad requests on 50 keep-alive connections, each with its 4xx, and keeps serving', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 50 });
    const bodies = ['{}', '{', '', 'null', '{"batch":[]}', '[1]'];
    const statuses = new Map<number, number>();
    const send = (i: number): Promise<void> =>
      new Promise((resolve, reject) => {
        const body = bodies[i % bodies.length] ?? '';
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: i % 2 === 0 ? '/v1/batch' : '/v1/t',
            method: 'POST',
            agent,
            headers: { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () => {
              statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
              resolve();
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    await Promise.all(Array.from({ length: 3_000 }, (_, i) => send(i)));
    agent.destroy();
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(3_000);
    expect([...statuses.keys()].every((status) => status >= 400 && status < 500)).toBe(true);
    const response = await fetch(`http://127.0.0.1:${port}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(WRITE_KEY) },
      body: validBatch,
    });
    expect(response.status).toBe(200);
  });
});
