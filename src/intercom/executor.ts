import type { AttributeRepairContext } from './attribute-repair.js';
import { sendWithAttributeRepair } from './attribute-repair.js';
import type { CallTally } from './call-tally.js';
import { createCallTally } from './call-tally.js';
import type { IntercomApi } from './api-calls.js';
import { hashCompanyFields } from './company-fields-hash.js';
import type { ContactContext, CreateContact, ResolvedContact } from './contact-resolver.js';
import { withContact } from './contact-resolver.js';
import { IntercomError, IntercomHttpError } from './errors.js';
import { mergeLeads, submitLeadEvent } from './lead-contacts.js';
import type { CompanyKey, IdCache } from './id-cache.js';
import type {
  AttachCompanyOp,
  AttributeTypes,
  ContactFields,
  ContactIdentity,
  DetachCompanyOp,
  DeliverPlan,
  Operation,
  SubmitEventOp,
  UpsertCompanyOp,
  UpsertContactOp,
} from './operations.js';
import type { ExecutionOutcome } from './outcome.js';

/** What an executor works with: one Intercom workspace (destination) and its id cache. */
export interface ExecutorOptions {
  readonly client: IntercomApi;
  readonly idCache: IdCache;
  /** Scopes cache entries: ids are only meaningful within one workspace. */
  readonly destinationId: string;
  /** The `createMissingAttributes` setting: create missing data attributes (true) or drop them (false). */
  readonly createMissingAttributes: boolean;
}

/** Carries out plans against Intercom; never retries a failure (the delivery policy decides). */
export interface Executor {
  /** Runs the plan's operations in order and stops at the first failure. Throws only for id-cache failures. */
  execute(plan: DeliverPlan): Promise<ExecutionOutcome>;
}

/** Everything one operation needs during one plan execution. */
interface Run extends ContactContext {
  readonly createMissing: boolean;
}

/** Creates an executor for one destination. */
export function createExecutor(options: ExecutorOptions): Executor {
  return {
    async execute(plan) {
      const tally = createCallTally();
      const run: Run = {
        client: options.client,
        idCache: options.idCache,
        destinationId: options.destinationId,
        tally,
        createMissing: options.createMissingAttributes,
      };
      for (const operation of plan.operations) {
        try {
          await runOperation(run, operation);
        } catch (error: unknown) {
          if (!(error instanceof IntercomError)) throw error;
          return {
            kind: 'failed',
            operation: operation.kind,
            failure: error.toFailure(),
            ...totals(tally),
          };
        }
      }
      return { kind: 'delivered', ...totals(tally) };
    },
  };
}

function totals(tally: CallTally): Pick<ExecutionOutcome, 'calls' | 'notes' | 'rateLimit'> {
  return {
    calls: tally.calls,
    notes: [...tally.notes],
    ...(tally.rateLimit === undefined ? {} : { rateLimit: tally.rateLimit }),
  };
}

async function runOperation(run: Run, operation: Operation): Promise<void> {
  switch (operation.kind) {
    case 'upsert_contact':
      return upsertContact(run, operation);
    case 'upsert_company':
      return upsertCompany(run, operation);
    case 'attach_company':
      return attachCompany(run, operation);
    case 'detach_company':
      return detachCompany(run, operation);
    case 'submit_event':
      return operation.identity.lead === true ? submitLeadEvent(run, operation) : submitEvent(run, operation);
    case 'merge_lead':
      return mergeLeads(run, operation);
  }
}

function repairContext(
  run: Run,
  model: 'contact' | 'company',
  attributeTypes: AttributeTypes,
): AttributeRepairContext {
  return { client: run.client, tally: run.tally, createMissing: run.createMissing, model, attributeTypes };
}

/**
 * A create body: `role: user` (a lead's for an identity marked so, C-IDN-5) and the identity's
 * external_id/email unless the fields carry their own.
 */
function creationFields(identity: ContactIdentity, fields: ContactFields): ContactFields {
  const externalId = fields.external_id ?? identity.externalId;
  const email = fields.email ?? identity.email;
  return {
    ...fields,
    role: identity.lead === true ? 'lead' : 'user',
    ...(externalId === undefined ? {} : { external_id: externalId }),
    ...(email === undefined ? {} : { email }),
  };
}

function contactCreator(
  run: Run,
  identity: ContactIdentity,
  fields: ContactFields,
  types: AttributeTypes,
): CreateContact {
  return async () => {
    const created = await sendWithAttributeRepair(
      repairContext(run, 'contact', types),
      creationFields(identity, fields),
      (f) => run.tally.call(() => run.client.createContact(f)),
    );
    return created.id;
  };
}

/** Identify (and group's last_seen_at, C-GR-3): one `PUT` for a cached contact, else resolve or create. */
async function upsertContact(run: Run, op: UpsertContactOp): Promise<void> {
  const create = contactCreator(run, op.identity, op.fields, op.attributeTypes);
  await withContact(run, op.identity, create, async (contact: ResolvedContact) => {
    if (contact.source === 'created') return; // created with these fields already
    const externalId = op.fields.external_id ?? op.identity.externalId;
    const fields: ContactFields =
      contact.adopt && externalId !== undefined
        ? { ...op.fields, external_id: externalId, role: 'user' }
        : op.fields;
    await sendWithAttributeRepair(repairContext(run, 'contact', op.attributeTypes), fields, (f) =>
      run.tally.call(() => run.client.updateContact(contact.id, f)),
    );
  });
}

function companyKey(run: Run, companyId: string): CompanyKey {
  return { destinationId: run.destinationId, companyId };
}

