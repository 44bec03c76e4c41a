import { parseArgs } from 'node:util';
import type { Command, CommandIo } from './command.js';
import { COMMAND_SPECS } from './command-specs.js';
import {
  type DeadLetter,
  type DeadLetterSelector,
  type DeadLetterStore,
  type DeadReason,
  isDeadReason,
} from '../delivery/store/dead-letters.js';
import { readDatabaseUrl } from './database-config.js';
import { openCommandQueue } from './queue.js';
import path from 'node:path';

const USAGE = COMMAND_SPECS.dlq.help;

/** A one-line summary of a dead letter: what event, why it died, what Intercom said. */
export function describeDeadLetter(letter: DeadLetter): string {
  const event = letter.event;
  const what = event.type === 'track' ? `track "${event.event}"` : event.type;
  const who = event.userId ?? event.anonymousId ?? '?';
  const answer = [letter.status, letter.code, letter.message].filter((v) => v !== undefined).join(' ');
  const when = new Date(letter.diedAtMs).toISOString();
  return `#${letter.id}  ${when}  ${letter.destinationId}  ${what} of ${who}  ${letter.reason}${answer === '' ? '' : `: ${answer}`}  (job ${letter.seq}, ${letter.attempts.length} attempts, message ${letter.messageId})`;
}

/** Which dead letters `--id`, `--destination`, `--reason` or `--all` name, or what is wrong with them. */
function selectorFrom(
  values: { readonly id?: readonly string[]; readonly destination?: string; readonly all?: boolean },
  reason: DeadReason | undefined,
): DeadLetterSelector | string {
  const ids = (values.id ?? []).map(Number);
  if (ids.some((id) => !Number.isInteger(id) || id <= 0)) return '--id takes positive whole numbers';
  if (ids.length === 0 && values.destination === undefined && reason === undefined && values.all !== true) {
    return 'say which dead letters: --id N (repeatable), --destination ID, --reason R, or --all';
  }
  return {
    ...(ids.length > 0 ? { ids } : {}),
    ...(values.destination !== undefined ? { destinationId: values.destination } : {}),
    ...(reason !== undefined ? { reason } : {}),
  };
}

async function list(
  store: DeadLetterStore,
  io: CommandIo,
  request: Extract<DlqRequest, { action: 'list' }>,
): Promise<void> {
  const { destination, reason, limit, json } = request;
  let afterId: number | undefined;
  let shown = 0;
  while (shown < limit) {
    const page = await store.listDeadLetters({
      limit: Math.min(500, limit - shown),
      ...(destination !== undefined ? { destinationId: destination } : {}),
      ...(reason !== undefined ? { reason } : {}),
      ...(afterId !== undefined ? { afterId } : {}),
    });
    if (page.length === 0) break;
    for (const letter of page)
      io.stdout.write(`${json ? JSON.stringify(letter) : describeDeadLetter(letter)}\n`);
    shown += page.length;
    afterId = page[page.length - 1]?.id;
  }
  if (!json) io.stdout.write(`${shown} dead letter${shown === 1 ? '' : 's'}\n`);
}

/** What `dlq` was asked to do. */
type DlqRequest =
  | {
      readonly action: 'list';
      readonly destination?: string;
      readonly reason?: DeadReason;
      readonly limit: number;
      readonly json: boolean;
    }
  | { readonly action: 'redrive' | 'purge'; readonly selector: DeadLetterSelector };

/** The request in `args`, or the message (and usage) to answer with exit code 2. */
function parseDlqArgs(args: readonly string[]): DlqRequest | { readonly error: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: COMMAND_SPECS.dlq.options,
    });
  } catch (error: unknown) {
    return { error: `${error instanceof Error ? error.message : String(error)}\n${USAGE}` };
  }
  const [action] = parsed.positionals;
  const { values } = parsed;
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  const reason = values.reason !== undefined && isDeadReason(values.reason) ? values.reason : undefined;
  if (values.reason !== undefined && reason === undefined) {
    return { error: `unknown --reason ${JSON.stringify(values.reason)}\n${USAGE}` };
  }
  if (action === 'list' && Number.isInteger(limit) && limit > 0) {
    const filters = {
      ...(values.destination !== undefined ? { destination: values.destination } : {}),
      ...(reason !== undefined ? { reason } : {}),
    };
    return { action, ...filters, limit, json: values.json === true };
  }
  if ((action !== 'redrive' && action !== 'purge') || !(Number.isInteger(limit) && limit > 0)) {
    return { error: USAGE };
  }
  const selector = selectorFrom(values, reason);
  return typeof selector === 'string' ? { error: `${selector}\n` } : { action, selector };
}

/** Carries out a request on the dead letters. */
async function runDlq(store: DeadLetterStore, request: DlqRequest, io: CommandIo): Promise<void> {
  if (request.action === 'list') {
    await list(store, io, request);
    return;
  }
  const count =
    request.action === 'redrive'
      ? await store.redriveDeadLetters(request.selector)
      : await store.purgeDeadLetters(request.selector);
  io.stdout.write(
    `${request.action === 'redrive' ? 'redrove' : 'purged'} ${count} dead letter${count === 1 ? '' : 's'}\n`,
  );
}

/** `dlq`: list, redrive and purge dead letters of the queue (PostgreSQL at DATABASE_URL, or SQLite in DATA_DIR). */
export const dlqCommand: Command = async (args, env, io) => {
  const request = parseDlqArgs(args);
  if ('error' in request) {
    io.stderr.write(request.error);
    return 2;
  }
  const problems: string[] = [];
  const databaseUrl = readDatabaseUrl(env, problems);
  if (problems.length > 0) {
    io.stderr.write(`${problems.join('\n')}\n`);
    return 2;
  }
  const store = await openCommandQueue({
    dataDir: path.resolve(process.cwd(), env['DATA_DIR'] ?? 'data'),
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
  });
  try {
    await runDlq(store, request, io);
    return 0;
  } finally {
    await store.close();
  }
};
