import { type Clock, systemClock } from '../clock/clock.js';
import type { Command } from './command.js';
import { ConfigError, readServeConfig, type ServeConfig } from './config.js';
import type { DestinationConfig } from './destinations-file.js';
import type { JobStore } from '../delivery/store/job-store.js';
import type { DestinationPauses } from '../delivery/store/pauses.js';
import type { QueueReports } from '../delivery/store/reports.js';
import { describeQueue, isHeldForOthers, openCommandQueue } from './queue.js';
import { EVENT_NAME_LIMIT, EVENT_NAME_WARNING_COUNT } from '../delivery/worker/event-name-tally.js';
import { IntercomClient, type FetchFunction } from '../intercom/client.js';
import { IntercomError } from '../intercom/errors.js';
import type { IntercomFailure } from '../intercom/outcome.js';

/** How serious one line of the report is; `problem` lines make `doctor` exit 1. */
export type Severity = 'ok' | 'warning' | 'problem';

/** One line of the doctor's report. */
export interface Finding {
  readonly severity: Severity;
  readonly subject: string;
  readonly text: string;
}

/** What `doctor` talks to, injected so tests use the sandbox and a fixed clock. */
export interface DoctorDependencies {
  readonly fetch: FetchFunction;
  readonly clock: Clock;
  /** Budget of each `GET /me` (default 10 s). */
  readonly timeoutMs?: number;
}

function describeFailure(failure: IntercomFailure): string {
  switch (failure.kind) {
    case 'http':
      return [`HTTP ${failure.status}`, failure.code, failure.message]
        .filter((v) => v !== undefined)
        .join(' ');
    case 'timeout':
      return `no answer within ${failure.timeoutMs} ms`;
    case 'network':
    case 'identity_conflict':
      return failure.message;
  }
}

/** Checks one destination's token with `GET /me`, and `INTERCOM_APP_ID` against the workspace's `app.id_code`. */
async function checkToken(destination: DestinationConfig, deps: DoctorDependencies): Promise<Finding[]> {
  const subject = `destination ${destination.id}`;
  if (destination.tokenSource === 'oauth' && destination.accessToken === '') {
    return [
      {
        severity: 'warning',
        subject,
        text: 'no OAuth token connected: delivery waits (connect it in /console)',
      },
    ];
  }
  const client = new IntercomClient({
    fetch: deps.fetch,
    accessToken: destination.accessToken,
    region: destination.region,
    ...(destination.apiBaseUrl !== undefined ? { apiBaseUrl: destination.apiBaseUrl } : {}),
    apiVersion: destination.apiVersion,
    timeoutMs: deps.timeoutMs ?? 10_000,
  });
  try {
    const me = (await client.getMe()).value;
    const findings: Finding[] = [
      { severity: 'ok', subject, text: `token accepted by ${new URL(client.baseUrl).origin} (GET /me)` },
    ];
    const idCode = me.app?.id_code;
    if (destination.appId !== undefined && idCode !== undefined && idCode !== destination.appId) {
      findings.push({
        severity: 'problem',
        subject,
        text: `the app id setting is ${destination.appId} but the token belongs to workspace ${idCode}`,
      });
    } else if (destination.appId !== undefined && idCode !== undefined) {
      findings.push({ severity: 'ok', subject, text: `app id ${idCode} matches the token's workspace` });
    }
    return findings;
  } catch (error: unknown) {
    if (!(error instanceof IntercomError)) throw error;
    // The origin only: a URL with credentials in it must not reach the report.
    const where = new URL(client.baseUrl).origin;
    return [
      { severity: 'problem', subject, text: `GET ${where}/me failed: ${describeFailure(error.toFailure())}` },
    ];
  }
}

/** What `doctor` reads of the queue. */
export type DoctorQueue = QueueReports & DestinationPauses;

