/**
 * `translate`: a dry run of the cloud-mode mapping. Reads Segment events as JSON lines (a file, or
 * stdin) and prints, for each line, the Intercom requests it would cause, the skip reason, or why the
 * line is not a valid event; then goes on with the next line. Nothing is sent anywhere.
 */
import { type Clock, systemClock } from '../clock/clock.js';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Readable } from 'node:stream';
import type { Command, CommandIo } from './command.js';
import { COMMAND_SPECS } from './command-specs.js';
import type { SegmentEvent } from '../segment/event.js';
import { parseEvent } from '../segment/parse-event.js';
import { describeIssues } from '../segment/parse-issue.js';
import type { ContactIdentity, Operation, Plan } from '../intercom/operations.js';
import { mapEvent } from '../mapping/map-event.js';
import type { MappingSettings } from '../mapping/settings.js';
import { parseMappingSettings } from './mapping-settings-config.js';

const USAGE = COMMAND_SPECS.translate.help;

/** Longest body preview in the text output. */
const PREVIEW_CHARS = 160;

/** What the translate command needs from outside; injected so tests pin the clock. */
export interface TranslateDependencies {
  /** Stands in for the server's receive time (events without a timestamp get it, as on ingestion). */
  readonly clock: Clock;
}

/** How a contact is named in the printed paths until the executor resolves its Intercom id. */
function contactRef(identity: ContactIdentity): string {
  return identity.externalId !== undefined
    ? `{contact external_id=${identity.externalId}}`
    : `{${identity.lead === true ? 'lead' : 'contact'} email=${identity.email ?? '?'}}`;
}

function preview(body: unknown, full: boolean): string {
  const text = JSON.stringify(body) ?? '';
  return full || text.length <= PREVIEW_CHARS ? text : `${text.slice(0, PREVIEW_CHARS - 1)}…`;
}

/** One operation as the request(s) the executor would send (contact and company ids are resolved at run time). */
export function describeOperation(op: Operation, full = false): string {
  switch (op.kind) {
    case 'upsert_contact':
      return `POST /contacts or PUT /contacts/${contactRef(op.identity)}  ${preview(op.fields, full)}`;
    case 'upsert_company':
      return `POST /companies  ${preview(op.company, full)}`;
    case 'attach_company':
      return `POST /contacts/${contactRef(op.identity)}/companies  {"id": {company company_id=${op.companyId}}}`;
    case 'detach_company':
      return `DELETE /contacts/${contactRef(op.identity)}/companies/{company company_id=${op.companyId}}`;
    case 'submit_event':
      return op.identity.lead === true
        ? `POST /events (by the id of lead ${contactRef(op.identity)})  ${preview(op.event, full)}`
        : `POST /events  ${preview(op.event, full)}`;
    case 'merge_lead':
      return `POST /contacts/merge  {"from": {lead email=${op.identity.email}}, "into": ${contactRef(op.identity)}}  (for each such lead)`;
  }
}

/** A plan as indented text lines: operations in order, then warnings; or the skip reason. */
export function describePlan(plan: Plan, full = false): string[] {
  if (plan.kind === 'skip') return [`  skip ${plan.reason}: ${plan.detail}`];
  return [
    ...plan.operations.map((op) => `  ${describeOperation(op, full)}`),
    ...plan.warnings.map((w) => `  warning ${w.code} ${w.field}: ${w.detail}`),
  ];
}

function eventLabel(event: SegmentEvent): string {
  const who =
    event.userId !== undefined ? `userId=${event.userId}` : `anonymousId=${event.anonymousId ?? '?'}`;
  const what =
    event.type === 'track' ? ` "${event.event}"` : event.type === 'group' ? ` groupId=${event.groupId}` : '';
  return `${event.type}${what} ${who}`;
}

type LineResult =
  | { readonly ok: true; readonly event: SegmentEvent; readonly plan: Plan }
  | { readonly ok: false; readonly error: string };

