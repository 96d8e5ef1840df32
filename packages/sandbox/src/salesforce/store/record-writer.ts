import { Clock } from '../../clock';
import { DuplicateRules } from '../duplicates/duplicate-rules';
import { ApiErrorDetail, detail, entityIsDeleted, invalidType, notFound } from '../errors';
import { IdGenerator, normalizeId } from '../ids/salesforce-id';
import { SchemaRegistry, SObjectSchema } from '../schema/schema-registry';
import { applyInput } from './apply-input';
import { deriveFields } from './derived-fields';
import { formatDateTime } from './field-values';
import { blankRecord, RecordStore, SObjectRecord } from './record-store';
import { Transaction } from './transaction';

export type SaveOutcome =
  | { ok: true; id: string; created: boolean }
  | { ok: false; errors: ApiErrorDetail[]; id?: string };

const fail = (errors: ApiErrorDetail[], id?: string): SaveOutcome => ({ ok: false, errors, id });

/**
 * DML with Salesforce's validation (reference 2.5, 7): every write goes through here inside a
 * Transaction, which remembers the change for change events and how to undo it.
 */
export class RecordWriter {
  constructor(
    private readonly store: RecordStore,
    private readonly registry: SchemaRegistry,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly duplicates: DuplicateRules = new DuplicateRules([]),
  ) {}

  /** `seed`: data loaded as if it had always been there (read-only fields such as CreatedDate allowed). */
  create(tx: Transaction, typeName: string, input: Record<string, unknown>, mode: 'create' | 'seed' = 'create'): SaveOutcome {
    const schema = this.registry.get(typeName);
    if (!schema) return fail([invalidType(typeName)]);
    if (!schema.definition.createable && mode === 'create') {
      return fail([detail('INVALID_TYPE_FOR_OPERATION', `entity type ${schema.name} does not support insert`)]);
    }
    const applied = applyInput(schema, input, mode, this.store, this.registry);
    if (!applied.ok) return fail(applied.errors);
    const record = blankRecord(schema);
    for (const f of schema.fields) {
      const def = f.picklistValues.find((p) => p.defaultValue);
      if (def && f.defaultedOnCreate) record[f.name] = def.value;
      if (f.defaultValue !== undefined) record[f.name] = f.defaultValue;
    }
    for (const [k, v] of applied.values) record[k] = v;
    const now = formatDateTime(this.clock.now());
    const id = this.ids.next(schema.keyPrefix);
    const audit = { CreatedDate: now, LastModifiedDate: now, SystemModstamp: now };
    const users = { CreatedById: tx.context.userId, LastModifiedById: tx.context.userId };
    for (const [k, v] of Object.entries({ ...audit, ...users })) {
      if (mode === 'create' || record[k] === null) record[k] = v;
    }
    record.Id = id;
    if (mode === 'seed' && !applied.values.has('SystemModstamp')) record.SystemModstamp = record.LastModifiedDate;
    if ('OwnerId' in record && record.OwnerId === null) record.OwnerId = tx.context.userId;
    deriveFields(schema, record, new Set(applied.values.keys()), null);
    const missing = schema.requiredOnCreate.filter((f) => record[f.name] === null).map((f) => f.name);
    if (missing.length > 0) return fail([requiredMissing(missing)]);
    const integrity = this.checkIntegrity(schema, record, applied.values.keys());
    if (integrity) return fail([integrity]);
    const duplicate = this.checkDuplicates(tx, schema, record, applied.values.keys(), 'create');
    if (duplicate) return fail([duplicate]);
    this.store.put(schema, record);
    tx.recordChange(schema, id, 'CREATE', null);
    tx.onRollback(() => this.store.remove(schema, id));
    return { ok: true, id, created: true };
  }

  update(tx: Transaction, typeName: string | null, rawId: string, input: Record<string, unknown>): SaveOutcome {
    const found = this.findLive(typeName, rawId);
    if ('errors' in found) return fail(found.errors, found.id);
    const { schema, record: before } = found;
    if (!schema.definition.updateable) {
      return fail([detail('INVALID_TYPE_FOR_OPERATION', `entity type ${schema.name} does not support update`)]);
    }
    if (schema.name === 'Lead' && before.IsConverted === true) {
      return fail([detail('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead')], before.Id as string);
    }
    const applied = applyInput(schema, input, 'update', this.store, this.registry);
    if (!applied.ok) return fail(applied.errors, before.Id as string);
    return this.writeUpdate(tx, schema, before, applied.values);
  }

