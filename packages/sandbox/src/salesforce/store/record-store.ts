import { FieldValue } from '../schema/field-definition';
import { SchemaRegistry, SObjectSchema } from '../schema/schema-registry';

/** One record: every field of its object is present (null when empty); values in REST wire form. */
export type SObjectRecord = Record<string, FieldValue>;

export interface StoreSnapshot {
  records: Record<string, SObjectRecord[]>;
}

/**
 * In-memory tables keyed by 18-character id, with unique indexes on external-id/unique fields
 * (case-insensitive, like Salesforce's). Deleted records stay with IsDeleted = true (the recycle bin).
 */
export class RecordStore {
  private readonly tables = new Map<string, Map<string, SObjectRecord>>();
  /**
   * `${object}.${field}` -> lower-cased value -> live ids. Several ids share a value on an external id
   * without the unique attribute, or for a moment while a unique clash is being rejected.
   */
  private readonly uniqueIndexes = new Map<string, Map<string, Set<string>>>();

  constructor(readonly registry: SchemaRegistry) {
    for (const s of registry.all()) this.tables.set(s.name, new Map());
  }

  table(objectName: string): Map<string, SObjectRecord> {
    const t = this.tables.get(objectName);
    if (!t) throw new Error(`no table ${objectName}`);
    return t;
  }

  /** The record with this (normalized) id, including deleted ones. */
  get(id: string): { schema: SObjectSchema; record: SObjectRecord } | undefined {
    const schema = this.registry.byKeyPrefix(id);
    if (!schema) return undefined;
    const record = this.table(schema.name).get(id);
    return record ? { schema, record } : undefined;
  }

  put(schema: SObjectSchema, record: SObjectRecord, previous?: SObjectRecord): void {
    if (previous) this.unindex(schema, previous);
    this.table(schema.name).set(record.Id as string, record);
    this.index(schema, record);
  }

  remove(schema: SObjectSchema, id: string): void {
    const t = this.table(schema.name);
    const rec = t.get(id);
    if (rec) this.unindex(schema, rec);
    t.delete(id);
  }

  /** A live (not deleted) record id whose unique or external id field equals `value` (case-insensitive). */
  findByUnique(schema: SObjectSchema, fieldName: string, value: string): string | undefined {
    return this.findAllByUnique(schema, fieldName, value)[0];
  }

  /** Every live record id whose unique or external id field equals `value`, oldest first. */
  findAllByUnique(schema: SObjectSchema, fieldName: string, value: string): string[] {
    return [...(this.uniqueIndexes.get(`${schema.name}.${fieldName}`)?.get(value.toLowerCase()) ?? [])];
  }

  private index(schema: SObjectSchema, record: SObjectRecord): void {
    if (record.IsDeleted === true) return;
    for (const f of schema.fields) {
      if (!f.unique && !f.externalId) continue;
      const v = record[f.name];
      if (v === null || v === undefined || v === '') continue;
      const key = `${schema.name}.${f.name}`;
      let idx = this.uniqueIndexes.get(key);
      if (!idx) this.uniqueIndexes.set(key, (idx = new Map()));
      const lower = String(v).toLowerCase();
      let ids = idx.get(lower);
      if (!ids) idx.set(lower, (ids = new Set()));
      ids.add(record.Id as string);
    }
  }

  private unindex(schema: SObjectSchema, record: SObjectRecord): void {
    for (const f of schema.fields) {
      if (!f.unique && !f.externalId) continue;
      const v = record[f.name];
      if (v === null || v === undefined || v === '') continue;
      const idx = this.uniqueIndexes.get(`${schema.name}.${f.name}`);
      const lower = String(v).toLowerCase();
      const ids = idx?.get(lower);
      ids?.delete(record.Id as string);
      if (ids?.size === 0) idx?.delete(lower);
    }
  }

  snapshot(): StoreSnapshot {
    const records: Record<string, SObjectRecord[]> = {};
    for (const [name, t] of this.tables) records[name] = [...t.values()].map((r) => ({ ...r }));
    return { records };
  }

  restore(snapshot: StoreSnapshot): void {
    this.uniqueIndexes.clear();
    for (const [name, t] of this.tables) {
      t.clear();
      const schema = this.registry.get(name);
      if (!schema) continue;
      for (const r of snapshot.records[name] ?? []) this.put(schema, { ...blankRecord(schema), ...r });
    }
  }
}

export function blankRecord(schema: SObjectSchema): SObjectRecord {
  const r: SObjectRecord = {};
  for (const f of schema.fields) r[f.name] = f.type === 'boolean' ? false : null;
  return r;
}
