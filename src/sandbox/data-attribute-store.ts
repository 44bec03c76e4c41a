import type { AttributeModel, AttributeValue } from '../intercom/operations.js';
import { type BodyObject, isBodyObject, stringField, booleanField } from './body-fields.js';
import { type Result, ok, fail } from './api-result.js';
import { type SandboxDataAttribute, type Store, nowSeconds } from './store.js';

/** Standard attributes per model, as `[name, data_type]` (a subset of Intercom's, enough for listing). */
const STANDARD_ATTRIBUTES: Readonly<Record<AttributeModel, readonly (readonly [string, string])[]>> = {
  contact: [
    ['external_id', 'string'],
    ['email', 'string'],
    ['name', 'string'],
    ['phone', 'string'],
    ['role', 'string'],
    ['signed_up_at', 'date'],
    ['last_seen_at', 'date'],
    ['created_at', 'date'],
    ['updated_at', 'date'],
    ['owner_id', 'string'],
    ['unsubscribed_from_emails', 'boolean'],
  ],
  company: [
    ['company_id', 'string'],
    ['name', 'string'],
    ['plan', 'string'],
    ['monthly_spend', 'float'],
    ['size', 'integer'],
    ['website', 'string'],
    ['industry', 'string'],
    ['remote_created_at', 'date'],
    ['created_at', 'date'],
    ['last_request_at', 'date'],
  ],
};

const DATA_TYPES: readonly string[] = [
  'string',
  'integer',
  'float',
  'boolean',
  'date',
  'datetime',
  'options',
];

function isModel(value: unknown): value is AttributeModel {
  return value === 'contact' || value === 'company';
}

function standardAttribute(model: AttributeModel, name: string, dataType: string): SandboxDataAttribute {
  return {
    id: null,
    model,
    name,
    full_name: name,
    label: name.replaceAll('_', ' '),
    description: '',
    data_type: dataType,
    options: [],
    custom: false,
    archived: false,
    api_writable: name !== 'created_at' && name !== 'updated_at' && name !== 'last_request_at',
    messenger_writable: false,
    created_at: null,
    updated_at: null,
  };
}

/** The attributes of one model, standard first (`GET /data_attributes?model=`); both models when none is given. */
export function listDataAttributes(store: Store, model: string | undefined): Result<SandboxDataAttribute[]> {
  if (model !== undefined && !isModel(model)) {
    return fail(422, 'parameter_invalid', `model must be one of contact, company (got '${model}')`);
  }
  const models: readonly AttributeModel[] = model === undefined ? ['contact', 'company'] : [model];
  const list: SandboxDataAttribute[] = [];
  for (const m of models) {
    for (const [name, type] of STANDARD_ATTRIBUTES[m]) list.push(standardAttribute(m, name, type));
    for (const attribute of store.dataAttributes.values())
      if (attribute.model === m) list.push(structuredClone(attribute));
  }
  return ok(list);
}

/** Creates a custom data attribute (`POST /data_attributes`). */
export function createDataAttribute(store: Store, body: BodyObject): Result<SandboxDataAttribute> {
  const name = stringField(body, 'name');
  const model = body['model'];
  const dataType = stringField(body, 'data_type');
  if (name === undefined || name.trim() === '') return fail(400, 'parameter_invalid', 'Name is required');
  if (!isModel(model)) return fail(400, 'parameter_invalid', 'Model must be one of contact, company');
  if (dataType === undefined || !DATA_TYPES.includes(dataType)) {
    return fail(400, 'parameter_invalid', `Data Type isn't an option: use one of ${DATA_TYPES.join(', ')}`);
  }
  if (/[.$]/.test(name))
    return fail(400, 'parameter_invalid', "Your name for this attribute must not contain '.' or '$'");
  const options = Array.isArray(body['options'])
    ? body['options'].filter(isBodyObject).map((o) => stringField(o, 'value'))
    : [];
  if (dataType === 'options' && options.filter((o) => o !== undefined).length < 2) {
    return fail(400, 'parameter_invalid', 'The Data Attribute model field must contain at least two options');
  }
  const taken = STANDARD_ATTRIBUTES[model].some(([n]) => n === name);
  // Intercom refuses a custom name already used by the other model (intercom-api.md §3.11).
  const other: AttributeModel = model === 'contact' ? 'company' : 'contact';
  if (taken || store.dataAttributes.has(`${model}:${name}`) || store.dataAttributes.has(`${other}:${name}`)) {
    return fail(
      400,
      'parameter_invalid',
      `You already have '${name}' in your workspace. Please choose another name.`,
    );
  }
  store.counters.attribute += 1;
  const now = nowSeconds(store);
  const attribute: SandboxDataAttribute = {
    id: store.counters.attribute,
    model,
    name,
    full_name: `custom_attributes.${name}`,
    label: name,
    description: stringField(body, 'description') ?? '',
    data_type: dataType,
    options: options.filter((o) => o !== undefined),
    custom: true,
    archived: false,
    api_writable: true,
    messenger_writable: booleanField(body, 'messenger_writable') ?? false,
    created_at: now,
    updated_at: now,
  };
  store.dataAttributes.set(`${model}:${name}`, attribute);
  return ok(structuredClone(attribute));
}

/**
 * Checks `custom_attributes` of a contact or company body: Intercom 2.x rejects attributes that do not
 * exist yet and values that are objects or arrays (intercom-api.md §4.4). Returns the map to store.
 */
export function checkCustomAttributes(
  store: Store,
  model: AttributeModel,
  value: unknown,
): Result<Record<string, AttributeValue>> {
  if (value === undefined || value === null) return ok({});
  if (!isBodyObject(value)) return fail(400, 'parameter_invalid', 'custom_attributes must be an object');
  const checked: Record<string, AttributeValue> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'object' && v !== null) {
      return fail(
        400,
        'parameter_invalid',
        `Custom attribute '${name}' must be a string, number, boolean or null: objects and arrays are not supported`,
      );
    }
    const attribute = store.dataAttributes.get(`${model}:${name}`);
    if (attribute === undefined || attribute.archived)
      return fail(400, 'parameter_invalid', `Custom attribute '${name}' does not exist`);
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null)
      checked[name] = v;
  }
  return ok(checked);
}
