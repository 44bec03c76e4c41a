import { parseArgs } from 'node:util';
import type { Command, CommandIo } from './command.js';
import type { DeadLetter, DeadLetterSelector, JobStore } from '../delivery/store/job-store.js';
import type { DeadReason } from '../delivery/worker/policy.js';
import { readDatabaseUrl } from './config.js';
import { openCommandQueue } from './queue.js';
import path from 'node:path';

/** The `--reason` values, as a record so a new `DeadReason` must be listed here to compile. */
const DEAD_REASONS: Readonly<Record<DeadReason, true>> = {
  rejected: true,
  user_not_found: true,
  max_age_exceeded: true,
  mapping_failed: true,
  event_name_limit_exceeded: true,
};

function isDeadReason(value: string): value is DeadReason {
  return Object.hasOwn(DEAD_REASONS, value);
}

const USAGE = `usage: npm run dlq -- <list|redrive|purge> [options]

  list     [--destination ID] [--reason R] [--limit N] [--json]   dead letters, oldest first
  redrive  (--id N ... | --destination ID | --reason R | --all)    put them back at the tail of their lanes
  purge    (--id N ... | --destination ID | --reason R | --all)    delete them

--reason is one of ${Object.keys(DEAD_REASONS).join(', ')}.

The queue is the one serve uses: PostgreSQL when DATABASE_URL is set, else SQLite in DATA_DIR (default ./data).
`;

/** A one-line summary of a dead letter: what event, why it died, what Intercom said. */
export function describeDeadLetter(letter: DeadLetter): string {
  const event = letter.event;
  const what = event.type === 'track' ? `track "${event.event}"` : event.type;
  const who = event.userId ?? event.anonymousId ?? '?';
  const answer = [letter.status, letter.code, letter.message].filter((v) => v !== undefined).join(' ');
  const when = new Date(letter.diedAtMs).toISOString();
  return `#${letter.id}  ${when}  ${letter.destinationId}  ${what} of ${who}  ${letter.reason}${answer === '' ? '' : `: ${answer}`}  (${letter.attempts.length} attempts, message ${letter.messageId})`;
}

function selectorFrom(
  values: {
    id?: string[];
    destination?: string;
    all?: boolean;
  },
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
  store: JobStore,
  io: CommandIo,
  destination: string | undefined,
  reason: DeadReason | undefined,
  limit: number,
  json: boolean,
): Promise<void> {
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

/** `dlq`: list, redrive and purge dead letters of the queue (PostgreSQL at DATABASE_URL, or SQLite in DATA_DIR). */
export const dlqCommand: Command = async (args, env, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        id: { type: 'string', multiple: true },
        destination: { type: 'string' },
        reason: { type: 'string' },
        all: { type: 'boolean' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
  } catch (error: unknown) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const [action] = parsed.positionals;
  const limit = parsed.values.limit === undefined ? 100 : Number(parsed.values.limit);
  const rawReason = parsed.values.reason;
  const reason = rawReason !== undefined && isDeadReason(rawReason) ? rawReason : undefined;
  if (rawReason !== undefined && reason === undefined) {
    io.stderr.write(`unknown --reason ${JSON.stringify(rawReason)}\n${USAGE}`);
    return 2;
  }
  if (
    action === undefined ||
    !['list', 'redrive', 'purge'].includes(action) ||
    !(Number.isInteger(limit) && limit > 0)
  ) {
    io.stderr.write(USAGE);
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
    if (action === 'list') {
      await list(store, io, parsed.values.destination, reason, limit, parsed.values.json === true);
      return 0;
    }
    const selector = selectorFrom(parsed.values, reason);
    if (typeof selector === 'string') {
      io.stderr.write(`${selector}\n`);
      return 2;
    }
    const count =
      action === 'redrive'
        ? await store.redriveDeadLetters(selector)
        : await store.purgeDeadLetters(selector);
    io.stdout.write(
      `${action === 'redrive' ? 'redrove' : 'purged'} ${count} dead letter${count === 1 ? '' : 's'}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
};
