import { describe, expect, it } from 'vitest';
import { checkCustomAttributes, createDataAttribute, listDataAttributes } from './data-attribute-store.js';
import { createTestStore } from './store-fixture.js';

describe('createDataAttribute', () => {
  it('creates a custom attribute with its full name', () => {
    const { store } = createTestStore();
    const result = createDataAttribute(store, { name: 'plan', model: 'contact', data_type: 'string' });
    expect(result).toMatchObject({
      ok: true,
      value: {
        id: 1,
        model: 'contact',
        name: 'plan',
        full_name: 'custom_attributes.plan',
        custom: true,
        data_type: 'string',
      },
    });
  });

  it.each([
    { name: 'a missing name', body: { model: 'contact', data_type: 'string' } },
    { name: 'an unknown model', body: { name: 'x', model: 'conversation', data_type: 'string' } },
    { name: 'an unknown data type', body: { name: 'x', model: 'contact', data_type: 'list' } },
    { name: 'a name with a dot', body: { name: 'a.b', model: 'contact', data_type: 'string' } },
    {
      name: 'options with fewer than two values',
      body: { name: 'x', model: 'contact', data_type: 'options', options: [{ value: 'a' }] },
    },
    { name: 'a standard attribute name', body: { name: 'email', model: 'contact', data_type: 'string' } },
  ])('400 parameter_invalid for $name', ({ body }) => {
    const { store } = createTestStore();
    expect(createDataAttribute(store, body)).toMatchObject({
      ok: false,
      error: { status: 400, code: 'parameter_invalid' },
    });
  });

  it('refuses a name already used in the same or the other model', () => {
    const { store } = createTestStore({}, [['contact', 'tier', 'string']]);
    expect(createDataAttribute(store, { name: 'tier', model: 'contact', data_type: 'string' }).ok).toBe(
      false,
    );
    expect(createDataAttribute(store, { name: 'tier', model: 'company', data_type: 'string' }).ok).toBe(
      false,
    );
  });
});

describe('listDataAttributes', () => {
  it('lists standard then custom attributes of one model', () => {
    const { store } = createTestStore({}, [
      ['contact', 'tier', 'string'],
      ['company', 'seats', 'integer'],
    ]);
    const result = listDataAttributes(store, 'contact');
    const names = result.ok ? result.value.map((a) => a.name) : [];
    expect(names).toContain('email');
    expect(names.at(-1)).toBe('tier');
    expect(names).not.toContain('seats');
  });

  it('422 for another model', () => {
    const { store } = createTestStore();
    expect(listDataAttributes(store, 'conversation')).toMatchObject({ ok: false, error: { status: 422 } });
  });
});

describe('checkCustomAttributes (Intercom 2.x does not create attributes on the fly)', () => {
  it.each([
    { name: 'an existing attribute', value: { tier: 'gold' }, ok: true },
    { name: 'null clearing an existing attribute', value: { tier: null }, ok: true },
    { name: 'no custom attributes', value: undefined, ok: true },
    {
      name: 'an attribute that does not exist',
      value: { missing: 1 },
      message: "Custom attribute 'missing' does not exist",
    },
    {
      name: 'an object value',
      value: { tier: { a: 1 } },
      message:
        "Custom attribute 'tier' must be a string, number, boolean or null: objects and arrays are not supported",
    },
    { name: 'an array value', value: { tier: ['a'] }, message: expect.stringContaining('arrays') as unknown },
  ])('C-ID-4 $name', ({ value, ok, message }) => {
    const { store } = createTestStore({}, [['contact', 'tier', 'string']]);
    const result = checkCustomAttributes(store, 'contact', value);
    if (ok === true) expect(result.ok).toBe(true);
    else expect(result).toEqual({ ok: false, error: { status: 400, code: 'parameter_invalid', message } });
  });

  it('checks against the model: a contact attribute is unknown for companies', () => {
    const { store } = createTestStore({}, [['contact', 'tier', 'string']]);
    expect(checkCustomAttributes(store, 'company', { tier: 'gold' }).ok).toBe(false);
  });
});
