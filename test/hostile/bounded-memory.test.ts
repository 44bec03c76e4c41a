/**
 * Ingestion memory stays bounded: bodies being read, and bodies waiting for a slow store, count
 * against `maxInFlightBytes`; past it the server answers 503 `server_busy` and recovers after.
 */
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { EnqueueResult, Enqueuer, IncomingEvent } from '../../src/delivery/store/enqueue.js';
import { basic, createHostileApp, errorCode, head, listen, validBatch, WRITE_KEY } from './ingest-fixture.js';

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