  /** Applies already-validated values (used by update, upsert and lead conversion). */
  writeUpdate(
    tx: Transaction,
    schema: SObjectSchema,
    before: SObjectRecord,
    values: Map<string, unknown>,
  ): SaveOutcome {
    const id = before.Id as string;
    const after: SObjectRecord = { ...before };
    for (const [k, v] of values) after[k] = v as SObjectRecord[string];
    deriveFields(schema, after, new Set(values.keys()), before);
    const missing = schema.fields.filter((f) => !f.nillable && f.updateable && after[f.name] === null);
    if (missing.length > 0) return fail([requiredMissing(missing.map((f) => f.name))], id);
    const integrity = this.checkIntegrity(schema, after, values.keys());
    if (integrity) return fail([integrity], id);
    const duplicate = this.checkDuplicates(tx, schema, after, values.keys(), 'update');
    if (duplicate) return fail([duplicate], id);
    const now = formatDateTime(this.clock.now());
    after.LastModifiedDate = now;
    after.SystemModstamp = now;
    after.LastModifiedById = tx.context.userId;
    this.store.put(schema, after, before);
    tx.recordChange(schema, id, 'UPDATE', before);
    tx.onRollback(() => this.store.put(schema, before, after));
    return { ok: true, id, created: false };
  }