/** Queue depth, dead letters, pauses and event-name counts of every destination in the store. */
async function checkStore(store: DoctorQueue, config: ServeConfig, nowMs: number): Promise<Finding[]> {
  const findings: Finding[] = [];
  const configured = new Set(config.destinations.map((d) => d.id));
  for (const depth of await store.queueDepth(nowMs)) {
    const subject = `destination ${depth.destinationId}`;
    const oldest = depth.oldestReceivedAt === undefined ? '' : `, oldest received ${depth.oldestReceivedAt}`;
    findings.push({
      severity: 'ok',
      subject,
      text: `queue: ${depth.pending} pending, ${depth.parked} waiting for their user, ${depth.inFlight} in flight${oldest}`,
    });
    if (depth.deadLetters > 0) {
      findings.push({
        severity: 'warning',
        subject,
        text: `${depth.deadLetters} dead letter${depth.deadLetters === 1 ? '' : 's'} (npm run dlq -- list)`,
      });
    }
    if (isHeldForOthers(depth, configured)) {
      findings.push({ severity: 'warning', subject, text: 'has queued jobs but is not configured any more' });
    }
  }
  for (const pause of await store.pausedDestinations(nowMs)) {
    const since = new Date(pause.sinceMs).toISOString();
    const until =
      pause.untilMs === undefined
        ? 'until a probe succeeds'
        : `until ${new Date(pause.untilMs).toISOString()}`;
    findings.push({
      // An open-ended pause means Intercom refused the token: nothing is delivered until it is fixed.
      severity: pause.untilMs === undefined ? 'problem' : 'warning',
      subject: `destination ${pause.destinationId}`,
      text: `paused (${pause.reason}) since ${since}, ${until}`,
    });
  }
  for (const { destinationId, count } of await store.eventNameCounts()) {
    const severity: Severity =
      count >= EVENT_NAME_LIMIT ? 'problem' : count >= EVENT_NAME_WARNING_COUNT ? 'warning' : 'ok';
    findings.push({
      severity,
      subject: `destination ${destinationId}`,
      text: `${count} of Intercom's ${EVENT_NAME_LIMIT} active event names used (C-TR-6)`,
    });
  }
  return findings;
}

/** The whole check: configuration, every destination's token, the store. */
export async function diagnose(
  config: ServeConfig,
  store: DoctorQueue,
  deps: DoctorDependencies,
): Promise<Finding[]> {
  const findings: Finding[] = [
    {
      severity: 'ok',
      subject: 'config',
      text: `${config.destinations.length} destination(s), queue ${describeQueue(config)}`,
    },
  ];
  if (config.sandbox !== undefined) {
    findings.push({
      severity: 'warning',
      subject: 'config',
      text: 'no Intercom token or API URL set: serve delivers to the local sandbox',
    });
  } else {
    const checks = await Promise.all(config.destinations.map((d) => checkToken(d, deps)));
    findings.push(...checks.flat());
  }
  findings.push(...(await checkStore(store, config, deps.clock.now())));
  return findings;
}

const MARK: Readonly<Record<Severity, string>> = { ok: 'ok     ', warning: 'warning', problem: 'PROBLEM' };

/** Creates the `doctor` command with its I/O injected. */
export function createDoctorCommand(deps: DoctorDependencies): Command {
  return async (_args, env, io) => {
    let config: ServeConfig;
    try {
      config = readServeConfig(env, process.cwd());
    } catch (error: unknown) {
      if (!(error instanceof ConfigError)) throw error;
      io.stdout.write(`PROBLEM config: ${error.message}\n`);
      return 1;
    }
    let store: JobStore;
    try {
      store = await openCommandQueue(config);
    } catch (error: unknown) {
      // The cause's message names the host or the file, never the URL's credentials.
      const why =
        error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      io.stdout.write(`PROBLEM queue: ${describeQueue(config)} cannot be opened: ${why}\n`);
      return 1;
    }
    let findings: Finding[];
    try {
      findings = await diagnose(config, store, deps);
    } finally {
      await store.close();
    }
    for (const f of findings) io.stdout.write(`${MARK[f.severity]} ${f.subject}: ${f.text}\n`);
    const problems = findings.filter((f) => f.severity === 'problem').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    io.stdout.write(
      problems === 0
        ? `\nhealthy (${warnings} warning${warnings === 1 ? '' : 's'})\n`
        : `\n${problems} problem${problems === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`,
    );
    return problems === 0 ? 0 : 1;
  };
}

/** `doctor`: checks the serve configuration, each destination's token and the store; exit 1 on problems. */
export const doctorCommand: Command = createDoctorCommand({
  fetch: (url, init) => fetch(url, init),
  clock: systemClock,
});
