import { describe, expect, it } from 'vitest';
import {
  parseErrorBody,
  isArchivedConflict,
  parseExistingContactId,
  parseLinkHeader,
  parseMissingAttribute,
} from './error-body.js';

describe('parseErrorBody', () => {
  it('reads an error.list with request_id', () => {
    const text = JSON.stringify({
      type: 'error.list',
      request_id: 'req-1',
      errors: [{ code: 'unauthorized', message: 'Access Token Invalid', field: null }],
    });
    expect(parseErrorBody(text)).toEqual({
      requestId: 'req-1',
      errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }],
    });
  });

  it('skips malformed items and keeps the rest', () => {
    const text = JSON.stringify({ errors: [{ message: 'no code' }, 7, { code: 'not_found', field: 'id' }] });
    expect(parseErrorBody(text)).toEqual({ errors: [{ code: 'not_found', field: 'id' }] });
  });

  it('keeps a short excerpt of a non-JSON body under code unknown', () => {
    const body = parseErrorBody(`<html>${'x'.repeat(500)}</html>`);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]?.code).toBe('unknown');
    expect(body.errors[0]?.message?.length).toBe(200);
  });

  it('has no items for an empty body', () => {
    expect(parseErrorBody('')).toEqual({ errors: [] });
  });
});

describe('parseExistingContactId (C-IDN-2: 409 carries the id)', () => {
  it.each([
    [
      'A contact matching those details already exists with id=5f1e2d3c4b5a69788796a5b4',
      '5f1e2d3c4b5a69788796a5b4',
    ],
    ['An archived contact matching those details already exists with id=abc123', 'abc123'],
    ['A contact matching those details already exists', undefined],
    [undefined, undefined],
  ])('%j → %j', (message, expected) => {
    expect(parseExistingContactId(message)).toBe(expected);
  });
});

describe('parseMissingAttribute (createMissingAttributes setting)', () => {
  it.each([
    [{ code: 'parameter_invalid', message: "Custom attribute 'plan_tier' does not exist" }, 'plan_tier'],
    [{ code: 'parameter_invalid', message: "Custom attribute 'with space' does not exist" }, 'with space'],
    [{ code: 'parameter_invalid', message: 'Name is too long' }, undefined],
    [{ code: 'bad_request', message: "Custom attribute 'x' does not exist" }, undefined],
    [{ code: 'parameter_invalid' }, undefined],
  ])('%j → %j', (item, expected) => {
    expect(parseMissingAttribute(item)).toBe(expected);
  });
});

describe('parseLinkHeader (C-IDN-2: 410 contact_merged → Link)', () => {
  it.each([
    ['</contacts/abc123>; rel="canonical"', { path: '/contacts/abc123', id: 'abc123' }],
    ['<https://api.intercom.io/contacts/abc123>; rel=canonical', { path: '/contacts/abc123', id: 'abc123' }],
    ['</other/1>; rel="alternate", </contacts/xyz>; rel="canonical"', { path: '/contacts/xyz', id: 'xyz' }],
    ['</contacts/a%20b>', { path: '/contacts/a%20b', id: 'a b' }],
    ['</contacts/%E0%A4%A>; rel="canonical"', undefined],
    ['no link here', undefined],
    ['<>; rel="canonical"', undefined],
    [null, undefined],
  ])('%j → %j', (header, expected) => {
    expect(parseLinkHeader(header)).toEqual(expected);
  });
});

describe('isArchivedConflict (C-IDN-4: the archived 409 has its own message)', () => {
  it.each([
    ['An archived contact matching those details already exists with id=abc123', true],
    ['A contact matching those details already exists with id=abc123', false],
    [undefined, false],
  ])('%j → %j', (message, expected) => {
    expect(isArchivedConflict(message)).toBe(expected);
  });
});
