import type { SalesforceValue } from '../../mapping/converters/converter.types';
import type { EventOfType, RecordedEvent } from '../../event-store';
import type { OutboxCommand } from '../../sync-commands/outbox-command';
import { mondayChange, mondayCreate, mondayValues, rejectedValues, salesforceUpdate } from '../command-builders';
import { decision, type Decision } from '../decision';
import { writableRecord } from '../record-ownership';
import { deadLettered, projected, skipped } from '../outcome';
import type { ResolvedField, ResolvedObject } from '../../mapping/resolved-mapping';
import { conditionHolds } from '../../mapping/mapping.types';
import { agreedLabel, waitTowardsMonday } from '../links/links.decide';
import { heldOnly, observe, readAfterErasure, salesforceReadBehind } from '../state/field-state';
import type { SyncContext } from '../sync-context';
import { newerWaiting, newRecord, type SyncRecord } from '../sync-record';

type SalesforceFact = RecordedEvent & EventOfType<'salesforce.record_changed' | 'salesforce.record_snapshot' | 'backfill.record_snapshot'>;

/**
 * Salesforce -> monday: a change (CDC) or a snapshot (backfill, catch-up, lead conversion) updates
 * the record's Salesforce-side state and, where the agreed value changed and monday does not hold
 * it yet, issues the monday command. Unknown records create items when `create.monday` (and its
 * `when`) allows it.
 */
export function decideSalesforceEvent(current: SyncRecord | null, event: SalesforceFact, context: SyncContext): Decision {
  const { object: objectName, recordId, fields, changeType, at, createAllowed, createdByUs } = normalise(event);
  const object = context.mapping.bySalesforceObject.get(objectName);
  if (!object) return decision(current, skipped('unmapped_object', { object: objectName }));
  let record = current ? writableRecord(current, context) : null;

  if (changeType === 'DELETE') {
    if (!record) return decision(null, skipped('not_linked_yet'));
    if (record.deleted) return decision(record, skipped('deleted_record'));
    record.deleted = { side: 'salesforce', at };
    if (event.origin === 'own_echo' || !record.mondayItemId || object.mapping.delete === 'none') return decision(record, projected('tombstoned'));
    const kind = object.mapping.delete === 'delete' ? 'monday.delete_item' : 'monday.archive_item';
    const command: OutboxCommand = { kind, target: 'monday', objectKey: object.mapping.key, boardId: record.mondayBoardId, itemId: record.mondayItemId };
    return decision(record, projected(kind), [command]);
  }
  // A Lead converted by a person: seen here first (CDC or a snapshot), it is read-only from now on.
  if (record && record.convertedAt === null && objectName === 'Lead' && fields.IsConverted === true) record.convertedAt = at;
  if (record?.deleted && changeType !== 'UNDELETE') return decision(record, skipped('deleted_record'));
  if (record && changeType === 'UNDELETE') record.deleted = null;

  if (!record) {
    if (event.origin === 'own_echo' && changeType !== 'CREATE') return decision(null, skipped('own_echo'));
    record = newRecord(object.mapping.key, object.mapping.monday.board, { salesforceId: recordId });
    // The echo of our own create, before its link: the item exists and is being linked (the runner
    // merges this state into it then, so the values Salesforce set itself reach monday). So is a
    // catch-up read of a record we created (fault seed 1052: read while the create's outcome was
    // lost to a kill, it made a second item, and the create's retry linked the first).
    if (event.origin === 'own_echo' || createdByUs) record.creating = 'salesforce';
  }
  const { changed, repair } = observeFields(record, object, fields, at, event.origin, event.type !== 'salesforce.record_changed');
  if (changeType === 'CREATE' || changeType === 'UNDELETE') recordEmptyFields(record, object, fields, at);
  if (!record.mondayItemId) {
    if (!(createAllowed || object.mapping.create.monday.enabled)) return decision(record, skipped('create_disabled'));
    if (record.creating === 'monday') return decision(record, skipped('already_creating'));
    if (record.creating === 'salesforce' && !createAllowed) return decision(record, skipped(event.origin === 'own_echo' ? 'own_echo' : 'already_creating'));
    // `create.monday.when`: tested on the labels the item would show; a later change that makes it
    // true creates the item then (the record keeps every value seen meanwhile). A converted Lead's
    // records always get items.
    const when = object.mapping.create.monday.when;
    if (when && !createAllowed && !conditionHolds(when, agreedLabel(record, object, when.column))) {
      return decision(record, skipped('condition_false', { column: when.column }));
    }
    const values = mondayValues(record, object.fields, context);
    waitTowardsMonday(record, values.waiting, at);
    record.creating = 'monday';
    return decision(record, withInvalid(projected('creating_monday_item'), values.invalid), [mondayCreate(object, record, values), ...rejectedValues(object, record, 'monday', values.invalid)]);
  }
  const repairs = [salesforceUpdate(object, record, repair)];
  if (changed.length === 0) {
    if (repair.length > 0) return decision(record, projected('repair_behind', { fields: repair.map((f) => f.key) }), repairs);
    return decision(record, skipped(event.origin === 'own_echo' ? 'own_echo' : 'unchanged_value'));
  }
  const values = mondayValues(record, changed, context);
  waitTowardsMonday(record, values.waiting, at);
  const command = mondayChange(object, record, values);
  if (!command) {
    if (Object.keys(values.invalid).length > 0) return decision(record, deadLettered('conversion_failed', { invalidValues: values.invalid }), [...repairs, ...rejectedValues(object, record, 'monday', values.invalid)]);
    return decision(record, skipped('waiting_for_link', { fields: values.waiting.map((f) => f.key) }), repairs);
  }
  return decision(record, withInvalid(projected(), values.invalid), [command, ...repairs, ...rejectedValues(object, record, 'monday', values.invalid)]);
}

