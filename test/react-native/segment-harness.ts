/**
 * The real `@segment/analytics-react-native` client, off-device: its settings come from a loopback
 * HTTP server standing in for Segment's CDN (so destination plugins get `update(settings)` the way
 * they do in an app), its storage is in memory, and nothing is uploaded.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createClient,
  type DeactivableLoggerType,
  type JsonMap,
  type SegmentClient,
  type SegmentEvent,
} from '@segment/analytics-react-native';

/** Segment's settings per write key, served as its CDN would. */
export interface SettingsServer {
  readonly url: (writeKey: string) => string;
  readonly set: (writeKey: string, integrations: Record<string, unknown>) => void;
  readonly close: () => Promise<void>;
}

/** Starts the stand-in for Segment's settings CDN on a loopback port. */
export async function startSettingsServer(): Promise<SettingsServer> {
  const settings = new Map<string, Record<string, unknown>>();
  const server: Server = createServer((request, response) => {
    const writeKey = decodeURIComponent((request.url ?? '/').slice(1));
    const integrations = settings.get(writeKey);
    response.writeHead(integrations === undefined ? 404 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(integrations === undefined ? {} : { integrations }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (writeKey) => `http://127.0.0.1:${port}/${encodeURIComponent(writeKey)}`,
    set: (writeKey, integrations) => settings.set(writeKey, integrations),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A logger that keeps what the client and its plugins report. */
export interface RecordingLogger extends DeactivableLoggerType {
  readonly lines: string[];
}

function createRecordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const keep =
    (level: string) =>
    (message?: unknown, ...rest: unknown[]): void => {
      lines.push([level, message, ...rest].map((part) => String(part)).join(' '));
    };
  return {
    lines,
    info: () => undefined,
    warn: keep('warn'),
    error: keep('error'),
    enable: () => undefined,
    disable: () => undefined,
  };
}

let clients = 0;

/** A real Segment client reading its settings from `server`, as an app creates it. */
export function createTestClient(
  server: SettingsServer,
  integrations: Record<string, unknown>,
): { readonly client: SegmentClient; readonly logger: RecordingLogger } {
  clients += 1;
  const writeKey = `write-key-${clients}`;
  server.set(writeKey, integrations);
  const stored = new Map<string, unknown>();
  const logger = createRecordingLogger();
  const client = createClient({
    writeKey,
    logger,
    cdnProxy: server.url(writeKey),
    // The stand-in CDN is plain HTTP on loopback.
    allowInsecureProxy: true,
    autoAddSegmentDestination: false,
    flushPolicies: [],
    storePersistor: {
      get: <T>(key: string) => Promise.resolve(stored.get(key) as T | undefined),
      set: <T>(key: string, state: T) => {
        stored.set(key, state);
        return Promise.resolve();
      },
    },
  });
  return { client, logger };
}

/**
 * Settles once the client has fetched its settings, added its plugins and started processing: until
 * then it parks events and replays them later, after events sent in the meantime.
 */
export function whenRunning(client: SegmentClient): Promise<void> {
  return new Promise((resolve) => {
    const stops: (() => void)[] = [];
    const check = (): void => {
      if (!client.isReady.value || client.running.get() !== true) return;
      for (const stop of stops) stop();
      resolve();
    };
    stops.push(client.isReady.onChange(check), client.running.onChange(check));
    check();
  });
}

/** A fixture step: a Segment event as the plugin should receive it, or a reset. */
export type Step = { readonly event: Readonly<Record<string, unknown>> } | { readonly reset: true };

/** Sends a fixture step through the client's public API, as app code would. */
export function drive(client: SegmentClient, step: Step): Promise<void> {
  if ('reset' in step) return client.reset();
  const e = step.event as {
    type: string;
    userId?: string;
    previousId?: string;
    traits?: JsonMap;
    event?: string;
    groupId?: string;
    name?: string;
    properties?: JsonMap;
    integrations?: JsonMap;
    context?: { Intercom?: JsonMap };
  };
  // Per-event options reach a destination through an enrichment closure (the library's API has no
  // `integrations` argument).
  const enrich = (event: SegmentEvent): SegmentEvent =>
    ({
      ...event,
      ...(e.integrations !== undefined && { integrations: e.integrations }),
      ...(e.context?.Intercom !== undefined && {
        context: { ...event.context, Intercom: e.context.Intercom },
      }),
    }) as SegmentEvent;
  switch (e.type) {
    case 'identify':
      return client.identify(e.userId, e.traits, enrich);
    case 'track':
      return client.track(e.event ?? '', e.properties, enrich);
    case 'group':
      return client.group(e.groupId ?? '', e.traits, enrich);
    case 'screen':
      return client.screen(e.name ?? '', e.properties, enrich);
    case 'alias':
      return client.alias(e.userId ?? '', enrich);
    default:
      throw new TypeError(`no client call for a ${e.type} event`);
  }
}
