import { ApiErrorDetail, detail } from '../errors';
import { normalizeId } from '../ids/salesforce-id';
import { FieldDefinition, FieldValue } from '../schema/field-definition';
import { SchemaRegistry, SObjectSchema } from '../schema/schema-registry';
import { coerceFieldValue } from './field-values';
import { RecordStore } from './record-store';

export type InputResult =
  | { ok: true; values: Map<string, FieldValue> }
  | { ok: false; errors: ApiErrorDetail[] };

const IGNORED_KEYS = new Set(['attributes']);

/**
 * Validates a JSON body of a create or update and converts it to stored values, with the error
 * Salesforce reports first for each class of problem (reference 2.5): unknown field, read-only
 * field, bad value; relationship-by-external-id (`"Account": {"Legacy_Id__c": "A-1"}`) is resolved.
 */
export function applyInput(
  schema: SObjectSchema,
  input: Record<string, unknown>,
  mode: 'create' | 'update' | 'seed',
  store: RecordStore,
  registry: SchemaRegistry,
): InputResult {
  const values = new Map<string, FieldValue>();
  const readOnly: string[] = [];
  for (const [key, raw] of Object.entries(input)) {
    if (IGNORED_KEYS.has(key)) continue;
    const f = schema.field(key);
    if (!f) {
      const rel = schema.relationship(key);
      if (rel && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
        const resolved = resolveByExternalId(rel, raw as Record<string, unknown>, store, registry);
        if ('error' in resolved) return { ok: false, errors: [resolved.error] };
        values.set(rel.name, resolved.id);
        continue;
      }
      return {
        ok: false,
        errors: [detail('INVALID_FIELD', `No such column '${key}' on sobject of type ${schema.name}`)],
      };
    }
    if (f.type === 'id') continue; // Id in a body is the record being written, not a change
    if (mode === 'create' ? !f.createable : mode === 'update' ? !f.updateable : false) {
      readOnly.push(f.name);
      continue;
    }
    const coerced = coerceFieldValue(f, raw);
    if ('error' in coerced) return { ok: false, errors: [coerced.error] };
    values.set(f.name, coerced.value);
  }
  if (readOnly.length > 0) {
    return {
      ok: false,
      errors: [
        detail(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          readOnly,
        ),
      ],
    };
  }
  return { ok: true, values };
}

function resolveByExternalId(
  rel: FieldDefinition,
  raw: Record<string, unknown>,
  store: RecordStore,
  registry: SchemaRegistry,
): { id: string } | { error: ApiErrorDetail } {
  const target = registry.get(rel.referenceTo[0] ?? '');
  const entries = Object.entries(raw).filter(([k]) => k !== 'attributes');
  if (!target || entries.length !== 1) {
    return { error: detail('INVALID_FIELD', `Invalid foreign key relationship name ${rel.relationshipName}`) };
  }
  const [fieldName, value] = entries[0] as [string, unknown];
  const extField = target.field(fieldName);
  if (!extField || (!extField.externalId && extField.type !== 'id')) {
    return { error: detail('INVALID_FIELD', `Field ${fieldName} is not an external id field on ${target.name}`) };
  }
  const id =
    extField.type === 'id'
      ? normalizeId(String(value)) ?? undefined
      : store.findByUnique(target, extField.name, String(value));
  if (!id || !store.get(id)) {
    return {
      error: detail(
        'INVALID_FIELD',
        `Foreign key external ID: ${String(value)} not found for field ${extField.name} in entity ${target.name}`,
      ),
    };
  }
  return { id };
}
