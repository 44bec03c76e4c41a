import type { AttributeModel, AttributeValue, MetadataValue } from '../intercom/operations.js';
import type { Clock } from '../clock/clock.js';

/** A contact as the sandbox keeps it (dates in Unix seconds, as Intercom returns them). */
export interface SandboxContact {
  id: string;
  role: 'user' | 'lead';
  external_id: string | null;
  email: string | null;
  phone: string | null;
  name: string | null;
  avatar: string | null;
  owner_id: string | null;
  signed_up_at: number | null;
  last_seen_at: number | null;
  unsubscribed_from_emails: boolean;
  custom_attributes: Record<string, AttributeValue>;
  created_at: number;
  updated_at: number;
  /** Creation time in ms, for the search lag. */
  created_at_ms: number;
  /** Set by `POST /sandbox/merge`: the contact this one was merged into. */
  merged_into: string | null;
  /**
   * `POST /contacts/{id}/archive` (a soft delete): hidden from lookups, search and events until
   * `POST /contacts/{id}/unarchive`, but still a duplicate for a create (intercom-api.md §4.8a).
   */
  archived: boolean;
}

/** A company as the sandbox keeps it. */
export interface SandboxCompany {
  id: string;
  company_id: string;
  name: string | null;
  plan: string | null;
  size: number | null;
  website: string | null;
  industry: string | null;
  monthly_spend: number;
  remote_created_at: number | null;
  custom_attributes: Record<string, AttributeValue>;
  created_at: number;
  updated_at: number;
}

/** A stored data event (after dedupe and the metadata key limit). */
export interface SandboxEvent {
  id: string;
  event_name: string;
  created_at: number;
  contact_id: string;
  user_id: string | null;
  email: string | null;
  metadata: Record<string, MetadataValue | AttributeValue>;
  /** Metadata keys past the limit, which Intercom ignores. */
  dropped_metadata_keys: string[];
  received_at: number;
}

/** A data attribute (standard ones have `custom: false` and no id). */
export interface SandboxDataAttribute {
  id: number | null;
  model: AttributeModel;
  name: string;
  full_name: string;
  label: string;
  description: string;
  data_type: string;
  options: string[];
  custom: boolean;
  archived: boolean;
  api_writable: boolean;
  messenger_writable: boolean;
  created_at: number | null;
  updated_at: number | null;
}

/** A contact attached to a company, by Intercom ids. */
export interface CompanyAttachment {
  readonly contact_id: string;
  readonly company_id: string;
}

/** Everything the sandbox holds, as plain JSON (`GET /sandbox/state`). */
export interface SandboxState {
  readonly app_id: string;
  readonly contacts: readonly SandboxContact[];
  readonly companies: readonly SandboxCompany[];
  readonly attachments: readonly CompanyAttachment[];
  readonly events: readonly SandboxEvent[];
  readonly data_attributes: readonly SandboxDataAttribute[];
  /** Distinct (normalised) event names, counted against the event-name limit. */
  readonly event_names: readonly string[];
}

/** Behaviour settings the store needs. */
export interface StoreSettings {
  readonly appId: string;
  readonly clock: Clock;
  readonly searchLagMs: number;
  readonly eventNameLimit: number;
  readonly metadataKeyLimit: number;
}

/** The sandbox's in-memory state; no I/O. Mutated only through the *-store.ts functions. */
export interface Store {
  readonly settings: StoreSettings;
  readonly contacts: Map<string, SandboxContact>;
  readonly companies: Map<string, SandboxCompany>;
  /** contact id → Intercom ids of its companies, in attach order. */
  readonly attachments: Map<string, Set<string>>;
  readonly events: SandboxEvent[];
  /** Dedupe keys `contact id \n name \n created_at` (intercom-api.md §4.2). */
  readonly eventKeys: Set<string>;
  readonly eventNames: Set<string>;
  /** Custom data attributes, keyed `model:name`. */
  readonly dataAttributes: Map<string, SandboxDataAttribute>;
  readonly counters: { contact: number; company: number; event: number; attribute: number };
}

/** Creates an empty store. */
export function createStore(settings: StoreSettings): Store {
  return {
    settings,
    contacts: new Map(),
    companies: new Map(),
    attachments: new Map(),
    events: [],
    eventKeys: new Set(),
    eventNames: new Set(),
    dataAttributes: new Map(),
    counters: { contact: 0, company: 0, event: 0, attribute: 0 },
  };
}

/** Empties the store (ids start again from the beginning). */
export function resetStore(store: Store): void {
  store.contacts.clear();
  store.companies.clear();
  store.attachments.clear();
  store.events.length = 0;
  store.eventKeys.clear();
  store.eventNames.clear();
  store.dataAttributes.clear();
  Object.assign(store.counters, { contact: 0, company: 0, event: 0, attribute: 0 });
}

/** A deep copy of the store as plain JSON. */
export function snapshotStore(store: Store): SandboxState {
  const attachments: CompanyAttachment[] = [];
  for (const [contactId, companyIds] of store.attachments) {
    for (const companyId of companyIds) attachments.push({ contact_id: contactId, company_id: companyId });
  }
  return structuredClone({
    app_id: store.settings.appId,
    contacts: [...store.contacts.values()],
    companies: [...store.companies.values()],
    attachments,
    events: store.events,
    data_attributes: [...store.dataAttributes.values()],
    event_names: [...store.eventNames],
  });
}

/** The current time in Unix seconds. */
export function nowSeconds(store: Store): number {
  return Math.floor(store.settings.clock.now() / 1000);
}

/** Intercom-looking 24-hex-digit ids, deterministic per store (the prefix tells the model apart). */
export function nextId(store: Store, kind: 'contact' | 'company' | 'event'): string {
  store.counters[kind] += 1;
  const prefix = kind === 'contact' ? '64' : kind === 'company' ? '65' : '66';
  return prefix + store.counters[kind].toString(16).padStart(22, '0');
}
