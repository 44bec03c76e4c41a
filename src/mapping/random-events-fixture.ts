import fc from 'fast-check';
import type { Operation, Plan } from '../intercom/operations.js';
import type { SegmentEvent } from '../segment/event.js';
import type { JsonObject, JsonValue } from '../segment/json.js';
import type { MappingSettings } from './settings.js';

/** Runs per property test. */
export const RUNS = 400;

/** Trait and property keys: the ones the mapping reads, the ones it must refuse, and odd ones. */
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
    // C-TR-7: money objects, and near misses (fractional amounts, odd currencies).
    fc.record({
      amount: fc.oneof(fc.nat(), fc.integer(), fc.double()),
      currency: fc.oneof(fc.constantFrom('usd', 'EUR'), scalar),
    }),
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

/**
 * Random and hostile Segment events of every type: deep nesting, huge strings, unicode, NaN-ish numbers,
 * dates far in the past and future, companies as scalars, objects and arrays.
 */
export const event: fc.Arbitrary<SegmentEvent> = fc
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

/** Random mapping settings. */
export const settings: fc.Arbitrary<MappingSettings> = fc.record({
  collectContext: fc.boolean(),
  richLinkProperties: fc.subarray(['link', 'price', 'revenue', 'a.b']),
  maxEventMetadataKeys: fc.integer({ min: 0, max: 15 }),
  createMissingAttributes: fc.boolean(),
  contactRoleWithoutUserId: fc.constantFrom('user', 'lead'),
});

/** The operations a plan delivers (none for a skip). */
export function operations(plan: Plan): readonly Operation[] {
  return plan.kind === 'deliver' ? plan.operations : [];
}