/** `POST /companies`, skipped when the same fields were the last ones upserted; caches the Intercom id. */
async function upsertCompany(run: Run, op: UpsertCompanyOp): Promise<void> {
  const key = companyKey(run, op.company.company_id);
  const hash = hashCompanyFields(op.company);
  const [knownId, knownHash] = await Promise.all([
    run.idCache.getCompanyId(key),
    run.idCache.getCompanyFieldsHash?.(key),
  ]);
  if (knownId !== undefined && knownHash === hash) {
    run.tally.note(`company ${op.company.company_id} unchanged since last upsert: not sent`);
    return;
  }
  const company = await sendWithAttributeRepair(
    repairContext(run, 'company', op.attributeTypes),
    op.company,
    (f) => run.tally.call(() => run.client.upsertCompany(f)),
  );
  await run.idCache.setCompanyId(key, company.id);
  await run.idCache.setCompanyFieldsHash?.(key, hash);
}

/** The company's Intercom id: cache, else `GET /companies?company_id=` (cached once found). */
async function findCompanyId(
  run: Run,
  companyId: string,
  useCache: boolean,
): Promise<{ id: string; cached: boolean } | undefined> {
  const key = companyKey(run, companyId);
  const cached = useCache ? await run.idCache.getCompanyId(key) : undefined;
  if (cached !== undefined) return { id: cached, cached: true };
  const found = await run.tally.call(() => run.client.findCompanyByCompanyId(companyId));
  if (found === undefined) return undefined;
  await run.idCache.setCompanyId(key, found.id);
  return { id: found.id, cached: false };
}

function companyNotFound(companyId: string): IntercomHttpError {
  return new IntercomHttpError(
    {
      status: 404,
      errors: [{ code: 'company_not_found', message: `No company with company_id ${companyId}` }],
    },
    { method: 'GET', route: '/companies?company_id=' },
  );
}

function isCompanyNotFound(error: unknown): error is IntercomHttpError {
  return error instanceof IntercomHttpError && error.status === 404 && error.code === 'company_not_found';
}

/** Resolves (or creates) the contact and attaches it to the company (C-ID-10, C-GR-2). */
async function attachCompany(run: Run, op: AttachCompanyOp): Promise<void> {
  const company = await findCompanyId(run, op.companyId, true);
  if (company === undefined) throw companyNotFound(op.companyId);
  const create = contactCreator(run, op.identity, {}, {});
  await withContact(run, op.identity, create, async (contact) => {
    const attachment = {
      destinationId: run.destinationId,
      contactId: contact.id,
      intercomCompanyId: company.id,
    };
    if ((await run.idCache.hasAttachment?.(attachment)) === true) {
      run.tally.note(`contact already attached to company ${op.companyId}: not sent`);
      return;
    }
    const usedId = await attachRecovering(run, op.companyId, contact.id, company);
    await run.idCache.setAttachment?.({ ...attachment, intercomCompanyId: usedId });
  });
}

/** Attaches; a cached company id Intercom no longer knows is looked up once more. Returns the id used. */
async function attachRecovering(
  run: Run,
  companyId: string,
  contactId: string,
  company: { readonly id: string; readonly cached: boolean },
): Promise<string> {
  try {
    await run.tally.call(() => run.client.attachContactToCompany(contactId, company.id));
    return company.id;
  } catch (error: unknown) {
    if (!isCompanyNotFound(error) || !company.cached) throw error;
    await run.idCache.deleteCompanyId(companyKey(run, companyId));
    run.tally.note(`cached company ${company.id} not found: looked up again`);
    const fresh = await findCompanyId(run, companyId, false);
    if (fresh === undefined) throw error;
    await run.tally.call(() => run.client.attachContactToCompany(contactId, fresh.id));
    return fresh.id;
  }
}

/** C-ID-11: detaches; an unknown contact, unknown company or missing attachment counts as done. */
async function detachCompany(run: Run, op: DetachCompanyOp): Promise<void> {
  const company = await findCompanyId(run, op.companyId, true);
  if (company === undefined) {
    run.tally.note(`detach: company ${op.companyId} unknown, nothing to detach`);
    return;
  }
  const contact = await withContact(run, op.identity, undefined, async (found) => {
    try {
      await run.tally.call(() => run.client.detachContactFromCompany(found.id, company.id));
    } catch (error: unknown) {
      // A 404 for a cached contact id goes back to withContact to resolve the contact again.
      const notFound = error instanceof IntercomHttpError && error.status === 404;
      if (!notFound || (found.source === 'cache' && !isCompanyNotFound(error))) throw error;
      run.tally.note(`detach: Intercom answered 404 ${error.code ?? ''}, nothing to detach`.trimEnd());
    }
    await run.idCache.deleteAttachment?.({
      destinationId: run.destinationId,
      contactId: found.id,
      intercomCompanyId: company.id,
    });
  });
  if (contact === undefined) run.tally.note('detach: contact unknown, nothing to detach');
}

/** C-TR-1: one `POST /events` by user_id or email; no contact resolution needed. */
async function submitEvent(run: Run, op: SubmitEventOp): Promise<void> {
  const { event, identity } = op;
  const named = event.user_id !== undefined || event.email !== undefined || event.id !== undefined;
  const body = named
    ? event
    : identity.externalId !== undefined
      ? { ...event, user_id: identity.externalId }
      : identity.email !== undefined
        ? { ...event, email: identity.email }
        : event;
  await run.tally.call(() => run.client.submitEvent(body));
}