/** Feeds every mapped field present in `fields` into the state; returns those monday must receive. */
function observeFields(
  record: SyncRecord,
  object: ResolvedObject,
  fields: Record<string, unknown>,
  at: number,
  origin: SalesforceFact['origin'],
  readNow: boolean,
): { changed: ResolvedField[]; repair: ResolvedField[] } {
  const touched = new Set<ResolvedField>();
  for (const name of Object.keys(fields)) for (const field of object.fieldsBySalesforceName.get(name) ?? []) touched.add(field);
  const changed: ResolvedField[] = [];
  const repair: ResolvedField[] = [];
  for (const field of touched) {
    const value =
      field.salesforceFields.length === 2
        ? ([valueOf(record, field, 0, fields), valueOf(record, field, 1, fields)] as const)
        : ((fields[field.salesforceFields[0]] ?? null) as string | number | boolean | null);
    // A read (snapshot) of an erased person's field is a baseline, never sent (FieldState.erased).
    if (readNow && readAfterErasure(record, field, 'salesforce', value, at)) continue;
    if (readNow && salesforceReadBehind(record, field, value, at)) continue;
    // A person's later relation change on monday waits for its item's link: this older value must
    // not overwrite it there (the relation would be lost once our write's success was seen).
    if (origin !== 'own_echo' && newerWaiting(record, field.key, at)) {
      heldOnly(record, field, 'salesforce', value, at);
      continue;
    }
    const seen = observe(record, field, 'salesforce', value, at, origin, { readNow });
    if (seen.accepted && seen.push) changed.push(field);
    if (!seen.accepted && seen.repair) repair.push(field);
  }
  return { changed, repair };
}

/**
 * CREATE and UNDELETE change events carry only the fields that have a value: a mapped field absent
 * from one is empty in Salesforce. Remembered as such (agreedAt 0, so any real value from monday
 * still wins), an empty cell found on monday later is not a change to send back.
 */
function recordEmptyFields(record: SyncRecord, object: ResolvedObject, fields: Record<string, unknown>, at: number): void {
  for (const field of object.fields) {
    if (record.fields[field.key] || field.salesforceFields.some((name) => name in fields)) continue;
    const empty: SalesforceValue = field.salesforceFields.length === 2 ? [null, null] : null;
    record.fields[field.key] = { agreed: empty, agreedAt: 0, agreedFrom: 'salesforce', salesforce: { value: empty, at } };
  }
}

/** One date of a timeline pair: from this change if present, else the last agreed value. */
function valueOf(record: SyncRecord, field: ResolvedField, index: 0 | 1, fields: Record<string, unknown>): string | null {
  const name = field.salesforceFields[index];
  if (name in fields) return (fields[name] as string | null) ?? null;
  const agreed = record.fields[field.key]?.agreed;
  return Array.isArray(agreed) ? ((agreed[index] as string | null) ?? null) : null;
}

function normalise(event: SalesforceFact): {
  object: string;
  recordId: string;
  fields: Record<string, unknown>;
  changeType: 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';
  at: number;
  createAllowed: boolean;
  createdByUs: boolean;
} {
  if (event.type === 'salesforce.record_changed') {
    const p = event.payload;
    return { object: p.object, recordId: p.recordId, fields: p.fields, changeType: p.changeType, at: p.commitTimestamp, createAllowed: false, createdByUs: false };
  }
  const p = event.payload;
  const { Id, ...fields } = p.record;
  const modstamp = Date.parse(p.systemModstamp);
  return {
    object: p.object,
    recordId: Id,
    fields,
    // A read of the recycle bin (a CDC gap's catch-up): the record was deleted, as a DELETE event says.
    changeType: fields.IsDeleted === true ? 'DELETE' : 'UPDATE',
    at: Number.isNaN(modstamp) ? event.occurredAt.getTime() : modstamp,
    createAllowed: (p.reason as string) === 'lead_conversion',
    createdByUs: p.createdByUs === true && p.reason === 'catch_up',
  };
}

function withInvalid<T extends { detail?: Record<string, unknown> }>(outcome: T, invalid: Record<string, string>): T {
  return Object.keys(invalid).length > 0 ? { ...outcome, detail: { ...outcome.detail, invalidValues: invalid } } : outcome;
}
