/**
 * Intercom REST API 2.x request shapes and the plan operations that the pure mapping produces
 * and the executor carries out. Types only: imported by mapping, sandbox, delivery and intercom.
 */

/** A custom attribute value Intercom accepts (C-ID-4: no objects or arrays; null clears). */
export type AttributeValue = string | number | boolean | null;

/** Intercom data attribute types that can be created through `POST /data_attributes`. */
export type DataAttributeType = 'string' | 'integer' | 'float' | 'boolean' | 'date' | 'datetime';

/** Intercom models that carry custom data attributes. */
export type AttributeModel = 'contact' | 'company';

/** Body of `POST /contacts` and `PUT /contacts/{id}` (fields this destination writes). */
export interface ContactFields {
  readonly role?: 'user' | 'lead';
  readonly external_id?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly name?: string;
  /** Unix seconds. */
  readonly signed_up_at?: number;
  /** Unix seconds. */
  readonly last_seen_at?: number;
  readonly unsubscribed_from_emails?: boolean;
  readonly custom_attributes?: Readonly<Record<string, AttributeValue>>;
}

/** Body of `POST /companies` (upsert keyed on `company_id`). */
export interface CompanyFields {
  readonly company_id: string;
  readonly name?: string;
  readonly plan?: string;
  /** Integer (Intercom truncates floats; C-GR-1). */
  readonly monthly_spend?: number;
  readonly size?: number;
  readonly website?: string;
  readonly industry?: string;
  /** Unix seconds. */
  readonly remote_created_at?: number;
  readonly custom_attributes?: Readonly<Record<string, AttributeValue>>;
}

/** Intercom's money object in event metadata (C-TR-3, C-TR-7): `amount` a whole number of cents. */
export interface MetadataPrice {
  readonly amount: number;
  readonly currency: string;
}

/** Event metadata rich link (C-TR-5). */
export interface MetadataRichLink {
  readonly url: string;
  readonly value: string;
}

/** One event metadata value. */
export type MetadataValue = string | number | MetadataPrice | MetadataRichLink;

/** Body of `POST /events`. */
export interface EventFields {
  readonly event_name: string;
  /** Unix seconds. */
  readonly created_at: number;
  /** The contact's external_id. */
  readonly user_id?: string;
  readonly email?: string;
  /** Intercom contact id (needed for leads). */
  readonly id?: string;
  readonly metadata?: Readonly<Record<string, MetadataValue>>;
}

/** How a plan names a contact; resolved to an Intercom id by the executor (C-IDN-1/2). */
export interface ContactIdentity {
  readonly externalId?: string;
  readonly email?: string;
  /**
   * C-IDN-5 (`contactRoleWithoutUserId: lead`): a contact named by email only is a lead: created with
   * `role: lead`, and its events are sent by its Intercom id (Intercom finds leads by id only).
   */
  readonly lead?: true;
}

/** Types of the custom attributes an operation writes, so missing ones can be created. */
export type AttributeTypes = Readonly<Record<string, DataAttributeType>>;

/** Create or update the contact (identify; last_seen_at on group, C-GR-3). */
export interface UpsertContactOp {
  readonly kind: 'upsert_contact';
  readonly identity: ContactIdentity;
  readonly fields: ContactFields;
  readonly attributeTypes: AttributeTypes;
}

/** Create or update a company by its `company_id`. */
export interface UpsertCompanyOp {
  readonly kind: 'upsert_company';
  readonly company: CompanyFields;
  readonly attributeTypes: AttributeTypes;
}

/** Attach the contact to a company (by the company's `company_id`; the executor finds its Intercom id). */
export interface AttachCompanyOp {
  readonly kind: 'attach_company';
  readonly identity: ContactIdentity;
  readonly companyId: string;
}

/** Detach the contact from a company (C-ID-11). */
export interface DetachCompanyOp {
  readonly kind: 'detach_company';
  readonly identity: ContactIdentity;
  readonly companyId: string;
}

/** Submit a data event (C-TR-1). */
export interface SubmitEventOp {
  readonly kind: 'submit_event';
  readonly identity: ContactIdentity;
  readonly event: EventFields;
}

/**
 * C-IDN-5: merge the leads that carry the identity's email into the user with its external_id
 * (`POST /contacts/merge`, lead `from`, user `into`); nothing when there is none.
 */
export interface MergeLeadOp {
  readonly kind: 'merge_lead';
  readonly identity: { readonly externalId: string; readonly email: string };
}

/** One step of a plan. */
export type Operation =
  UpsertContactOp | UpsertCompanyOp | AttachCompanyOp | DetachCompanyOp | SubmitEventOp | MergeLeadOp;

/** Something the mapping dropped or changed that the user should know about. */
export interface MappingWarning {
  readonly code:
    | 'dropped_nested_value'
    | 'dropped_invalid_key'
    | 'dropped_metadata_keys'
    | 'skipped_company'
    | 'invalid_date'
    | 'dropped_invalid_value'
    | 'replaced_by_price'
    | 'ignored_trait';
  readonly field: string;
  readonly detail: string;
}

/** Why an event causes no Intercom call. */
export type SkipReason = 'no_identity' | 'no_server_effect' | 'unsupported_type' | 'invalid_event';

/** The outcome of mapping one event: operations to run in order, or a skip. */
export type Plan =
  | {
      readonly kind: 'deliver';
      readonly operations: readonly Operation[];
      readonly warnings: readonly MappingWarning[];
    }
  | { readonly kind: 'skip'; readonly reason: SkipReason; readonly detail: string };

/** A plan with something to send to Intercom. */
export type DeliverPlan = Extract<Plan, { kind: 'deliver' }>;
