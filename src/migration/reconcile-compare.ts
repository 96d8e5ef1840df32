import type { SalesforceValue } from '../mapping/converters/converter.types';
import { conditionHolds } from '../mapping/mapping.types';
import { to18 } from '../mapping/salesforce-id';
import type { MondayItem } from '../monday/monday.port';
import { NAME_KEY, type ResolvedField, type ResolvedObject } from '../mapping/resolved-mapping';
import { mayWrite } from '../sync-projector/state/field-state';
import type { SyncContext } from '../sync-projector/sync-context';
import type { Side, SyncRecord } from '../sync-projector/sync-record';
import type { SObjectRecord } from '../salesforce/salesforce.port';
import type { CorrectiveSnapshot, Drift, ObjectReport, RemovedItem, RemovedRecord } from './reconcile-drift';

/** Everything read for one object: both CRMs' live data and the sync's links and field state. */
export interface ObjectReading {
  object: ResolvedObject;
  /** Every live (not deleted) record of the object. */
  records: readonly SObjectRecord[];
  /** Whether a record is within `backfill.where` (records outside it are not expected on monday). */
  inScope: (salesforceId18: string) => boolean;
  /** Every active item of the board. */
  items: readonly MondayItem[];
  /** Linked items missing from `items`: archived, deleted, or gone (synthesized as deleted). */
  removedItems: readonly RemovedItem[];
  /** Linked records missing from `records`. */
  removedRecords: readonly RemovedRecord[];
  syncRecords: readonly SyncRecord[];
  /** Sync record id -> why its last create was dead-lettered. */
  deadCreates: ReadonlyMap<number, string>;
  /**
   * Sync record ids with a command in flight or a create waiting (records-in-flight.ts): what either
   * side shows of them may be half of our own write, so they are neither compared nor corrected now.
   */
  busy?: ReadonlySet<number>;
}

export interface ObjectDrift {
  report: ObjectReport;
  corrections: CorrectiveSnapshot[];
}

/**
 * Compares one object's two sides through the mapping (pure). Linked pairs come from the sync's
 * links; items and records nobody linked are matched by the Salesforce Id column, then checked
 * against the create policies. For each drift it also says which side --fix keeps and plans the
 * snapshot that carries it.
 */
