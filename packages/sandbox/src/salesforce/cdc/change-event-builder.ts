import { randomUUID } from 'node:crypto';
import { ChangeEventHeader, ChangeEventPayload } from '../cometd/change-event-log';
import { changeEventSchemaId } from '../cometd/gap-change-event';
import { FieldDefinition, FieldValue } from '../schema/field-definition';
import { SObjectSchema } from '../schema/schema-registry';
import { toIsoUtc } from '../store/field-values';
import { RecordStore, SObjectRecord } from '../store/record-store';
import { RecordChange, Transaction } from '../store/transaction';

export interface BuiltChangeEvent {
  schema: string;
  payload: ChangeEventPayload;
}

/**
 * Turns a committed transaction into CDC events (reference 5.6): one per record and first change
 * type, in order, sequence numbers counting every change (so objects without CDC leave gaps);
 * CREATE/UNDELETE carry all non-empty fields, UPDATE only the changed ones (explicit nulls, always
 * LastModifiedDate), DELETE only the header. An update that changed nothing produces no event.
 */
export function buildChangeEvents(
  tx: Transaction,
  store: RecordStore,
  isCdcEnabled: (entity: string) => boolean,
  commit: { timestamp: number; number: number },
): BuiltChangeEvent[] {
  const transactionKey = randomUUID();
  const events: BuiltChangeEvent[] = [];
  let sequenceNumber = 0;
  for (const change of tx.changes.values()) {
    const after = store.get(change.id)?.record ?? null;
    const body = eventBody(change, after);
    if (body === null) continue;
    sequenceNumber++;
    if (!isCdcEnabled(change.schema.name)) continue;
    const header: ChangeEventHeader = {
      entityName: change.schema.name,
      recordIds: [change.id],
      changeType: change.changeType,
      changeOrigin: tx.context.changeOrigin,
      transactionKey,
      sequenceNumber,
      commitTimestamp: commit.timestamp,
      commitNumber: commit.number,
      commitUser: tx.context.userId,
      changedFields: body.changedFields,
    };
    events.push({ schema: schemaIdOf(change.schema), payload: { ChangeEventHeader: header, ...body.fields } });
  }
  return events;
}

function eventBody(
  change: RecordChange,
  after: SObjectRecord | null,
): { fields: Record<string, unknown>; changedFields: string[] } | null {
  switch (change.changeType) {
    case 'DELETE':
      return { fields: {}, changedFields: [] };
    case 'CREATE':
    case 'UNDELETE':
      return after ? { fields: fullBody(change.schema, after), changedFields: [] } : null;
    case 'UPDATE':
      return after && change.before ? updateBody(change.schema, change.before, after, change.merged === true) : null;
  }
}

function fullBody(schema: SObjectSchema, record: SObjectRecord): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const f of schema.fields) {
    if (f.excludedFromChangeEvents || f.type === 'id') continue;
    const v = record[f.name];
    if (v === null || v === undefined) continue;
    put(fields, f, eventValue(f, v));
  }
  return fields;
}

const AUDIT_ONLY = new Set(['LastModifiedDate', 'LastModifiedById', 'SystemModstamp']);

function updateBody(
  schema: SObjectSchema,
  before: SObjectRecord,
  after: SObjectRecord,
  merged: boolean,
): { fields: Record<string, unknown>; changedFields: string[] } | null {
  const fields: Record<string, unknown> = {};
  const changedFields: string[] = [];
  let substantive = merged;
  for (const f of schema.fields) {
    if (f.excludedFromChangeEvents || f.type === 'id') continue;
    const a = after[f.name] ?? null;
    if ((before[f.name] ?? null) === a && f.name !== 'LastModifiedDate') continue;
    if (!AUDIT_ONLY.has(f.name)) substantive = true;
    put(fields, f, a === null ? null : eventValue(f, a));
    changedFields.push(f.compound ? `${f.compound.field}.${f.compound.component}` : f.name);
  }
  return substantive ? { fields, changedFields } : null;
}

function put(fields: Record<string, unknown>, f: FieldDefinition, value: unknown): void {
  if (!f.compound) {
    fields[f.name] = value;
    return;
  }
  const nested = (fields[f.compound.field] ??= {}) as Record<string, unknown>;
  nested[f.compound.component] = value;
}

function eventValue(f: FieldDefinition, v: FieldValue): FieldValue {
  return f.type === 'datetime' && typeof v === 'string' ? toIsoUtc(v) : v;
}

/** The same schema id the CometD side gives gap events of this entity. */
function schemaIdOf(schema: SObjectSchema): string {
  return changeEventSchemaId(schema.name);
}
