import type { IdCache } from '../../intercom/id-cache.js';
import type { ContactUpdates } from './contact-updates.js';
import type { DeadLetterStore } from './dead-letters.js';
import type { Enqueuer, Receipts, RowEnqueuer } from './enqueue.js';
import type { Erasures } from './erasures.js';
import type { FlowHistory } from './flow-history.js';
import type { LaneClaims } from './lane-claims.js';
import type { DestinationPauses } from './pauses.js';
import type { QueueReports } from './reports.js';
import type { StoredTokens } from './stored-tokens.js';

/**
 * The durable queue as the wiring opens it (ARCHITECTURE.md decision 4): every role the parts of the
 * product take one of — ingestion the `Enqueuer`, the worker `LaneClaims` and `DestinationPauses`,
 * `dlq` the `DeadLetterStore`, health, metrics and `doctor` the `QueueReports`, the console the
 * `FlowHistory` and `StoredTokens` (OAuth) — plus the durable
 * Intercom id cache (C-IDN-3) in the same database. SQLite and PostgreSQL implement it with the same
 * semantics (the contract in `test/delivery-store-contract*.ts`).
 */
export interface JobStore
  extends
    Enqueuer,
    RowEnqueuer,
    Receipts,
    LaneClaims,
    DeadLetterStore,
    DestinationPauses,
    QueueReports,
    Erasures,
    ContactUpdates,
    FlowHistory,
    StoredTokens {
  /** The executor's id cache (C-IDN-3), kept in the queue's database so a restart keeps it. */
  readonly idCache: Required<IdCache>;
  close(): Promise<void>;
}
