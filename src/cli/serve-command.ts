import pino from 'pino';
import type { Command } from './command.js';
import { ConfigError, LOCAL_WRITE_KEY, readServeConfig, type ServeConfig } from './config.js';
import { lockDataDir } from './data-dir-lock.js';
import { describeQueue } from './queue.js';
import type { RunningService } from './service.js';

/** Builds the startup banner: where to send events, which key to use, where data goes. */
export function serveBanner(config: ServeConfig, service: RunningService): string {
  const lines = [`Segment ingestion  ${service.ingestUrl}  (e.g. POST ${service.ingestUrl}/v1/batch)`];
  if (config.console.adminToken !== undefined) {
    lines.push(`Console            ${service.ingestUrl}/console  (sign in with ADMIN_TOKEN)`);
  }
  if (service.sandboxUrl !== undefined) {
    lines.push(
      `Intercom           local sandbox at ${service.sandboxUrl} (no INTERCOM_ACCESS_TOKEN given)`,
      `                   state: ${service.sandboxUrl}/sandbox/state   page: ${service.sandboxUrl}/`,
    );
    if (config.defaultWriteKey) {
      const ingest = new URL(service.ingestUrl).host;
      const activator =
        config.activator === undefined ? '' : `&activator=${encodeURIComponent(config.activator)}`;
      lines.push(
        `Device-mode demo   ${service.sandboxUrl}/demo?ingest=${ingest}&writeKey=${LOCAL_WRITE_KEY}${activator}`,
      );
    }
  }
  for (const d of config.destinations) {
    if (service.sandboxUrl !== undefined) break;
    const where = d.apiBaseUrl ?? `region ${d.region}`;
    const keyCount = d.sources.filter((s) => s.writeKey !== undefined).length;
    const hooks = d.sources.filter((s) => s.webhookSecret !== undefined).length;
    const keys = keyCount === 1 ? '1 write key' : `${keyCount} write keys`;
    const webhooks = hooks === 0 ? '' : `, ${hooks} webhook source${hooks === 1 ? '' : 's'} at /v1/webhook`;
    lines.push(`Intercom           destination ${d.id}: ${where} (${keys}${webhooks})`);
  }
  if (config.defaultWriteKey) {
    lines.push(`Write key          ${LOCAL_WRITE_KEY}  (local default; set SEGMENT_WRITE_KEY for your own)`);
  }
  lines.push(
    config.databaseUrl === undefined
      ? `Data               ${config.dataDir}`
      : `Queue              ${describeQueue(config)} (DATABASE_URL, shared by every serve process using it)`,
  );
  return `${lines.join('\n')}\n`;
}

/** `serve`: ingestion + delivery; on the sandbox when no Intercom token is configured. */
export const serveCommand: Command = async (_args, env, io, signal) => {
  let config: ServeConfig;
  try {
    config = readServeConfig(env, process.cwd());
  } catch (error: unknown) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const logger = pino(
    {
      level: config.logLevel,
      redact: {
        paths: [
          'req.headers.authorization',
          'authorization',
          'writeKey',
          'accessToken',
          'webhookSecret',
          'secret',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
  // The data directory first, before the rest of the product loads: a second `serve` on the same
  // directory stops within about a second.
  const dataDirLock = config.databaseUrl === undefined ? await lockDataDir(config.dataDir) : undefined;
  const { startService } = await import('./service.js').catch((error: unknown) => {
    dataDirLock?.();
    throw error;
  });
  const service = await startService(config, {
    logger,
    ...(dataDirLock === undefined ? {} : { dataDirLock }),
  });
  io.stdout.write(serveBanner(config, service));
  const stopped = signal.aborted
    ? Promise.resolve(undefined)
    : new Promise<undefined>((resolve) =>
        signal.addEventListener('abort', () => resolve(undefined), { once: true }),
      );
  const failure = await Promise.race([stopped, service.failed]);
  if (failure !== undefined) {
    logger.fatal({ err: failure }, 'the store stopped working; exiting so that the service can be restarted');
  }
  io.stdout.write('stopping: finishing in-flight deliveries…\n');
  await service.close();
  return failure === undefined ? 0 : 1;
};
