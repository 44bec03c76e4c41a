/**
 * Property test over random and hostile events: no trait of an identify or group, and no property of
 * a track, disappears without a warning. Every key given (not `null`) either reaches the plan (the
 * Intercom field it feeds, a custom attribute, the metadata) or is named by a warning. Companies that
 * are detached (C-ID-11) are left out: a removal uses only the company's id.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompanyFields, MappingWarning, Operation, Plan } from '../intercom/operations.js';
import type { SegmentEvent } from '../segment/event.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../segment/json.js';
import { mapEvent } from './map-event.js';
import { RUNS, event, settings } from './random-events-fixture.js';

type Deliver = Extract<Plan, { kind: 'deliver' }>;

/** Whether a warning names `field` itself or something inside it. */
function warned(warnings: readonly MappingWarning[], field: string): boolean {
  return warnings.some(
    (w) => w.field === field || w.field.startsWith(`${field}.`) || w.field.startsWith(`${field}[`),
  );
}

/** The keys named by the C-TR-4 key-budget warning. */
function overBudget(warnings: readonly MappingWarning[]): readonly string[] {
  const warning = warnings.find((w) => w.code === 'dropped_metadata_keys');
  return warning === undefined ? [] : warning.detail.slice(warning.detail.indexOf(': ') + 2).split(', ');
}

/** The company body a company object became (by the id it was upserted under), if any. */
function upserted(operations: readonly Operation[]): readonly CompanyFields[] {
  return operations.flatMap((op) => (op.kind === 'upsert_company' ? [op.company] : []));
}

/** Which field of a company body each standard company key feeds (C-ID-10, C-GR-1). */
const COMPANY_FEEDS: Readonly<Record<string, (c: CompanyFields) => unknown>> = {
  name: (c) => c.name,
  plan: (c) => c.plan,
  website: (c) => c.website,
  industry: (c) => c.industry,
  monthlySpend: (c) => c.monthly_spend,
  monthly_spend: (c) => c.monthly_spend,
  size: (c) => c.size,
  employees: (c) => c.size ?? c.custom_attributes?.['employees'],
  createdAt: (c) => c.remote_created_at,
  created_at: (c) => c.remote_created_at,
  id: (c) => c.company_id,
  company_id: (c) => c.company_id,
  companyId: (c) => c.company_id,
  remove: () => true,
};

/** The keys of a company object that reached no company body and no warning. */
function lostCompanyKeys(
  obj: JsonObject,
  companies: readonly CompanyFields[],
  warnings: readonly MappingWarning[],
  field: string,
): string[] {
  // A company skipped as a whole (no id, C-ID-10) is named by one warning; a removal uses only its id.
  if (obj['remove'] === true || warnings.some((w) => w.field === field)) return [];
  return Object.keys(obj).filter((key) => {
    if (obj[key] === null || warned(warnings, `${field}.${key}`)) return false;
    const feeds = Object.hasOwn(COMPANY_FEEDS, key) ? COMPANY_FEEDS[key] : undefined;
    return !companies.some((c) =>
      feeds === undefined ? Object.hasOwn(c.custom_attributes ?? {}, key) : feeds(c) !== undefined,
    );
  });
}

/** Which contact field each standard identify trait feeds (C-ID-1..6). */
const TRAIT_FEEDS: Readonly<Record<string, (plan: Deliver) => boolean>> = {
  email: (plan) => contactFields(plan).some((f) => f.email !== undefined),
  phone: (plan) => contactFields(plan).some((f) => f.phone !== undefined),
  name: (plan) => contactFields(plan).some((f) => f.name !== undefined),
  firstName: (plan) => contactFields(plan).some((f) => f.name !== undefined),
  lastName: (plan) => contactFields(plan).some((f) => f.name !== undefined),
  createdAt: (plan) => contactFields(plan).some((f) => f.signed_up_at !== undefined),
  created_at: (plan) => contactFields(plan).some((f) => f.signed_up_at !== undefined),
  lastRequestAt: (plan) => contactFields(plan).some((f) => f.last_seen_at !== undefined),
  company: () => true,
  companies: () => true,
  id: () => false,
  avatar: () => false,
};

