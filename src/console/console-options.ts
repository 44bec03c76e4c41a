import type { Clock } from '../clock/clock.js';
import type { DeadLetterStore } from '../delivery/store/dead-letters.js';
import type { FlowHistory } from '../delivery/store/flow-history.js';
import type { DestinationPauses } from '../delivery/store/pauses.js';
import type { QueueReports } from '../delivery/store/reports.js';
import type { FetchFunction } from '../intercom/client.js';
import type { Region } from '../intercom/region.js';
import type { FlowRecorder } from './flow/flow-recorder.js';
import type { RecentFailures } from './recent-failures.js';
import type { TokenVault } from './token-vault.js';

/** Where a destination's Intercom token comes from. */
export type TokenSource = 'environment' | 'destinations_file' | 'sandbox' | 'oauth';

/** One configured destination as the console sees it. */
export interface ConsoleDestination {
  readonly id: string;
  readonly region: Region;
  /**
   * Where its API is, when not Intercom's host for the region: the configured base URL, or in sandbox
   * mode the in-process sandbox, which listens only after the console's routes are registered.
   */
  apiBaseUrl(): string | undefined;
  readonly apiVersion: string;
  readonly appId?: string;
  readonly tokenSource: TokenSource;
  /** The configured token (not for OAuth): only its last four characters are ever shown. */
  readonly configuredToken: string;
}

/** One line of the doctor's report. */
export interface DoctorFinding {
  readonly severity: 'ok' | 'warning' | 'problem';
  readonly subject: string;
  readonly text: string;
}

/** The doctor's checks (`doctor`'s own functions, wired by the CLI). */
export interface DoctorChecks {
  run(): Promise<readonly DoctorFinding[]>;
}

/** What this process knows of Intercom's answers beyond the store: the last rate-limit headers. */
export interface LiveMetrics {
  rateLimit(
    destinationId: string,
  ): Promise<{ readonly limit: number; readonly remaining: number } | undefined>;
}

/** The queue's roles the console reads and acts on. */
export type ConsoleStore = DeadLetterStore &
  DestinationPauses &
  Pick<QueueReports, 'queueDepth' | 'eventNameCounts'> &
  Pick<FlowHistory, 'flowCountsSince'>;

/** Connecting Intercom with OAuth (INTERCOM_CLIENT_ID and INTERCOM_CLIENT_SECRET set). */
export interface OAuthOptions {
  readonly clientId: string;
  /** A secret: sent to the token endpoint only, never shown or logged. */
  readonly clientSecret: string;
  /** Intercom's authorize page for a destination (its region's, or the override). */
  authorizeUrl(destination: ConsoleDestination): string;
  /** Intercom's token endpoint for a destination. */
  tokenUrl(destination: ConsoleDestination): string;
  /** Where a token is revoked (`POST /auth/uninstall` on the destination's API host). */
  revokeUrl(destination: ConsoleDestination): string;
  /** The tokens; without SECRET_KEY the vault stores nothing and the console says so. */
  readonly vault: TokenVault;
  readonly canStore: boolean;
  readonly fetch: FetchFunction;
}

/** Everything the console needs, injected by the CLI's wiring. */
export interface ConsoleOptions {
  /** ADMIN_TOKEN: the sign-in credential, and the key sessions are signed with. */
  readonly adminToken: string;
  readonly destinations: readonly ConsoleDestination[];
  readonly store: ConsoleStore;
  readonly flow: Pick<FlowRecorder, 'unflushed'>;
  readonly failures: RecentFailures;
  readonly live: LiveMetrics;
  readonly doctor: DoctorChecks;
  readonly oauth?: OAuthOptions;
  readonly clock: Clock;
  /** The console's public address (`CONSOLE_PUBLIC_URL`): the OAuth callback's base; https makes cookies Secure. */
  readonly publicUrl?: string;
}
