import type { SalesforceValue } from '../mapping/converters/converter.types';
import { salesforceString } from '../mapping/converters/salesforce-scalar-codec';
import type { OutboxCommand, WrittenValues } from '../sync-commands/outbox-command';
import { NAME_KEY, type ResolvedField, type ResolvedObject } from '../mapping/resolved-mapping';
import { sendingAgreed } from './state/field-state';
import type { SyncContext } from './sync-context';
import { nextCommandSeq, type SyncRecord } from './sync-record';

/** Field key -> agreed value, echoed back by the dispatcher as what the target now holds. */
export function agreedValues(record: SyncRecord, fields: readonly ResolvedField[]): WrittenValues {
  const values: WrittenValues = {};
  for (const field of fields) {
    const state = record.fields[field.key];
    if (state && !state.erased) values[field.key] = state.agreed;
  }
  return values;
}

/** Agreed values of `fields` as Salesforce field values (a timeline feeds two date fields). */
export function salesforceFieldValues(record: SyncRecord, fields: readonly ResolvedField[], forCreate = false): Record<string, SalesforceValue> {
  const values: Record<string, SalesforceValue> = {};
  for (const field of fields) {
    const state = record.fields[field.key];
    if (!state || state.erased || (forCreate ? !field.salesforceCreateable : !field.salesforceUpdateable)) continue;
    if (field.salesforceFields.length === 2 && Array.isArray(state.agreed)) {
      const [start, end] = state.agreed as readonly [string | null, string | null];
      values[field.salesforceFields[0]] = start;
      values[field.salesforceFields[1]] = end;
    } else {
      // Salesforce stores strings trimmed and "" as null: send them so (a padded item name included).
      values[field.salesforceFields[0]] = salesforceString(state.agreed) as SalesforceValue;
    }
  }
  return values;
}

/** An update of `fields` to their agreed values (noted in the record as on its way: sendingAgreed). */
/** The record is a Lead whose conversion the sync has issued or seen. */
export function isConvertedLead(object: ResolvedObject, record: SyncRecord): boolean {
  return object.mapping.salesforce === 'Lead' && record.convertedAt !== null;
}

export function salesforceUpdate(object: ResolvedObject, record: SyncRecord, fields: readonly ResolvedField[]): OutboxCommand | null {
  // A converted Lead is read-only in Salesforce (CANNOT_UPDATE_CONVERTED_LEAD): its item follows
  // the Contact/Opportunity now, so nothing is ever sent to it.
  if (isConvertedLead(object, record)) return null;
  const values = salesforceFieldValues(record, fields);
  if (!record.salesforceId || Object.keys(values).length === 0) return null;
  const written = agreedValues(record, fields.filter((f) => f.salesforceUpdateable));
  const seq = nextCommandSeq(record, 'salesforce');
  sendingAgreed(record, Object.keys(written), 'salesforce', seq);
  return {
    kind: 'salesforce.update',
    target: 'salesforce',
    objectKey: object.mapping.key,
    salesforceObject: object.mapping.salesforce,
    salesforceId: record.salesforceId,
    fields: values,
    values: written,
    seq,
  };
}

export function salesforceCreate(object: ResolvedObject, record: SyncRecord): OutboxCommand | null {
  if (!record.mondayItemId) return null;
  const fields = salesforceFieldValues(record, object.fields, true);
  const match: Record<string, SalesforceValue> = {};
  for (const name of object.mapping.match) if (fields[name] !== undefined && fields[name] !== null) match[name] = fields[name];
  return {
    kind: 'salesforce.create',
    target: 'salesforce',
    objectKey: object.mapping.key,
    salesforceObject: object.mapping.salesforce,
    boardId: record.mondayBoardId,
    itemId: record.mondayItemId,
    salesforceIdColumn: object.mapping.monday.salesforceIdColumn,
    fields,
    match,
    values: agreedValues(record, object.fields.filter((f) => f.salesforceCreateable)),
  };
}

