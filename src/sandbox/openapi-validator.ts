import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { OpenAPIBackend } from 'openapi-backend';
import type { Document } from 'openapi-backend';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { OpenApiDocumentError } from './sandbox-error.js';

/** Where Intercom's OpenAPI 2.16 description lives inside the repository (MIT, © Intercom). */
export const OPENAPI_PATH = fileURLToPath(new URL('./openapi/intercom-openapi-2.16.yaml', import.meta.url));

/** One way a request breaks Intercom's contract. */
export interface Violation {
  /** `openapi`: the published schema; `semantic`: a rule Intercom enforces that the schema cannot express. */
  readonly source: 'openapi' | 'semantic';
  /** JSON pointer into the request (`/requestBody/custom_attributes/plan`) or `route`. */
  readonly path: string;
  readonly message: string;
}

/** A request as the validator sees it. */
export interface RequestToValidate {
  readonly method: string;
  /** Path without query string, e.g. `/contacts/abc`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | readonly string[]>>;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body?: unknown;
}

/** Validates requests against the OpenAPI description plus the override list below. */
export interface RequestValidator {
  validate(request: RequestToValidate): readonly Violation[];
}

/**
 * Places where the 2.16 description is narrower than what Intercom accepts and documents elsewhere.
 * Each entry replaces one schema fragment before validation. Keep this list short and explained.
 */
const SPEC_OVERRIDES: readonly {
  readonly schema: string;
  readonly property: string;
  readonly why: string;
  readonly replacement: object;
}[] = [
  {
    schema: 'create_data_event_request',
    property: 'metadata',
    why: 'The 2.16 schema types metadata values as strings, but the same endpoint documents numbers, rich links {url, value} and monetary amounts {amount, currency}; the Preview spec corrected it to `additionalProperties: true`.',
    replacement: {
      type: 'object',
      additionalProperties: {
        oneOf: [
          { type: 'string' },
          { type: 'number' },
          {
            type: 'object',
            required: ['amount', 'currency'],
            additionalProperties: false,
            properties: { amount: { type: 'integer', minimum: 0 }, currency: { type: 'string' } },
          },
          {
            type: 'object',
            required: ['url', 'value'],
            additionalProperties: false,
            properties: { url: { type: 'string' }, value: { type: 'string' } },
          },
        ],
      },
    },
  },
  {
    schema: 'create_or_update_company_request',
    property: 'custom_attributes',
    why: 'The 2.16 schema types company custom attribute values as strings, but its own example sends booleans and numbers, and integer/float/boolean company attributes exist; null clears a value as for contacts.',
    replacement: {
      type: 'object',
      additionalProperties: {
        oneOf: [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }],
      },
    },
  },
];

/** The override list, for documentation (`/sandbox/openapi-overrides`) and tests. */
export function listSpecOverrides(): readonly {
  readonly schema: string;
  readonly property: string;
  readonly why: string;
}[] {
  return SPEC_OVERRIDES.map(({ schema, property, why }) => ({ schema, property, why }));
}

type SchemaMap = Record<string, Record<string, unknown>>;

/** Reads and prepares the OpenAPI document (about a second: share one validator between sandboxes). */
export async function loadOpenApiDocument(path: string = OPENAPI_PATH): Promise<Document> {
  const doc = parseYaml(await readFile(path, 'utf8')) as Document & { components: { schemas: SchemaMap } };
  const schemas = doc.components.schemas;
  // Ajv rejects `nullable` without a `type`; these five schemas (none used by this destination) have it.
  stripUntypedNullable(doc);
  for (const o of SPEC_OVERRIDES) {
    const schema = schemas[o.schema] as { properties?: Record<string, unknown> } | undefined;
    if (schema?.properties === undefined)
      throw new OpenApiDocumentError(`OpenAPI override target ${o.schema} not found`);
    schema.properties[o.property] = o.replacement;
  }
  return doc;
}

function stripUntypedNullable(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) stripUntypedNullable(item);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if (record['nullable'] === true && record['type'] === undefined && record['$ref'] === undefined) {
    delete record['nullable'];
  }
  for (const value of Object.values(record)) stripUntypedNullable(value);
}

/** Builds a validator from Intercom's OpenAPI description. */
export async function createRequestValidator(document?: Document): Promise<RequestValidator> {
  const definition = document ?? (await loadOpenApiDocument());
  const api = new OpenAPIBackend({
    definition,
    quick: true,
    strict: false,
    validate: true,
    ajvOpts: { strict: false },
    customizeAjv: (ajv) => {
      addFormats.default(ajv);
      return ajv;
    },
  });
  await api.init();
  return {
    validate(request) {
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(request.headers)) {
        if (v !== undefined) headers[k.toLowerCase()] = typeof v === 'string' ? v : [...v];
      }
      const query: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(request.query ?? {})) query[k] = typeof v === 'string' ? v : [...v];
      const req = {
        method: request.method.toLowerCase(),
        path: request.path,
        headers,
        query,
        body: request.body,
      };
      const operation = api.router.matchOperation(req);
      if (operation === undefined) {
        return [
          {
            source: 'openapi',
            path: 'route',
            message: `${request.method} ${request.path} is not an Intercom 2.16 operation`,
          },
        ];
      }
      const result = api.validator.validateRequest(req, operation);
      return (result.errors ?? []).map((e) => ({
        source: 'openapi' as const,
        path: e.instancePath === '' ? '/' : e.instancePath,
        message: e.message ?? e.keyword,
      }));
    },
  };
}
