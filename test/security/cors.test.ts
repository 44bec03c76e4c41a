import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, WRITE_KEY, type TestService } from '../e2e/harness.js';

const ALLOWED = 'https://shop.example';
const body = JSON.stringify({ writeKey: WRITE_KEY, userId: 'u1', event: 'Clicked' });

describe('I-1 CORS is configurable (CORS_ORIGINS) and answers preflights', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ CORS_ORIGINS: `${ALLOWED}, https://app.example` });
  });
  afterAll(async () => {
    await service.close();
  });

  it('I-1 answers a preflight from an allowed origin with the methods and headers browsers ask for', async () => {
    const response = await fetch(`${service.ingestUrl}/v1/batch`, {
      method: 'OPTIONS',
      headers: {
        origin: ALLOWED,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, content-encoding, authorization',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-encoding');
    expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('I-1 gives no CORS grant to an origin outside the list', async () => {
    const preflight = await fetch(`${service.ingestUrl}/v1/batch`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const post = await fetch(`${service.ingestUrl}/v1/t`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
      body,
    });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('I-1 lets an allowed origin read the answer of its post', async () => {
    const response = await fetch(`${service.ingestUrl}/v1/t`, {
      method: 'POST',
      headers: { origin: ALLOWED, 'content-type': 'text/plain' },
      body,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });
});

describe('I-1 CORS default', () => {
  it('I-1 allows any origin without credentials when CORS_ORIGINS is unset', async () => {
    const service = await startTestService();
    try {
      const response = await fetch(`${service.ingestUrl}/v1/batch`, {
        method: 'OPTIONS',
        headers: { origin: 'https://anywhere.example', 'access-control-request-method': 'POST' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    } finally {
      await service.close();
    }
  });
});