/** Parses and maps one input line. */
export function translateLine(line: string, settings: MappingSettings, receivedAt: string): LineResult {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error: unknown) {
    return { ok: false, error: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = parseEvent(raw, { receivedAt, newMessageId: () => 'translate' });
  if (!parsed.ok) return { ok: false, error: `invalid event: ${describeIssues(parsed.issues)}` };
  return { ok: true, event: parsed.event, plan: mapEvent(parsed.event, settings) };
}

function openInput(path: string | undefined, io: CommandIo): Readable {
  return path === undefined || path === '-' ? io.stdin : createReadStream(path, { encoding: 'utf8' });
}

/** What `translate` was asked for. */
interface TranslateArgs {
  readonly json: boolean;
  readonly full: boolean;
  /** The input file; stdin when absent or `-`. */
  readonly file?: string;
}

/** The options and input file in `args`, or `undefined` for bad usage (after saying why on stderr). */
function parseTranslateArgs(args: readonly string[], io: CommandIo): TranslateArgs | undefined {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: COMMAND_SPECS.translate.options,
    });
    if (positionals.length > 1) {
      io.stderr.write(USAGE);
      return undefined;
    }
    const [file] = positionals;
    return {
      json: values.json === true,
      full: values.full === true,
      ...(file !== undefined ? { file } : {}),
    };
  } catch (error: unknown) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return undefined;
  }
}

/** One line's result, as text or as a JSON line. */
function formatLine(lineNumber: number, result: LineResult, options: TranslateArgs): string {
  if (options.json) {
    const record = result.ok
      ? { line: lineNumber, plan: result.plan }
      : { line: lineNumber, error: result.error };
    return `${JSON.stringify(record)}\n`;
  }
  if (!result.ok) return `line ${lineNumber}: ${result.error}\n`;
  const text = [
    `line ${lineNumber}: ${eventLabel(result.event)}`,
    ...describePlan(result.plan, options.full),
  ];
  return `${text.join('\n')}\n`;
}

/** Translates every line of the input; resolves to how many were not events. */
async function translateInput(
  input: Readable,
  io: CommandIo,
  signal: AbortSignal,
  options: TranslateArgs & { readonly settings: MappingSettings; readonly receivedAt: string },
): Promise<number> {
  let invalid = 0;
  let lineNumber = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber += 1;
    if (signal.aborted) break;
    if (line.trim() === '') continue;
    const result = translateLine(line, options.settings, options.receivedAt);
    if (!result.ok) invalid += 1;
    io.stdout.write(formatLine(lineNumber, result, options));
  }
  return invalid;
}

/** Builds the `translate` command with its clock injected. */
export function createTranslateCommand(deps: TranslateDependencies): Command {
  return async (args, env, io, signal) => {
    const options = parseTranslateArgs(args, io);
    if (options === undefined) return 2;
    const parsedSettings = parseMappingSettings(env);
    if ('errors' in parsedSettings) {
      io.stderr.write(`invalid settings:\n${parsedSettings.errors.map((e) => `  - ${e}`).join('\n')}\n`);
      return 2;
    }
    const receivedAt = new Date(deps.clock.now()).toISOString();
    try {
      const input = openInput(options.file, io);
      const settings = parsedSettings.settings;
      const invalid = await translateInput(input, io, signal, { ...options, settings, receivedAt });
      return invalid > 0 ? 1 : 0;
    } catch (error: unknown) {
      // The only I/O here is reading the input: a missing or unreadable file.
      const code = (error as { code?: unknown } | null)?.code;
      const why = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
      io.stderr.write(`cannot read ${options.file ?? 'stdin'}: ${why}\n`);
      return 2;
    }
  };
}

/** `translate`: the dry run, using the system clock for events without a timestamp. */
export const translateCommand: Command = createTranslateCommand({ clock: systemClock });
