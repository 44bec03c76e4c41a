import type { IntercomApi } from './api-calls.js';
import type { CallTally } from './call-tally.js';
import { IntercomHttpError } from './errors.js';
import type { AttributeModel, AttributeTypes, AttributeValue } from './operations.js';

/** Fields that may carry custom attributes (contact and company bodies). */
interface WithCustomAttributes {
  readonly custom_attributes?: Readonly<Record<string, AttributeValue>>;
}

/** What the repair needs besides the call itself. */
export interface AttributeRepairContext {
  readonly client: IntercomApi;
  readonly tally: CallTally;
  /** The `createMissingAttributes` setting. */
  readonly createMissing: boolean;
  readonly model: AttributeModel;
  readonly attributeTypes: AttributeTypes;
}

/** `fields` without one custom attribute. */
function withoutAttribute<F extends WithCustomAttributes>(fields: F, name: string): F {
  const rest = Object.fromEntries(
    Object.entries(fields.custom_attributes ?? {}).filter(([key]) => key !== name),
  );
  return { ...fields, custom_attributes: rest };
}

/**
 * Sends `fields` with `send`; when Intercom answers 400 "Custom attribute 'x' does not exist" (API 2.x does
 * not auto-create attributes, intercom-api.md §4.4) it creates the attribute with the plan's type (default
 * `string`) and resends at once, or, with `createMissing` off or when creating did not help, drops that
 * attribute and resends. Each attribute is created at most once and then dropped, so this always ends.
 */
export async function sendWithAttributeRepair<F extends WithCustomAttributes, R>(
  context: AttributeRepairContext,
  fields: F,
  send: (fields: F) => Promise<R>,
): Promise<R> {
  const { client, tally, model } = context;
  const tried = new Set<string>();
  let current = fields;
  for (;;) {
    try {
      return await send(current);
    } catch (error: unknown) {
      const name = error instanceof IntercomHttpError ? error.missingAttribute : undefined;
      if (name === undefined || !Object.hasOwn(current.custom_attributes ?? {}, name)) throw error;
      if (context.createMissing && !tried.has(name)) {
        tried.add(name);
        const dataType = context.attributeTypes[name] ?? 'string';
        try {
          await tally.call(() => client.createDataAttribute({ name, model, data_type: dataType }));
          tally.note(`created data attribute ${model}.${name} (${dataType})`);
        } catch (createError: unknown) {
          // A 400 here is usually a concurrent worker having created it, or a name Intercom refuses:
          // resending tells which; anything else (401, 429, 5xx) is the outcome of this operation.
          if (!(createError instanceof IntercomHttpError) || createError.status !== 400) throw createError;
          tally.note(
            `could not create data attribute ${model}.${name}: ${createError.code ?? createError.status}`,
          );
        }
        continue;
      }
      current = withoutAttribute(current, name);
      tally.note(`dropped missing attribute ${model}.${name}`);
    }
  }
}
