import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { IngestFailureBody } from './ingest-response.js';

/** A connection-level failure the HTTP parser reports before any route sees the request. */
interface ClientErrorAnswer {
  readonly status: number;
  readonly reason: string;
  readonly body: IngestFailureBody;
}

function answer(status: number, code: string, message: string): ClientErrorAnswer {
  return { status, reason: code, body: { success: false, error: { code, message } } };
}

/**
 * The answer to a request the HTTP parser refused: slow headers or body (408), oversized headers
 * (431), anything malformed (400). Fixed texts only: the parser's own message may quote raw bytes.
 */
export function toClientErrorAnswer(error: unknown): ClientErrorAnswer {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return answer(408, 'request_timeout', 'the request was not received in time');
    case 'HPE_HEADER_OVERFLOW':
      return answer(431, 'headers_too_large', 'request headers too large');
    default:
      return answer(400, 'bad_request', 'malformed HTTP request');
  }
}

/**
 * Creates the server's `clientError` listener: answers with the JSON error shape when the socket
 * can still be written, then closes it. `onRefused` receives the reason code (for metrics).
 */
export function createClientErrorHandler(
  onRefused: (reason: string) => void,
): (error: unknown, socket: Socket) => void {
  return (error, socket) => {
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    // A reset connection has nobody left to answer.
    if (code === 'ECONNRESET' || socket.destroyed) return;
    const { status, reason, body } = toClientErrorAnswer(error);
    onRefused(reason);
    if (socket.writable) {
      const text = JSON.stringify(body);
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      );
    }
    socket.destroy();
  };
}