export interface MondayValues {
  name?: string;
  columnValues: Record<string, unknown>;
  /** Relation values whose target is not linked yet (values that can never be shown, e.g. an owner with no monday account, are left out). */
  waiting: ResolvedField[];
  /** Values the column cannot take (ConversionError messages by field key). */
  invalid: Record<string, string>;
  /** Field key -> agreed value of what is included, in Salesforce form. */
  written: WrittenValues;
}

/** Agreed values of `fields` in monday's write format. */
export function mondayValues(record: SyncRecord, fields: readonly ResolvedField[], context: SyncContext): MondayValues {
  const result: MondayValues = { columnValues: {}, waiting: [], invalid: {}, written: {} };
  for (const field of fields) {
    const state = record.fields[field.key];
    // An erased person's value is never written (FieldState.erased).
    if (!state || state.erased) continue;
    if (field.key === NAME_KEY) {
      result.name = state.agreed === null ? '' : String(state.agreed);
      result.written[field.key] = state.agreed;
      continue;
    }
    const converted = field.converter.toMonday(state.agreed, context);
    if (converted.kind === 'value') {
      result.columnValues[field.key] = converted.value;
      result.written[field.key] = state.agreed;
    }
    // Only a record not linked yet can resolve later; an owner with no monday account never will.
    else if (converted.kind === 'unresolved') {
      if (converted.reason === 'not_linked') result.waiting.push(field);
    } else result.invalid[field.key] = converted.error.message;
  }
  return result;
}

/** A change of the item's columns to `values` (noted in the record as on its way: sendingAgreed). */
export function mondayChange(object: ResolvedObject, record: SyncRecord, values: MondayValues): OutboxCommand | null {
  if (!record.mondayItemId || (Object.keys(values.columnValues).length === 0 && values.name === undefined)) return null;
  const seq = nextCommandSeq(record, 'monday');
  sendingAgreed(record, Object.keys(values.written), 'monday', seq);
  return {
    kind: 'monday.change_columns',
    target: 'monday',
    objectKey: object.mapping.key,
    boardId: record.mondayBoardId,
    itemId: record.mondayItemId,
    ...(values.name !== undefined ? { name: values.name } : {}),
    columnValues: values.columnValues,
    createLabelsIfMissing: object.fields.some((f) => f.mapping.createLabelsIfMissing && f.key in values.columnValues),
    values: values.written,
    seq,
  };
}

export function mondayCreate(object: ResolvedObject, record: SyncRecord, values: MondayValues): OutboxCommand | null {
  if (!record.salesforceId) return null;
  return {
    kind: 'monday.create_item',
    target: 'monday',
    objectKey: object.mapping.key,
    boardId: object.mapping.monday.board,
    groupId: object.mapping.monday.group ?? null,
    salesforceObject: object.mapping.salesforce,
    salesforceId: record.salesforceId,
    name: values.name || record.salesforceId,
    columnValues: { ...values.columnValues, [object.mapping.monday.salesforceIdColumn]: record.salesforceId },
    createLabelsIfMissing: object.fields.some((f) => f.mapping.createLabelsIfMissing),
    salesforceIdColumn: object.mapping.monday.salesforceIdColumn,
    values: values.written,
  };
}

export function mondayRefresh(object: ResolvedObject, boardId: string, itemId: string): OutboxCommand {
  return { kind: 'monday.refresh_item', target: 'monday', objectKey: object.mapping.key, boardId, itemId };
}

/** One dead letter per value `target` cannot take (field key -> the conversion error's message). */
export function rejectedValues(object: ResolvedObject, record: SyncRecord, target: 'salesforce' | 'monday', invalid: Record<string, string>): OutboxCommand[] {
  return Object.entries(invalid).map(([field, message]) => ({
    kind: 'sync.rejected_value',
    target,
    objectKey: object.mapping.key,
    salesforceObject: object.mapping.salesforce,
    salesforceId: record.salesforceId,
    boardId: record.mondayBoardId,
    itemId: record.mondayItemId,
    field,
    message,
  }));
}