function contactFields(plan: Deliver) {
  return plan.operations.flatMap((op) => (op.kind === 'upsert_contact' ? [op.fields] : []));
}

/** Identify traits that reached no field, no custom attribute and no warning (companies included). */
function lostTraits(traits: JsonObject, plan: Deliver, userId: string | undefined): string[] {
  const lost = Object.keys(traits).filter((key) => {
    if (traits[key] === null || warned(plan.warnings, `traits.${key}`)) return false;
    // C-IDN-1: an `id` equal to the userId names the same contact.
    if (key === 'id' && traits[key] === userId) return false;
    const feeds = Object.hasOwn(TRAIT_FEEDS, key) ? TRAIT_FEEDS[key] : undefined;
    if (feeds !== undefined) return !feeds(plan);
    return !contactFields(plan).some((f) => Object.hasOwn(f.custom_attributes ?? {}, key));
  });
  const companies = upserted(plan.operations);
  const single = traits['company'];
  if (isJsonObject(single)) lost.push(...lostCompanyKeys(single, companies, plan.warnings, 'traits.company'));
  const list = traits['companies'];
  if (Array.isArray(list)) {
    (list as readonly JsonValue[]).forEach((item, i) => {
      const field = `traits.companies[${i}]`;
      if (isJsonObject(item)) lost.push(...lostCompanyKeys(item, companies, plan.warnings, field));
    });
  }
  return lost;
}

/** Track properties that reached no metadata key and no warning. */
function lostProperties(properties: JsonObject, plan: Deliver): string[] {
  const op = plan.operations[0];
  const metadata = op?.kind === 'submit_event' ? (op.event.metadata ?? {}) : {};
  const budget = overBudget(plan.warnings);
  const priced = 'price' in metadata || budget.includes('price');
  return Object.keys(properties).filter((key) => {
    if (properties[key] === null || warned(plan.warnings, `properties.${key}`)) return false;
    if (Object.hasOwn(metadata, key) || budget.includes(key)) return false;
    // C-TR-3: revenue and currency travel inside the computed price.
    return !(priced && (key === 'revenue' || key === 'currency'));
  });
}

function lostKeys(e: SegmentEvent, plan: Deliver): string[] {
  switch (e.type) {
    case 'identify':
      return lostTraits(e.traits ?? {}, plan, e.userId?.trim());
    case 'group':
      return lostCompanyKeys(e.traits ?? {}, upserted(plan.operations), plan.warnings, 'traits');
    case 'track':
      return lostProperties(e.properties ?? {}, plan);
    case 'page':
    case 'screen':
    case 'alias':
      // C-PG-1: skipped as a whole, with the reason; no plan delivers their fields.
      return [];
  }
}

describe('mapEvent warnings', () => {
  it('no trait or property disappears without a warning (identify, group, track)', () => {
    fc.assert(
      fc.property(event, settings, (e, s) => {
        const plan = mapEvent(e, s);
        if (plan.kind !== 'deliver') return;
        expect(lostKeys(e, plan), JSON.stringify(plan.warnings)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('the check above finds a lost key when a warning is missing (it is not vacuous)', () => {
    const e = {
      type: 'identify',
      messageId: 'm',
      timestamp: '2024-01-01T00:00:00Z',
      userId: 'u1',
      traits: { avatar: 'https://example.com/a.png', plan: 'pro' },
    } as SegmentEvent;
    const plan = mapEvent(e, { ...fc.sample(settings, 1)[0]!, createMissingAttributes: true });
    if (plan.kind !== 'deliver') throw new TypeError('an identify with a userId is delivered');
    expect(lostKeys(e, plan)).toEqual([]);
    expect(lostKeys(e, { ...plan, warnings: [] })).toEqual(['avatar']);
  });
});
