/**
 * `forget`: erases people (GDPR/CCPA, L-4). Queues a deletion job in each person's lane, as `POST
 * /v1/deletions` does; the running `serve` carries it out (queued jobs and dead letters purged, the
 * Intercom contact deleted, cached ids forgotten, an audit row with a hash of the key). Like `dlq`, it
 * writes one short transaction into the queue beside a running `serve`.
 */
import { parseArgs } from 'node:util';
import { systemClock } from '../clock/clock.js';
import type { DeletionKey } from '../server/deletion-routes.js';
import type { Command } from './command.js';
import { COMMAND_SPECS } from './command-specs.js';
import { ConfigError, readServeConfig, type ServeConfig } from './config.js';
import { createDeletionDesk } from './deletion-desk.js';
import { openCommandQueue } from './queue.js';

const USAGE = COMMAND_SPECS.forget.help;

interface ForgetRequest {
  readonly keys: readonly DeletionKey[];
  readonly destinationId?: string;
  readonly statusOf?: string;
}

function parseForget(args: readonly string[]): ForgetRequest {
  const { values } = parseArgs({
    args: [...args],
    options: COMMAND_SPECS.forget.options,
  });
  const keys: DeletionKey[] = [
    ...(values['user-id'] ?? []).map((value) => ({ kind: 'user_id' as const, value })),
    ...(values.email ?? []).map((value) => ({ kind: 'email' as const, value })),
  ];
  if (keys.some((key) => key.value.trim() === '')) throw new TypeError('a user id or email cannot be empty');
  if ((keys.length === 0) === (values.status === undefined))
    throw new TypeError('give --user-id/--email, or --status');
  return {
    keys,
    ...(values.destination === undefined ? {} : { destinationId: values.destination }),
    ...(values.status === undefined ? {} : { statusOf: values.status }),
  };
}

/** `forget`: see the module comment. */
export const forgetCommand: Command = async (args, env, io) => {
  let request: ForgetRequest;
  let config: ServeConfig;
  try {
    request = parseForget(args);
    config = readServeConfig(env, process.cwd());
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`${message}\n${error instanceof ConfigError ? '' : USAGE}`);
    return 2;
  }
  const store = await openCommandQueue(config);
  try {
    const desk = createDeletionDesk({
      erasures: store,
      destinationIds: config.destinations.map((d) => d.id),
      clock: systemClock,
    });
    if (request.statusOf !== undefined) {
      const report = await desk.report(request.statusOf);
      if (report === undefined) {
        io.stderr.write(`no deletion ${request.statusOf}\n`);
        return 2;
      }
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    const deletionId = await desk.request(request.destinationId, request.keys);
    if (deletionId === undefined) {
      io.stderr.write(
        `name a configured destination with --destination (${config.destinations.map((d) => d.id).join(', ')})\n`,
      );
      return 2;
    }
    const count = request.keys.length;
    io.stdout.write(
      `deletion ${deletionId} queued (${count} key${count === 1 ? '' : 's'}); serve carries it out: ` +
        `forget --status ${deletionId}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
};