  upsert(
    tx: Transaction,
    typeName: string,
    extFieldName: string,
    extValue: string,
    input: Record<string, unknown>,
  ): SaveOutcome {
    const schema = this.registry.get(typeName);
    if (!schema) return fail([invalidType(typeName)]);
    const extField = schema.field(extFieldName);
    if (!extField || (!extField.externalId && extField.type !== 'id')) {
      return fail([
        detail('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${extFieldName}`),
      ]);
    }
    const bodyExt = Object.entries(input).find(([k]) => k.toLowerCase() === extField.name.toLowerCase());
    if (bodyExt && bodyExt[1] !== extValue && extField.type !== 'id') {
      return fail([detail('INVALID_FIELD', `The value of the external ID field in the body doesn't match the URL`)]);
    }
    const matches = extField.type === 'id' ? [] : this.store.findAllByUnique(schema, extField.name, extValue);
    if (matches.length > 1) return fail([duplicateExternalId(extField.label, matches)]);
    const existingId = extField.type === 'id' ? normalizeId(extValue) ?? undefined : matches[0];
    const { [extField.name]: _omit, ...rest } = input;
    if (existingId && this.store.get(existingId)?.record.IsDeleted !== true) {
      return this.update(tx, schema.name, existingId, rest);
    }
    if (extField.type === 'id') return this.create(tx, schema.name, rest);
    return this.create(tx, schema.name, { ...rest, [extField.name]: extValue });
  }

  delete(tx: Transaction, typeName: string | null, rawId: string): SaveOutcome {
    const found = this.findLive(typeName, rawId);
    if ('errors' in found) return fail(found.errors, found.id);
    const { schema, record: before } = found;
    if (!schema.definition.deletable) {
      return fail([detail('INVALID_TYPE_FOR_OPERATION', `entity type ${schema.name} does not support delete`)]);
    }
    const now = formatDateTime(this.clock.now());
    const after: SObjectRecord = { ...before, IsDeleted: true, LastModifiedDate: now, SystemModstamp: now };
    after.LastModifiedById = tx.context.userId;
    this.store.put(schema, after, before);
    tx.recordChange(schema, before.Id as string, 'DELETE', before);
    tx.onRollback(() => this.store.put(schema, before, after));
    return { ok: true, id: before.Id as string, created: false };
  }

  undelete(tx: Transaction, rawId: string): SaveOutcome {
    const id = normalizeId(rawId);
    const found = id ? this.store.get(id) : undefined;
    if (!id) return fail([detail('MALFORMED_ID', `malformed id ${rawId}`)]);
    if (!found) return fail([notFound()], id);
    const { schema, record: before } = found;
    if (before.IsDeleted !== true) {
      return fail([detail('UNDELETE_FAILED', 'Entity is not in the recycle bin')], id);
    }
    const now = formatDateTime(this.clock.now());
    const after: SObjectRecord = { ...before, IsDeleted: false, LastModifiedDate: now, SystemModstamp: now };
    after.LastModifiedById = tx.context.userId;
    const clash = this.uniqueClash(schema, after);
    if (clash) return fail([clash], id);
    this.store.put(schema, after, before);
    tx.recordChange(schema, id, 'UNDELETE', before);
    tx.onRollback(() => this.store.put(schema, before, after));
    return { ok: true, id, created: false };
  }

  /** Resolves an id from a URL or body to a live record of the expected type. */
  findLive(
    typeName: string | null,
    rawId: string,
  ): { schema: SObjectSchema; record: SObjectRecord } | { errors: ApiErrorDetail[]; id?: string } {
    const expected = typeName === null ? null : this.registry.get(typeName);
    if (typeName !== null && !expected) return { errors: [invalidType(typeName)] };
    const id = normalizeId(rawId);
    const label = expected ? `${expected.definition.label} ID` : 'Record ID';
    if (!id || (expected && !id.startsWith(expected.keyPrefix))) {
      return { errors: [detail('MALFORMED_ID', `${label}: id value of incorrect type: ${rawId}`, ['Id'])] };
    }
    const found = this.store.get(id);
    if (!found) return { errors: [notFound()], id };
    if (found.record.IsDeleted === true) return { errors: [entityIsDeleted()], id };
    return found;
  }

  /** Active duplicate rules, for API saves only (humans in the UI acknowledge the alert themselves). */
  private checkDuplicates(
    tx: Transaction,
    schema: SObjectSchema,
    record: SObjectRecord,
    written: Iterable<string>,
    operation: 'create' | 'update',
  ): ApiErrorDetail | null {
    const header = tx.context.duplicateRules;
    if (!header) return null;
    return this.duplicates.check(schema, this.store, {
      record,
      written: new Set(written),
      operation,
      allowSave: header.allowSave,
      sameCall: new Set(tx.changes.keys()),
      apiVersion: header.apiVersion,
    });
  }

  private checkIntegrity(
    schema: SObjectSchema,
    record: SObjectRecord,
    written: Iterable<string>,
  ): ApiErrorDetail | null {
    for (const name of written) {
      const f = schema.field(name);
      const value = record[name];
      if (!f || f.type !== 'reference' || typeof value !== 'string') continue;
      const target = this.store.get(value);
      if (!target) {
        const prefixTarget = this.registry.byKeyPrefix(value);
        if (prefixTarget && !f.referenceTo.includes(prefixTarget.name)) {
          return detail('FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${value}`, [f.name]);
        }
        return detail('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [f.name]);
      }
      if (!f.referenceTo.includes(target.schema.name)) {
        return detail('FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${value}`, [f.name]);
      }
      if (target.record.IsDeleted === true) return detail('ENTITY_IS_DELETED', 'entity is deleted', [f.name]);
      if (f.name === 'OwnerId' && target.record.IsActive === false) {
        return detail(
          'INACTIVE_OWNER_OR_USER',
          `operation performed with inactive user [${value}] as owner of ${schema.name.toLowerCase()}`,
          [],
        );
      }
    }
    return this.uniqueClash(schema, record);
  }

  private uniqueClash(schema: SObjectSchema, record: SObjectRecord): ApiErrorDetail | null {
    for (const f of schema.fields) {
      if (!f.unique) continue;
      const value = record[f.name];
      if (value === null || value === '') continue;
      const holder = this.store.findByUnique(schema, f.name, String(value));
      if (holder && holder !== record.Id) {
        return detail(
          'DUPLICATE_VALUE',
          `duplicate value found: ${f.name} duplicates value on record with id: ${holder}`,
          [],
        );
      }
    }
    return null;
  }
}

/** Several records share the external id (a field without the unique attribute): REST answers 300 instead. */
export function duplicateExternalId(label: string, ids: string[]): ApiErrorDetail {
  return detail('DUPLICATE_EXTERNAL_ID', `${label}: more than one record found for external id field: [${ids.join(', ')}]`);
}

function requiredMissing(fields: string[]): ApiErrorDetail {
  return detail('REQUIRED_FIELD_MISSING', `Required fields are missing: [${fields.join(', ')}]`, fields);
}
