/**
 * Property tests for `mapEvent` over random and hostile Segment events (deep nesting, huge strings,
 * unicode, NaN-ish numbers, dates far in the past and future): it never throws, no custom attribute
 * or metadata value is an object or array (except the types Intercom defines: money objects and rich
 * links), and every date is an integer
 * number of Unix seconds (C-ID-3, C-ID-4, C-TR-2). That the plans' requests validate against
 * Intercom's OpenAPI 2.16 description is map-event.openapi.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapEvent } from './map-event.js';
import { RUNS, event, operations, settings } from './random-events-fixture.js';

/** ±100,000,000 days: the range of a JavaScript Date, in seconds. */
const MAX_DATE_SECONDS = 8.64e12;

function isWholeSeconds(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= MAX_DATE_SECONDS;
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** Freezes a value and everything inside it, so any write by the mapping throws (ES modules are strict). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

describe('mapEvent properties', () => {
  it('generates events that exercise every operation kind (the properties below are not vacuous)', () => {
    // A fixed seed: whether 600 random events happen to include a rarer kind (a lead merge needs
    // the lead setting, a userId and an email together) must not change from run to run.
    const kinds = new Set(
      fc
        .sample(fc.tuple(event, settings), { numRuns: 600, seed: 20261207 })
        .flatMap(([e, s]) => operations(mapEvent(e, s)).map((op) => op.kind)),
    );
    expect([...kinds].sort()).toEqual([
      'attach_company',
      'detach_company',
      'merge_lead',
      'submit_event',
      'upsert_company',
      'upsert_contact',
    ]);
  });

  it('C-TR-7 generates money objects that reach metadata (the metadata property below is not vacuous)', () => {
    const moneyKeys = fc
      .sample(fc.tuple(event, settings), { numRuns: 2000, seed: 20261207 })
      .flatMap(([e, s]) => operations(mapEvent(e, s)))
      .flatMap((op) => (op.kind === 'submit_event' ? Object.values(op.event.metadata ?? {}) : []))
      .filter((value) => typeof value === 'object' && 'amount' in value);
    expect(moneyKeys.length).toBeGreaterThan(0);
  });

  it('is pure: does not modify its input and gives the same plan twice', () => {
    fc.assert(
      fc.property(event, settings, (e, s) => {
        const frozen = deepFreeze(structuredClone(e));
        expect(mapEvent(frozen, deepFreeze({ ...s }))).toEqual(mapEvent(e, s));
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws and produces a plan or a typed skip', () => {
    fc.assert(
      fc.property(event, settings, (e, s) => {
        const plan = mapEvent(e, s);
        expect(['deliver', 'skip']).toContain(plan.kind);
        if (plan.kind === 'skip')
          expect(['no_identity', 'no_server_effect', 'unsupported_type', 'invalid_event']).toContain(
            plan.reason,
          );
      }),
      { numRuns: RUNS },
    );
  });

  it('C-ID-4 C-TR-2 C-TR-7 sends no object or array as a custom attribute or metadata value (except money objects and rich links)', () => {
    fc.assert(
      fc.property(event, settings, (e, s) => {
        for (const op of operations(mapEvent(e, s))) {
          const custom =
            op.kind === 'upsert_contact'
              ? op.fields.custom_attributes
              : op.kind === 'upsert_company'
                ? op.company.custom_attributes
                : undefined;
          for (const value of Object.values(custom ?? {})) expect(isScalar(value)).toBe(true);
          if (op.kind !== 'submit_event') continue;
          for (const [key, value] of Object.entries(op.event.metadata ?? {})) {
            if (typeof value !== 'object') continue;
            if ('amount' in value) {
              expect(Object.keys(value).sort()).toEqual(['amount', 'currency']);
              expect(Number.isSafeInteger(value.amount) && value.amount >= 0).toBe(true);
              expect(typeof value.currency).toBe('string');
            } else {
              expect(s.richLinkProperties).toContain(key);
              expect(Object.keys(value).sort()).toEqual(['url', 'value']);
            }
          }
          expect(Object.keys(op.event.metadata ?? {}).length).toBeLessThanOrEqual(s.maxEventMetadataKeys);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('C-ID-3 sends every date as an integer number of Unix seconds', () => {
    fc.assert(
      fc.property(event, settings, (e, s) => {
        for (const op of operations(mapEvent(e, s))) {
          const dates: unknown[] = [];
          if (op.kind === 'upsert_contact') {
            dates.push(op.fields.signed_up_at, op.fields.last_seen_at);
            for (const [key, type] of Object.entries(op.attributeTypes)) {
              if (type === 'date') dates.push(op.fields.custom_attributes?.[key]);
            }
          }
          if (op.kind === 'upsert_company') dates.push(op.company.remote_created_at);
          if (op.kind === 'submit_event') dates.push(op.event.created_at);
          for (const date of dates.filter((d) => d !== undefined))
            expect(isWholeSeconds(date), JSON.stringify(date)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('C-ID-4 types only attributes that are sent, and only when createMissingAttributes is on', () => {
    fc.assert(
      fc.property(event, settings, (e, s) => {
        for (const op of operations(mapEvent(e, s))) {
          if (op.kind !== 'upsert_contact' && op.kind !== 'upsert_company') continue;
          const custom =
            op.kind === 'upsert_contact' ? op.fields.custom_attributes : op.company.custom_attributes;
          if (!s.createMissingAttributes) expect(op.attributeTypes).toEqual({});
          for (const key of Object.keys(op.attributeTypes))
            expect(Object.hasOwn(custom ?? {}, key)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
