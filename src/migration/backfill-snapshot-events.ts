import { streams, type NewEvent } from '../event-store';
import type { SalesforceRecordSnapshot } from '../event-store/payloads/sync-results';
import type { SalesforceFieldSchema, SalesforceObjectSchema } from '../mapping/live-schema';
import { to18 } from '../mapping/salesforce-id';
import type { BulkRecord, SObjectRecord } from '../salesforce/salesforce.port';
import { canonicalModstamp } from './backfill-soql';

const NUMBER_TYPES = new Set(['double', 'currency', 'percent', 'int', 'long']);

/**
 * One Salesforce record version as a `backfill.record_snapshot` event. The idempotency key is the
 * object, the 18-character Id and the SystemModstamp (invariant 1): reading a version the log holds
 * already appends nothing, so a re-run over unchanged records leaves the log as it was.
 * `integrationUserId`: a record read with its CreatedById and created by that user is marked
 * `createdByUs`.
 */
export function snapshotEvent(object: string, record: SObjectRecord, reason: SalesforceRecordSnapshot['reason'], integrationUserId?: string): NewEvent {
  const id = to18(record.Id);
  const rawModstamp = record.SystemModstamp;
  if (typeof rawModstamp !== 'string') throw new Error(`${object} ${id} was read without SystemModstamp`);
  const systemModstamp = canonicalModstamp(rawModstamp);
  const { SystemModstamp: _modstamp, attributes: _attributes, ...fields } = record;
  const createdByUs = integrationUserId !== undefined && typeof record.CreatedById === 'string' && to18(record.CreatedById) === to18(integrationUserId);
  return {
    type: 'backfill.record_snapshot',
    source: 'backfill',
    sourceEventId: `${object}:${id}:${systemModstamp}`,
    stream: streams.salesforceRecord(object, id),
    origin: 'unknown',
    occurredAt: new Date(systemModstamp),
    payload: { object, record: { ...fields, Id: id }, systemModstamp, reason, ...(createdByUs ? { createdByUs: true as const } : {}) },
  };
}

/**
 * A Bulk API 2.0 CSV row as the REST API would have typed it (numbers, booleans, null), using the
 * object's describe, so snapshots read either way compare equal in the projector.
 */
export function bulkRecordTyper(schema: SalesforceObjectSchema): (row: BulkRecord) => SObjectRecord {
  const fields = new Map(schema.fields.map((f) => [f.name, f]));
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(row)) {
      const field = fields.get(name);
      out[name] = field ? typedValue(value, field) : value;
    }
    if (typeof out.Id !== 'string') throw new Error(`a Bulk API row of ${schema.name} has no Id`);
    return out as SObjectRecord;
  };
}

function typedValue(value: string | null, field: SalesforceFieldSchema): unknown {
  if (value === null) return field.type === 'boolean' ? false : null;
  if (field.type === 'boolean') return value.toLowerCase() === 'true';
  if (NUMBER_TYPES.has(field.type)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : value;
  }
  return value;
}
