import type { ParseArgsConfig } from 'node:util';
import { DEAD_REASONS } from '../delivery/store/dead-letters.js';

/** The options table `node:util` `parseArgs` takes. */
type OptionsTable = NonNullable<ParseArgsConfig['options']>;

/**
 * What the command line knows of a command before loading it: its one-line summary, its help text,
 * and the options and positional arguments it takes. `main.ts` answers `--help`, `help <command>` and
 * unknown options from this table alone, so asking for help never starts a server or opens a queue.
 */
export interface CommandSpec {
  readonly summary: string;
  /** The whole `--help` text: usage line, what it does, options, environment, exit codes. */
  readonly help: string;
  /** The options `node:util` `parseArgs` accepts (besides `--help`/`-h`, which every command takes). */
  readonly options: OptionsTable;
  /** How many positional arguments it takes at most. */
  readonly maxPositionals: number;
}

/** The name every usage line starts with (the package's `bin`). */
export const PROGRAM = 'intercom-destination';

const SERVE_HELP = `usage: ${PROGRAM} serve        (npm start)

Runs the Segment ingestion server and the delivery worker. Without INTERCOM_ACCESS_TOKEN (and without
INTERCOM_API_URL) it also runs the local Intercom sandbox and delivers there. All settings come from
environment variables; every problem in them is reported together at start (exit 2).

Common settings (README, "Configuration", lists them all):
  PORT (8787), HOST (127.0.0.1)        where ingestion listens
  SEGMENT_WRITE_KEY                    comma-separated write keys accepted
  INTERCOM_ACCESS_TOKEN, INTERCOM_REGION (us|eu|au), INTERCOM_APP_ID
  DATA_DIR (./data)                    the SQLite queue; or DATABASE_URL for PostgreSQL
  DESTINATIONS_FILE                    several Intercom workspaces and their sources
  SANDBOX_PORT (8788)                  the in-process sandbox
  LOG_LEVEL (info)                     JSON logs on stderr, never with tokens or write keys

Stops on SIGTERM or SIGINT after finishing in-flight deliveries (exit 0).
`;

const SANDBOX_HELP = `usage: ${PROGRAM} sandbox      (npm run sandbox)

Runs the local Intercom sandbox alone: contacts, companies, events and data attributes in memory,
answered like Intercom 2.16 and checked against its OpenAPI description.

Environment:
  PORT (8788), HOST (127.0.0.1)
  SANDBOX_TOKEN                        accept only this bearer token (default: any)
  SANDBOX_RATE_LIMIT (1000)            requests per 10-second window
  SANDBOX_SEARCH_LAG_MS (0)            how long a new contact stays invisible to search
  SANDBOX_APP_ID (sandbox)             the App ID GET /me reports
`;

const TRANSLATE_HELP = `usage: ${PROGRAM} translate [--json] [--full] [FILE.jsonl | -]      (npm run translate -- …)

Dry run: prints the Intercom operations each Segment event (one JSON object per line) would cause, or
why it is skipped or invalid. Reads stdin when FILE is "-" or missing. Nothing is sent anywhere.
Settings come from INTERCOM_COLLECT_CONTEXT, INTERCOM_RICH_LINK_PROPERTIES,
INTERCOM_MAX_EVENT_METADATA_KEYS, INTERCOM_CREATE_MISSING_ATTRIBUTES and
INTERCOM_CONTACT_ROLE_WITHOUT_USER_ID, as for serve.

Options:
  --json   one JSON object per line: {line, plan} or {line, error}
  --full   print request bodies in full instead of a 160-character preview

Exit code: 0 when every line was an event, 1 when some line was not, 2 for bad usage or settings.
`;

const DLQ_HELP = `usage: ${PROGRAM} dlq <list|redrive|purge> [options]      (npm run dlq -- …)

  list     [--destination ID] [--reason R] [--limit N] [--json]   dead letters, oldest first
  redrive  (--id N ... | --destination ID | --reason R | --all)    put them back at the head of their lanes (L-3)
  purge    (--id N ... | --destination ID | --reason R | --all)    delete them

Options:
  --id N            a dead letter's id (repeatable)
  --destination ID  the dead letters of one destination
  --reason R        the dead letters that died for this reason, one of:
                    ${DEAD_REASONS.join(', ')}
  --all             every dead letter
  --limit N         list at most N (default 100)
  --json            list as JSON lines

The queue is the one serve uses: PostgreSQL when DATABASE_URL is set, else SQLite in DATA_DIR
(default ./data).
`;

