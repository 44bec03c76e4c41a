/**
 * Property tests for `mapEvent` over random and hostile Segment events (deep nesting, huge strings,
 * unicode, NaN-ish numbers, dates far in the past and future): it never throws, every request the
 * executor would build from the plan validates against Intercom's OpenAPI 2.16 description, no
 * custom attribute or metadata value is an object or array (except price and rich links), and every
 * date is an integer number of Unix seconds (C-ID-3, C-ID-4, C-TR-2).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SegmentEvent } from '../segment/event.js';
import type { JsonObject, JsonValue } from '../segment/json.js';
import type { Operation, Plan } from '../intercom/operations.js';
import {
  createRequestValidator,
  type RequestToValidate,
  type RequestValidator,
} from '../sandbox/openapi-validator.js';
import { mapEvent } from './map-event.js';
import { DEFAULT_MAPPING_SETTINGS, type MappingSettings } from './settings.js';

const RUNS = 400;
const HEADERS = { authorization: 'Bearer t', 'intercom-version': '2.16' } as const;
/** ±100,000,000 days: the range of a JavaScript Date, in seconds. */
const MAX_DATE_SECONDS = 8.64e12;

const KEYS = [
  'email',
  'phone',
  'name',
  'firstName',
  'lastName',
  'createdAt',
  'created_at',
  'company',
  'companies',
  'avatar',
  'lastRequestAt',
  'id',
  'company_id',
  'companyId',
  'plan',
  'monthlySpend',
  'monthly_spend',
  'size',
  'employees',
  'website',
  'industry',
  'remove',
  'revenue',
  'currency',
  'price',
  'link',
  '__proto__',
  'constructor',
  'a.b',
  '$x',
  '',
  '1',
  'ключ',
  '🔥',
] as const;

const id = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom('u1', ' ', ''),
);
const hugeString = fc.constant('x'.repeat(100_000));
const deepObject = fc.integer({ min: 50, max: 400 }).map((depth) => {
  let value: JsonValue = 'bottom';
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? { nested: value } : [value];
  return value;
});
const dateLike = fc.oneof(
  fc
    .date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '+275760-09-13T00:00:00.000Z',
    '-271821-04-20T00:00:00.000Z',
    '2024-02-30',
    '0000-01-01',
    '9999-12-31T23:59:59Z',
    'Tue, 01 Feb 2022 00:00:00 GMT',
    'yesterday',
    '1e400',
    '12',
    '-1',
    '1704164645123',
    'NaN',
    'Infinity',
  ),
  fc.double(),
  fc.integer({ min: -1e16, max: 1e16 }),
);
const scalar: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '$12.50', '$1,234.50', '-0', 'true', 'null', 'a@b.c', '19.99'),
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, 19.99, 1e308, -1e308, 2 ** 31, Number.MAX_SAFE_INTEGER, 5e-324),
  fc.boolean(),
  fc.constant(null),
  dateLike,
);
const { value: anyValue } = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 5 }),
    fc.record({ url: scalar, value: scalar }),
    deepObject,
    hugeString,
  ),
}));
const bag: fc.Arbitrary<JsonObject> = fc.dictionary(
  fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })),
  anyValue,
  { maxKeys: 14 },
);
const companyObject: fc.Arbitrary<JsonObject> = fc
  .tuple(
    fc.dictionary(fc.constantFrom(...KEYS), scalar, { maxKeys: 8 }),
    fc.record(
      { id: fc.oneof(id, scalar), name: scalar, remove: fc.oneof(fc.boolean(), scalar) },
      { requiredKeys: [] },
    ),
  )
  .map(([rest, known]) => ({ ...rest, ...known }));
const traits: fc.Arbitrary<JsonObject> = fc
  .tuple(
    bag,
    fc.option(fc.oneof(scalar, companyObject), { nil: undefined }),
    fc.option(fc.array(fc.oneof(companyObject, scalar), { maxLength: 4 }), { nil: undefined }),
  )
  .map(([rest, company, companies]) => ({
    ...rest,
    ...(company === undefined ? {} : { company }),
    ...(companies === undefined ? {} : { companies }),
  }));
const context: fc.Arbitrary<JsonObject> = fc.record(
  {
    active: fc.oneof(fc.boolean(), scalar),
    ip: scalar,
    userAgent: fc.oneof(scalar, hugeString),
    traits: fc.record({ email: scalar }),
    Intercom: fc.record({ unsubscribedFromEmails: scalar }),
    device: fc.record({ type: scalar, manufacturer: scalar, model: anyValue }),
    os: fc.record({ name: scalar, version: scalar }),
    app: fc.record({ name: scalar, version: scalar }),
  },
  { requiredKeys: [] },
);

