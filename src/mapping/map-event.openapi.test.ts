/**
 * Every request the executor would build from `mapEvent`'s plans validates against Intercom's OpenAPI
 * 2.16 description: the plans of every fixture, and of random and hostile Segment events.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SegmentEvent } from '../segment/event.js';
import type { Operation } from '../intercom/operations.js';
import {
  createRequestValidator,
  type RequestToValidate,
  type RequestValidator,
} from '../sandbox/openapi-validator.js';
import { mapEvent } from './map-event.js';
import { RUNS, event, operations, settings } from './random-events-fixture.js';
import { DEFAULT_MAPPING_SETTINGS, type MappingSettings } from './settings.js';

const HEADERS = { authorization: 'Bearer t', 'intercom-version': '2.16' } as const;

/** The HTTP requests the executor sends for one operation (contact/company ids stand in for resolved ones). */
function requestsFor(op: Operation): RequestToValidate[] {
  switch (op.kind) {
    case 'upsert_contact':
      return [
        {
          method: 'POST',
          path: '/contacts',
          headers: HEADERS,
          body: { ...op.fields, role: op.identity.lead === true ? 'lead' : 'user' },
        },
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
      return [{ method: 'POST', path: '/events', headers: HEADERS, body: eventBody(op) }];
    case 'merge_lead':
      return [
        {
          method: 'POST',
          path: '/contacts/search',
          headers: HEADERS,
          body: {
            query: { field: 'email', operator: '=', value: op.identity.email },
            pagination: { per_page: 50 },
          },
        },
        {
          method: 'POST',
          path: '/contacts/merge',
          headers: HEADERS,
          body: { from: '6762f0d51bb69f9f2193bb80', into: '6762f0d51bb69f9f2193bb7f' },
        },
      ];
  }
}

/** C-IDN-5: a lead's event goes by its Intercom id instead of its email. */
function eventBody(op: Extract<Operation, { kind: 'submit_event' }>): object {
  if (op.identity.lead !== true) return op.event;
  const { email: _email, ...rest } = op.event;
  return { ...rest, id: '6762f0d51bb69f9f2193bb80' };
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
});