const REPLAY_HELP = `usage: ${PROGRAM} replay [options] FILE.jsonl[.gz]… | -      (npm run replay -- …)

Sends historical Segment events (one JSON object per line, plain or gzip) to the running serve, which
stores them as live events (validation, timestamps, dedupe by messageId, per-user order), marked
replayed: live traffic goes first and a replay gets at most half of a busy workspace's rate budget.
Run again after an interruption: what was stored is counted as duplicates.
  --destination ID   the destination (default: the only one configured)
  --source ID        the source whose events these are, for dedupe against its live events
                     (default: the destination's only source)
  --from ISO         only events at or after this time      --to ISO   only events before this time
  --dry-run          check and count the lines; send nothing
  --url URL          the running serve (default http://HOST:PORT from the environment)
  --connections N    batches in flight, each for a fixed share of the users (default 2)
  --batch-events N   events per batch, 1 to 10,000 (default 10,000; smaller batches hold less
                     memory in both processes and store more slowly)
Needs ADMIN_TOKEN, the same as serve's. Exit code: 0 done, 1 some line was rejected, 2 bad usage or
the server refused the replay.
`;

const FORGET_HELP = `usage: ${PROGRAM} forget (--user-id ID | --email E)… [--destination ID]      (npm run forget -- …)
       ${PROGRAM} forget --status DELETION_ID

Queues the erasure of each person: their queued jobs and dead letters are deleted, their Intercom
contact is deleted (DELETE /contacts/{id}), the cached ids are forgotten, and an audit record keeps
a hash of the key, never the key. The running serve carries it out, in order with the person's
events. --user-id and --email each name one lane: give both to cover events sent with either.
  --destination ID   the destination (default: the only one configured)
  --status ID        print a deletion's status (JSON): pending, done or failed
Exit code: 0 queued (or status shown), 2 bad usage or unknown deletion.
`;

const DOCTOR_HELP = `usage: ${PROGRAM} doctor      (npm run doctor)

Checks the configuration (the same environment variables as serve), each destination's Intercom token
and App ID (GET /me), the queue (depth, dead letters, pauses) and the event-name budget (C-TR-6).
Prints one line per finding. Exit code: 0 when healthy (warnings allowed), 1 on any problem.
`;

/** Every command, in the order the overall usage lists them. */
export const COMMAND_SPECS = {
  serve: {
    summary: 'run the ingestion server and delivery worker (sandbox when no Intercom token is set)',
    help: SERVE_HELP,
    options: {},
    maxPositionals: 0,
  },
  sandbox: {
    summary: 'run the local Intercom sandbox alone',
    help: SANDBOX_HELP,
    options: {},
    maxPositionals: 0,
  },
  translate: {
    summary: 'dry run: print the Intercom operations for each event of a JSONL file (or stdin)',
    help: TRANSLATE_HELP,
    options: { json: { type: 'boolean' }, full: { type: 'boolean' } },
    maxPositionals: 1,
  },
  dlq: {
    summary: 'dead letters: list, redrive, purge',
    help: DLQ_HELP,
    options: {
      id: { type: 'string', multiple: true },
      destination: { type: 'string' },
      reason: { type: 'string' },
      all: { type: 'boolean' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    },
    maxPositionals: 1,
  },
  replay: {
    summary: 'backfill: send Segment events from JSONL files (plain or gzip) or stdin to the running serve',
    help: REPLAY_HELP,
    options: {
      destination: { type: 'string' },
      source: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'dry-run': { type: 'boolean' },
      url: { type: 'string' },
      connections: { type: 'string' },
      'batch-events': { type: 'string' },
    },
    maxPositionals: Number.POSITIVE_INFINITY,
  },
  forget: {
    summary: 'erase people (GDPR/CCPA): queue the deletion of their jobs, dead letters and Intercom contact',
    help: FORGET_HELP,
    options: {
      'user-id': { type: 'string', multiple: true },
      email: { type: 'string', multiple: true },
      destination: { type: 'string' },
      status: { type: 'string' },
    },
    maxPositionals: 0,
  },
  doctor: {
    summary: 'check the configuration, each Intercom token (GET /me) and the store; exit 1 on problems',
    help: DOCTOR_HELP,
    options: {},
    maxPositionals: 0,
  },
} satisfies Readonly<Record<string, CommandSpec>>;

/** A command's name. */
export type CommandName = keyof typeof COMMAND_SPECS;
