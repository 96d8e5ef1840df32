import { detail, invalidType, SalesforceApiError } from '../errors';
import { FieldDefinition, FieldValue } from '../schema/field-definition';
import { SchemaRegistry, SObjectSchema } from '../schema/schema-registry';
import { RecordStore, SObjectRecord } from '../store/record-store';
import { FieldPath } from './soql-ast';

/** A field path checked against the schema: the relationship hops and the final field. */
export interface ResolvedPath {
  /** Reference fields followed, in order (OwnerId for Owner.Email). */
  hops: FieldDefinition[];
  field: FieldDefinition;
  /** Name as written in the query, used for error messages. */
  text: string;
}

export function resolveObject(registry: SchemaRegistry, name: string): SObjectSchema {
  const schema = registry.get(name);
  if (!schema) {
    throw new SalesforceApiError(400, [
      detail(
        'INVALID_TYPE',
        `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      ),
    ]);
  }
  return schema;
}

export function resolvePath(registry: SchemaRegistry, root: SObjectSchema, path: FieldPath): ResolvedPath {
  const text = path.join('.');
  let steps = path;
  if (steps.length > 1 && steps[0]?.toLowerCase() === root.name.toLowerCase() && !root.relationship(steps[0])) {
    steps = steps.slice(1);
  }
  const hops: FieldDefinition[] = [];
  let schema = root;
  for (let i = 0; i < steps.length - 1; i++) {
    const rel = schema.relationship(steps[i] as string);
    const target = rel ? registry.get(rel.referenceTo[0] ?? '') : undefined;
    if (!rel || !target) {
      throw new SalesforceApiError(400, [
        detail(
          'INVALID_FIELD',
          `Didn't understand relationship '${steps[i]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        ),
      ]);
    }
    hops.push(rel);
    schema = target;
  }
  const last = steps[steps.length - 1] as string;
  const field = schema.field(last);
  if (!field) {
    throw new SalesforceApiError(400, [
      detail(
        'INVALID_FIELD',
        `No such column '${last}' on entity '${schema.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      ),
    ]);
  }
  return { hops, field, text };
}

/** The value at a path for one record (null when a lookup on the way is empty). */
export function valueAt(store: RecordStore, record: SObjectRecord, path: ResolvedPath): FieldValue {
  let current: SObjectRecord | undefined = record;
  for (const hop of path.hops) {
    const ref: FieldValue | undefined = current[hop.name];
    current = typeof ref === 'string' ? store.get(ref)?.record : undefined;
    if (!current) return null;
  }
  return current[path.field.name] ?? null;
}

export { invalidType };