export function findObjectDrift(reading: ObjectReading, context: SyncContext): ObjectDrift {
  const { object } = reading;
  const key = object.mapping.key;
  const drifts: Drift[] = [];
  const plan = new CorrectionPlan();
  const recordsById = new Map(reading.records.map((r) => [to18(r.Id), r]));
  const itemsById = new Map(reading.items.map((i) => [i.id, i]));
  const removedItems = new Map(reading.removedItems.map((i) => [i.id, i]));
  const removedRecords = new Map(reading.removedRecords.map((r) => [to18(r.id), r]));
  const syncByItem = new Map(reading.syncRecords.filter((r) => r.mondayItemId).map((r) => [r.mondayItemId as string, r]));
  const syncBySalesforce = new Map(reading.syncRecords.filter((r) => r.salesforceId).map((r) => [to18(r.salesforceId as string), r]));
  const claimedRecords = new Set<string>();
  const recordName = (record: SObjectRecord | undefined) => (record ? textOf(record[object.mapping.name]) : null);
  const drift = (d: Omit<Drift, 'objectKey'>) => drifts.push({ objectKey: key, ...d });
  let comparedPairs = 0;
  const busy = (sync: SyncRecord | undefined) => sync?.id != null && (reading.busy?.has(sync.id) ?? false);

  for (const sync of reading.syncRecords) {
    if (sync.deleted || !sync.salesforceId || !sync.mondayItemId) continue;
    if (busy(sync)) {
      claimedRecords.add(to18(sync.salesforceId));
      continue;
    }
    const salesforceId = to18(sync.salesforceId);
    const itemId = sync.mondayItemId;
    claimedRecords.add(salesforceId);
    const item = itemsById.get(itemId);
    const record = recordsById.get(salesforceId);
    if (!item) {
      const removed = removedItems.get(itemId);
      drift({ kind: 'removed_on_monday', salesforceId, itemId, name: removed?.name ?? recordName(record), fix: 'monday', detail: `item is ${removed?.state ?? 'deleted'}; --fix applies delete: ${object.mapping.delete}` });
      if (removed) plan.monday(removed, []);
      continue;
    }
    if (!record) {
      const removed = removedRecords.get(salesforceId);
      drift({ kind: 'removed_on_salesforce', salesforceId, itemId, name: item.name, fix: 'salesforce', detail: `record is deleted; --fix applies delete: ${object.mapping.delete}` });
      plan.salesforce({ Id: salesforceId, IsDeleted: true, SystemModstamp: removed?.systemModstamp ?? null }, []);
      continue;
    }
    comparedPairs++;
    const idText = columnText(item, object.mapping.monday.salesforceIdColumn);
    if (!idText || to18(idText) !== salesforceId) {
      drift({ kind: 'link_disagrees', salesforceId, itemId, name: item.name, fix: 'salesforce', detail: `Salesforce Id column holds ${idText ? `"${idText}"` : 'nothing'}; the sync links ${salesforceId}` });
      plan.monday(item, [object.mapping.monday.salesforceIdColumn]);
    }
    for (const field of object.fields) {
      const found = compareField(field, record, item, sync, context);
      if (!found) continue;
      drift({ kind: 'value_differs', salesforceId, itemId, name: item.name, column: field.key, salesforceField: field.salesforceFields.join(','), ...found.values, fix: found.fix, ...(found.detail ? { detail: found.detail } : {}) });
      if (found.fix === 'monday') plan.monday(item, field.key === NAME_KEY ? [] : [field.key]);
      if (found.fix === 'salesforce') plan.salesforce(record, field.salesforceFields);
    }
  }

  for (const item of reading.items) {
    const sync = syncByItem.get(item.id);
    if (sync && (sync.deleted || (sync.salesforceId && sync.mondayItemId))) continue;
    if (busy(sync)) continue;
    const idText = columnText(item, object.mapping.monday.salesforceIdColumn);
    if (idText) {
      const salesforceId = to18(idText);
      const record = recordsById.get(salesforceId);
      const linkedTo = syncBySalesforce.get(salesforceId);
      if (busy(linkedTo)) {
        // Our create of this very item may be what is in flight (its link not recorded yet).
        claimedRecords.add(salesforceId);
        continue;
      }
      if (!record) {
        const fix = createsOnSalesforce(object, item) ? 'monday' : 'none';
        drift({ kind: 'salesforce_id_not_found', salesforceId: idText, itemId: item.id, name: item.name, fix, detail: fix === 'none' ? 'clear the Salesforce Id column or restore the record' : 'the item is created again in Salesforce' });
        if (fix === 'monday') plan.monday(item, allColumns(object));
      } else if (linkedTo?.mondayItemId && linkedTo.mondayItemId !== item.id && !linkedTo.deleted) {
        drift({ kind: 'link_disagrees', salesforceId, itemId: item.id, name: item.name, fix: 'none', detail: `the record is linked to item ${linkedTo.mondayItemId}: a duplicate item?` });
      } else {
        claimedRecords.add(salesforceId);
        drift({ kind: 'not_linked', salesforceId, itemId: item.id, name: item.name, fix: 'salesforce', detail: 'the item names the record in its Salesforce Id column; --fix links them' });
        plan.salesforce(record, allSalesforceFields(object));
      }
      continue;
    }
    if (!createsOnSalesforce(object, item)) continue;
    const pending = sync?.creating === 'salesforce';
    drift({ kind: 'missing_on_salesforce', salesforceId: null, itemId: item.id, name: item.name, fix: pending ? 'none' : 'monday', ...createDetail(pending, sync, reading.deadCreates) });
    if (!pending) plan.monday(item, allColumns(object));
  }

  for (const record of reading.records) {
    const salesforceId = to18(record.Id);
    if (claimedRecords.has(salesforceId)) continue;
    const sync = syncBySalesforce.get(salesforceId);
    if (busy(sync) || sync?.deleted || !createsOnMonday(object, record) || !reading.inScope(salesforceId)) continue;
    const pending = sync?.creating === 'monday';
    drift({ kind: 'missing_on_monday', salesforceId, itemId: null, name: recordName(record), fix: pending ? 'none' : 'salesforce', ...createDetail(pending, sync, reading.deadCreates) });
    if (!pending) plan.salesforce(record, allSalesforceFields(object));
  }

  return {
    report: {
      objectKey: key,
      salesforceObject: object.mapping.salesforce,
      boardId: object.mapping.monday.board,
      salesforceRecords: reading.records.length,
      mondayItems: reading.items.length,
      comparedPairs,
      drifts,
    },
    corrections: plan.snapshots(),
  };
}

