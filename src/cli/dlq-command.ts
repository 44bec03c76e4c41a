import { parseArgs } from 'node:util';
import type { Command, CommandIo } from './command.js';
import type { DeadLetter, DeadLetterSelector, JobStore } from '../delivery/job-store.js';
import { openSqliteStore, sqliteStorePath } from '../delivery/sqlite-store.js';
import path from 'node:path';

const USAGE = `usage: npm run dlq -- <list|redrive|purge> [options]

  list     [--destination ID] [--limit N] [--json]   dead letters, oldest first
  redrive  (--id N ... | --destination ID | --all)   put them back at the tail of their lanes
  purge    (--id N ... | --destination ID | --all)   delete them

DATA_DIR (default ./data) selects the store.
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

function selectorFrom(values: {
  id?: string[];
  destination?: string;
  all?: boolean;
}): DeadLetterSelector | string {
  const ids = (values.id ?? []).map(Number);
  if (ids.some((id) => !Number.isInteger(id) || id <= 0)) return '--id takes positive whole numbers';
  if (ids.length === 0 && values.destination === undefined && values.all !== true) {
    return 'say which dead letters: --id N (repeatable), --destination ID, or --all';
  }
  return {
    ...(ids.length > 0 ? { ids } : {}),
    ...(values.destination !== undefined ? { destinationId: values.destination } : {}),
  };
}

async function list(
  store: JobStore,
  io: CommandIo,
  destination: string | undefined,
  limit: number,
  json: boolean,
): Promise<void> {
  let afterId: number | undefined;
  let shown = 0;
  while (shown < limit) {
    const page = await store.listDeadLetters({
      limit: Math.min(500, limit - shown),
      ...(destination !== undefined ? { destinationId: destination } : {}),
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

/** `dlq`: list, redrive and purge dead letters of the SQLite store in DATA_DIR. */
export const dlqCommand: Command = async (args, env, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        id: { type: 'string', multiple: true },
        destination: { type: 'string' },
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
  if (
    action === undefined ||
    !['list', 'redrive', 'purge'].includes(action) ||
    !(Number.isInteger(limit) && limit > 0)
  ) {
    io.stderr.write(USAGE);
    return 2;
  }
  const store = openSqliteStore({
    path: sqliteStorePath(path.resolve(process.cwd(), env['DATA_DIR'] ?? 'data')),
  });
  try {
    if (action === 'list') {
      await list(store, io, parsed.values.destination, limit, parsed.values.json === true);
      return 0;
    }
    const selector = selectorFrom(parsed.values);
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