const event: fc.Arbitrary<SegmentEvent> = fc
  .record(
    {
      type: fc.constantFrom('identify', 'track', 'group', 'page', 'screen', 'alias'),
      userId: id,
      anonymousId: id,
      timestamp: dateLike.map((d) =>
        typeof d === 'number' ? new Date(Number.isFinite(d) ? d : 0).toString() : d,
      ),
      context,
      integrations: fc.record({ Intercom: fc.record({ unsubscribedFromEmails: scalar }) }),
      traits,
      properties: bag,
      event: id,
      groupId: id,
      previousId: id,
    },
    { requiredKeys: ['type', 'timestamp'] },
  )
  .map((raw) => ({ messageId: 'm', ...raw }) as unknown as SegmentEvent);

const settings: fc.Arbitrary<MappingSettings> = fc.record({
  collectContext: fc.boolean(),
  richLinkProperties: fc.subarray(['link', 'price', 'revenue', 'a.b']),
  maxEventMetadataKeys: fc.integer({ min: 0, max: 15 }),
  createMissingAttributes: fc.boolean(),
});

/** The HTTP requests the executor sends for one operation (contact/company ids stand in for resolved ones). */
function requestsFor(op: Operation): RequestToValidate[] {
  switch (op.kind) {
    case 'upsert_contact':
      return [
        { method: 'POST', path: '/contacts', headers: HEADERS, body: { ...op.fields, role: 'user' } },
        { method: 'PUT', path: '/contacts/6762f0d51bb69f9f2193bb7f', headers: HEADERS, body: op.fields },
      ];
    case 'upsert_company':
      return [{ method: 'POST', path: '/companies', headers: HEADERS, body: op.company }];
    case 'attach_company':
      return [
        {
          method: 'POST',
          path: '/contacts/6762f0d51bb69f9f2193bb7f/companies',
          headers: HEADERS,
          body: { id: '6762f09a1bb69f9f2193bb34' },
        },
      ];
    case 'detach_company':
      return [
        {
          method: 'DELETE',
          path: '/contacts/6762f0d51bb69f9f2193bb7f/companies/6762f09a1bb69f9f2193bb34',
          headers: HEADERS,
        },
      ];
    case 'submit_event':
      return [{ method: 'POST', path: '/events', headers: HEADERS, body: op.event }];
  }
}

function operations(plan: Plan): readonly Operation[] {
  return plan.kind === 'deliver' ? plan.operations : [];
}

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

/** Every fixture's event and settings (see fixtures.test.ts for the format). */
function fixtureInputs(): { name: string; event: SegmentEvent; settings: MappingSettings }[] {
  const dir = fileURLToPath(new URL('./fixtures/', import.meta.url));
  return readdirSync(dir).flatMap((folder) =>
    readdirSync(join(dir, folder)).map((file) => {
      const data = JSON.parse(readFileSync(join(dir, folder, file), 'utf8')) as {
        event: SegmentEvent;
        settings?: Partial<MappingSettings>;
      };
      return {
        name: `${folder}/${file}`,
        event: data.event,
        settings: { ...DEFAULT_MAPPING_SETTINGS, ...data.settings },
      };
    }),
  );
}

let validator: RequestValidator;
beforeAll(async () => {
  validator = await createRequestValidator();
});

describe('mapEvent properties', () => {
  it('generates events that exercise every operation kind (the properties below are not vacuous)', () => {
    const kinds = new Set(
      fc
        .sample(fc.tuple(event, settings), 600)
        .flatMap(([e, s]) => operations(mapEvent(e, s)).map((op) => op.kind)),
    );
    expect([...kinds].sort()).toEqual([
      'attach_company',
      'detach_company',
      'submit_event',
      'upsert_company',
      'upsert_contact',
    ]);
  });

  it('uses a validator that rejects what Intercom rejects (fractional dates, nested company attributes)', () => {
    const event = { event_name: 'x', created_at: 1.5, user_id: 'u' };
    expect(
      validator.validate({ method: 'POST', path: '/events', headers: HEADERS, body: event }),
    ).not.toEqual([]);
    const company = { company_id: 'c', custom_attributes: { tags: ['a'] } };
    expect(
      validator.validate({ method: 'POST', path: '/companies', headers: HEADERS, body: company }),
    ).not.toEqual([]);
  });

  it('every fixture plan validates against the OpenAPI 2.16 description', () => {
    const inputs = fixtureInputs();
    expect(inputs.length).toBeGreaterThan(50);
    for (const { name, event: e, settings: s } of inputs) {
      for (const request of operations(mapEvent(e, s)).flatMap(requestsFor)) {
        expect(validator.validate(request), `${name}: ${request.method} ${request.path}`).toEqual([]);
      }
    }
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

  it('produces only requests that validate against the OpenAPI 2.16 description', () => {
    fc.assert(
      fc.property(event, settings, (e, s) => {
        for (const request of operations(mapEvent(e, s)).flatMap(requestsFor)) {
          expect(
            validator.validate(request),
            `${request.method} ${request.path} ${JSON.stringify(request.body)?.slice(0, 500)}`,
          ).toEqual([]);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('C-ID-4 C-TR-2 sends no object or array as a custom attribute or metadata value (except price and rich links)', () => {
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
            if (key === 'price') expect(Object.keys(value).sort()).toEqual(['amount', 'currency']);
            else {
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