/** Why a counterpart is still missing, when the sync already tried: a create pending, or dead-lettered. */
function createDetail(pending: boolean, sync: SyncRecord | undefined, deadCreates: ReadonlyMap<number, string>): { detail?: string } {
  if (pending) return { detail: 'a create is already waiting in the outbox' };
  const dead = sync?.id !== null && sync?.id !== undefined ? deadCreates.get(sync.id) : undefined;
  return dead ? { detail: `the last create was dead-lettered: ${dead}` } : {};
}

interface FieldDrift {
  values: { salesforceValue: SalesforceValue; mondayValue?: SalesforceValue };
  fix: Side | 'none';
  detail?: string;
}

/** One field of a linked pair: equal (null), or how it differs and which side should win. */
export function compareField(field: ResolvedField, record: SObjectRecord, item: MondayItem, sync: SyncRecord | undefined, context: SyncContext): FieldDrift | null {
  const salesforceValue = salesforceValueOf(field, record);
  const read = mondayValueOf(field, item, context);
  if (read.kind !== 'value') {
    return { values: { salesforceValue }, fix: 'none', detail: `monday value ${JSON.stringify(read.text)} cannot be read as ${field.salesforceFields.join(',')}: ${read.reason}` };
  }
  const mondayValue = read.value;
  if (field.converter.equals(salesforceValue, mondayValue)) return null;
  return { values: { salesforceValue, mondayValue }, fix: winner(field, salesforceValue, mondayValue, record, item, sync) };
}

/**
 * Which side's value should win: field authority first; otherwise the side that changed since the
 * sync last saw it (the other side simply missed it), or, when both or neither did, the later
 * change (Salesforce LastModifiedDate vs monday updated_at; a tie goes to Salesforce). A side still
 * holding the agreed value while the other lags (a write that failed) keeps it.
 */
function winner(field: ResolvedField, salesforceValue: SalesforceValue, mondayValue: SalesforceValue, record: SObjectRecord, item: MondayItem, sync: SyncRecord | undefined): Side {
  if (!mayWrite(field, 'monday')) return 'salesforce';
  if (!mayWrite(field, 'salesforce')) return 'monday';
  const state = sync?.fields[field.key];
  if (state) {
    const equals = field.converter.equals;
    const salesforceNews = !equals(state.salesforce?.value ?? state.agreed, salesforceValue);
    const mondayNews = !equals(state.monday?.value ?? state.agreed, mondayValue);
    if (salesforceNews !== mondayNews) return salesforceNews ? 'salesforce' : 'monday';
    if (!salesforceNews) {
      if (equals(state.agreed, salesforceValue)) return 'salesforce';
      if (equals(state.agreed, mondayValue)) return 'monday';
    }
  }
  const salesforceAt = Date.parse(textOf(record.LastModifiedDate) ?? textOf(record.SystemModstamp) ?? '');
  const mondayAt = Date.parse(item.updatedAt ?? '');
  if (Number.isNaN(mondayAt)) return 'salesforce';
  if (Number.isNaN(salesforceAt)) return 'monday';
  return mondayAt > salesforceAt ? 'monday' : 'salesforce';
}

function salesforceValueOf(field: ResolvedField, record: SObjectRecord): SalesforceValue {
  const scalar = (name: string) => (record[name] ?? null) as string | number | boolean | null;
  if (field.salesforceFields.length === 2) return [scalar(field.salesforceFields[0]) as string | null, scalar(field.salesforceFields[1]) as string | null];
  return scalar(field.salesforceFields[0]);
}

function mondayValueOf(field: ResolvedField, item: MondayItem, context: SyncContext): { kind: 'value'; value: SalesforceValue } | { kind: 'unreadable'; text: string | null; reason: string } {
  if (field.key === NAME_KEY) return { kind: 'value', value: item.name };
  const column = item.columnValues.find((c) => c.id === field.key);
  const read = column ?? { value: null, text: null };
  const converted = field.converter.fromMondayApi({ value: read.value, text: read.text, linkedItemIds: column?.linkedItemIds }, context);
  if (converted.kind === 'value') return converted;
  // An empty column the converter refuses (the Salesforce field is required) still reads as "empty".
  if (read.value === null && !read.text && !column?.linkedItemIds?.length) return { kind: 'value', value: null };
  return { kind: 'unreadable', text: read.text, reason: converted.kind === 'invalid' ? converted.error.message : `${converted.reason} (${converted.detail})` };
}

/** Whether the mapping would create this item's record in Salesforce (policy and its `when`). */
function createsOnSalesforce(object: ResolvedObject, item: MondayItem): boolean {
  const policy = object.mapping.create.salesforce;
  if (!policy.enabled) return false;
  return !policy.when || conditionHolds(policy.when, columnText(item, policy.when.column));
}

/** `create.monday` and its `when`, tested on the label the record's mapped field would show on the item. */
function createsOnMonday(object: ResolvedObject, record: SObjectRecord): boolean {
  const policy = object.mapping.create.monday;
  if (!policy.enabled) return false;
  if (!policy.when) return true;
  const field = object.fieldByColumn.get(policy.when.column);
  const value = field?.salesforceFields.length === 1 ? record[field.salesforceFields[0]] : null;
  const label = field && value !== null && value !== undefined && value !== '' ? (field.mapping.values[String(value)] ?? String(value)) : null;
  return conditionHolds(policy.when, label);
}

function columnText(item: MondayItem, columnId: string): string | null {
  const text = item.columnValues.find((c) => c.id === columnId)?.text?.trim();
  return text ? text : null;
}

function allColumns(object: ResolvedObject): string[] {
  return object.fields.filter((f) => f.key !== NAME_KEY).map((f) => f.key);
}

function allSalesforceFields(object: ResolvedObject): string[] {
  return [...new Set(object.fields.flatMap((f) => f.salesforceFields))];
}

function textOf(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

/** Corrective snapshots, one per item and one per record at most, each carrying the union of what it must. */
class CorrectionPlan {
  private readonly items = new Map<string, { item: MondayItem; columns: Set<string> }>();
  private readonly records = new Map<string, { record: SObjectRecord; fields: Set<string> }>();

  monday(item: MondayItem, columns: readonly string[]): void {
    const entry = this.items.get(item.id) ?? { item, columns: new Set<string>() };
    columns.forEach((c) => entry.columns.add(c));
    this.items.set(item.id, entry);
  }

  salesforce(record: SObjectRecord, fields: readonly string[]): void {
    const entry = this.records.get(record.Id) ?? { record, fields: new Set<string>() };
    fields.forEach((f) => entry.fields.add(f));
    this.records.set(record.Id, entry);
  }

  snapshots(): CorrectiveSnapshot[] {
    return [
      ...[...this.items.values()].map((e) => ({ side: 'monday' as const, item: e.item, columns: [...e.columns] })),
      ...[...this.records.values()].map((e) => ({ side: 'salesforce' as const, record: e.record, fields: [...e.fields] })),
    ];
  }
}
