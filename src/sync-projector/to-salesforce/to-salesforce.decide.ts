import { mondayItemIdOf, type EventOfType, type RecordedEvent } from '../../event-store';
import { conditionHolds } from '../../mapping/mapping.types';
import { isErased } from '../../personal-data/erased';
import type { SalesforceValue, UnresolvedReason } from '../../mapping/converters/converter.types';
import type { OutboxCommand } from '../../sync-commands/outbox-command';
import { isConvertedLead, mondayChange, mondayRefresh, mondayValues, rejectedValues, salesforceCreate, salesforceUpdate } from '../command-builders';
import { decision, type Decision } from '../decision';
import { writableRecord } from '../record-ownership';
import { deadLettered, projected, skipped } from '../outcome';
import { NAME_KEY, type ResolvedField, type ResolvedObject } from '../../mapping/resolved-mapping';
import { heldBeforeRead, observe, readAfterErasure, readShowsHeld } from '../state/field-state';
import type { SyncContext } from '../sync-context';
import { addWaiting, newerWaiting, newRecord, waitingFor, type SyncRecord } from '../sync-record';

type MondayEvent = RecordedEvent &
  EventOfType<'monday.column_changed' | 'monday.item_created' | 'monday.item_renamed' | 'monday.item_deleted' | 'monday.item_archived' | 'monday.item_restored' | 'monday.item_snapshot'>;

/**
 * monday -> Salesforce: a monday fact updates the record's monday-side state and, when it changes
 * the agreed value, issues the Salesforce command (pure: no I/O; create_pulse carries no values, so
 * new items are read through a refresh command whose snapshot comes back as an event).
 */
export function decideMondayEvent(current: SyncRecord | null, event: MondayEvent, context: SyncContext): Decision {
  const boardId = String(event.payload.boardId);
  const object = context.mapping.byBoard.get(boardId);
  if (!object) return decision(current, skipped('unmapped_board', { boardId }));
  const record = current ? writableRecord(current, context) : null;
  switch (event.type) {
    case 'monday.item_created':
      return itemCreated(record, object, event);
    case 'monday.item_snapshot':
      return snapshot(record, object, event, context);
    case 'monday.column_changed':
      return columnChanged(record, object, event, context);
    case 'monday.item_renamed':
      if (!record) return unknownItem(object, event, object.fieldByColumn.get(NAME_KEY), event.payload.value.name);
      return valueChanged(record, object, event, object.fieldByColumn.get(NAME_KEY), event.payload.value.name, context, event.payload.previousValue ? { value: event.payload.previousValue.name } : undefined);
    case 'monday.item_deleted':
    case 'monday.item_archived':
      return removed(record, object, event);
    case 'monday.item_restored':
      if (!record?.deleted || record.deleted.side !== 'monday') return decision(record, skipped('unchanged_value'));
      record.deleted = null;
      return decision(record, projected('restored'));
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

function itemCreated(record: SyncRecord | null, object: ResolvedObject, event: MondayEvent & { type: 'monday.item_created' }): Decision {
  if (event.origin === 'own_echo') return decision(record, skipped('own_echo'));
  if (record) return decision(record, skipped('already_linked'));
  if (event.payload.parentItemId) return decision(null, skipped('not_synced_event', { subitem: true }));
  if (!object.mapping.create.salesforce.enabled) return decision(null, skipped('create_disabled'));
  const created = newRecord(object.mapping.key, String(event.payload.boardId), { mondayItemId: mondayItemIdOf(event) });
  return decision(created, projected('reading_new_item'), [mondayRefresh(object, created.mondayBoardId, mondayItemIdOf(event))]);
}

function snapshot(record: SyncRecord | null, object: ResolvedObject, event: MondayEvent & { type: 'monday.item_snapshot' }, context: SyncContext): Decision {
  const item = event.payload;
  const target = record ?? newRecord(object.mapping.key, item.boardId, { mondayItemId: item.itemId });
  if (target.deleted) return decision(target, skipped('deleted_record'));
  const at = item.updatedAt ? Date.parse(item.updatedAt) : event.occurredAt.getTime();
  const changed: ResolvedField[] = [];
  const problems: Record<string, string> = {};
  for (const field of object.fields) {
    if (field.key === NAME_KEY && isErased(item.name)) continue;
    const read = field.key === NAME_KEY ? { value: JSON.stringify(item.name), text: item.name } : item.columnValues.find((c) => c.id === field.key);
    if (!read) continue;
    const converted =
      field.key === NAME_KEY ? ({ kind: 'value', value: item.name } as const) : field.converter.fromMondayApi({ value: read.value, text: read.text, linkedItemIds: 'linkedItemIds' in read ? read.linkedItemIds : undefined }, context);
    // An empty cell of a field Salesforce requires (a new item's owner) is nothing to send: the
    // record keeps its value, a create gets Salesforce's default or fails naming the field. Only an
    // explicit change clearing it (a column_changed) is a rejected value.
    if (converted.kind === 'invalid' && converted.error.code !== 'REQUIRED_VALUE') problems[field.key] = converted.error.message;
    const waits = converted.kind === 'unresolved' && field.key !== NAME_KEY ? waitable(converted.reason) : null;
    if (waits) {
      // A relation to an item not linked yet: sent once that item's link appears (or this record's).
      // A person the user directory does not know yet: sent once a refresh adds them.
      const mondayRead = { value: read.value, text: read.text, linkedItemIds: 'linkedItemIds' in read ? read.linkedItemIds : undefined };
      if (!newerWaiting(target, field.key, at)) addWaiting(target, { fieldKey: field.key, towards: 'salesforce', mondayRead, at, ...waitingFor(waits) });
    }
    if (converted.kind !== 'value') continue;
    // A snapshot is read, then appended (a catch-up reads a whole board first): a webhook projected
    // meanwhile may be newer than what it read (seeds 220, 21), so it counts as a change at the item's
    // update time, not as what monday holds now. That time is to the second: a change seen in the same
    // second is taken as newer, and a later one of that second comes as its own webhook. A reconcile
    // read (crm-sync reconcile --fix, read just before it is appended) is what monday holds now.
    // An erased person's field: what the item holds is a baseline, never sent (FieldState.erased).
    if (readAfterErasure(target, field, 'monday', converted.value, at)) continue;
    if (readShowsHeld(target, field, 'monday', converted.value)) continue;
    // Unless the read began after what monday was last seen holding reached the log: then it shows a
    // change made after that, however its second compares (heldBeforeRead).
    const heldAt = heldBeforeRead(target, field.key, item.readAfter);
    const readNow = item.reason === 'reconcile' || heldAt !== null;
    const seen = observe(target, field, 'monday', converted.value, Math.max(at, heldAt ?? at), event.origin, { readNow, position: event.position });
    if (seen.accepted && seen.push) changed.push(field);
  }
  if (!target.salesforceId) return createIfAllowed(target, object, (columnId) => item.columnValues.find((c) => c.id === columnId)?.text ?? null, problems);
  const commands = [salesforceUpdate(object, target, changed), ...convertIfDue(target, object, (columnId) => item.columnValues.find((c) => c.id === columnId)?.text ?? null, at)];
  return decision(target, withProblems(projected('snapshot'), problems), [...commands, ...rejectedValues(object, target, 'salesforce', problems)]);
}

function createIfAllowed(record: SyncRecord, object: ResolvedObject, textOf: (columnId: string) => string | null, problems: Record<string, string>): Decision {
  const policy = object.mapping.create.salesforce;
  if (!policy.enabled) return decision(record, skipped('create_disabled'));
  if (record.creating === 'salesforce') return decision(record, skipped('already_creating'));
  if (policy.when && !conditionHolds(policy.when, textOf(policy.when.column))) {
    return decision(record, skipped('condition_false', { column: policy.when.column }));
  }
  record.creating = 'salesforce';
  return decision(record, withProblems(projected('creating_salesforce_record'), problems), [salesforceCreate(object, record), ...rejectedValues(object, record, 'salesforce', problems)]);
}

function columnChanged(record: SyncRecord | null, object: ResolvedObject, event: MondayEvent & { type: 'monday.column_changed' }, context: SyncContext): Decision {
  const { columnId } = event.payload;
  const field = object.fieldByColumn.get(columnId);
  if (!record) {
    const converted = field?.converter.fromMondayWebhook(event.payload.value, context);
    const waits = converted?.kind === 'unresolved' ? waitable(converted.reason) : null;
    return unknownItem(object, event, field, converted?.kind === 'value' ? converted.value : undefined, waits ? { mondayValue: event.payload.value, ...waitingFor(waits) } : undefined);
  }
  if (columnId === object.mapping.monday.salesforceIdColumn) return decision(record, skipped('unmapped_column', { salesforceIdColumn: true }));
  if (!field) return decision(record, skipped('unmapped_column', { columnId }));
  const converted = field.converter.fromMondayWebhook(event.payload.value, context);
  if (converted.kind === 'invalid') {
    const rejected = rejectedValues(object, record, 'salesforce', { [field.key]: converted.error.message });
    return decision(record, deadLettered('conversion_failed', { field: field.key, message: converted.error.message, hint: converted.error.hint }), rejected);
  }
  if (converted.kind === 'unresolved') {
    const waits = waitable(converted.reason);
    if (waits) {
      if (newerWaiting(record, field.key, atOf(event))) return decision(record, skipped('stale', { field: field.key, newerWaiting: true }));
      const entry = { fieldKey: field.key, towards: 'salesforce' as const, mondayValue: event.payload.value, at: atOf(event), ...waitingFor(waits) };
      record.waiting = record.waiting.filter((w) => w.fieldKey !== field.key).concat(entry);
      return decision(record, skipped(waits === 'unknown_user' ? 'waiting_for_user' : 'waiting_for_link', { field: field.key, detail: converted.detail }));
    }
    if (converted.reason === 'needs_api_read') return decision(record, projected('reading_item'), [mondayRefresh(object, record.mondayBoardId, record.mondayItemId as string)]);
    return decision(record, deadLettered(converted.reason, { field: field.key, detail: converted.detail }));
  }
  // What the column held right before this change: tells a change made over our own write from one
  // our write overwrote, where the two clocks may disagree (see observe).
  const before = event.payload.previousValue === undefined ? undefined : field.converter.fromMondayWebhook(event.payload.previousValue, context);
  return valueChanged(record, object, event, field, converted.value, context, before?.kind === 'value' ? { value: before.value } : undefined);
}

function valueChanged(
  record: SyncRecord | null,
  object: ResolvedObject,
  event: MondayEvent,
  field: ResolvedField | undefined,
  value: SalesforceValue,
  context: SyncContext,
  madeOver?: { value: SalesforceValue },
): Decision {
  if (!record) return decision(null, event.origin === 'own_echo' ? skipped('own_echo') : skipped('not_linked_yet'));
  if (!field) return decision(record, skipped('unmapped_column'));
  if (record.deleted) return decision(record, skipped('deleted_record'));
  if (newerWaiting(record, field.key, atOf(event))) return decision(record, skipped('stale', { field: field.key, newerWaiting: true }));
  record.waiting = record.waiting.filter((w) => !(w.fieldKey === field.key && w.towards === 'salesforce'));
  const seen = observe(record, field, 'monday', value, atOf(event), event.origin, { madeOver, position: event.position });
  if (!record.salesforceId) {
    if (seen.accepted === false && seen.reason === 'own_echo') return decision(record, skipped('own_echo'));
    const policy = object.mapping.create.salesforce;
    if (!policy.enabled) return decision(record, skipped('create_disabled'));
    if (record.creating === 'salesforce') return decision(record, skipped('already_creating'));
    if (policy.when && policy.when.column !== field.key) return decision(record, skipped('not_linked_yet'));
    if (policy.when && !conditionHolds(policy.when, labelOf(field, value))) return decision(record, skipped('condition_false', { column: field.key }));
    // A webhook carries one column: read the whole item, and create from that snapshot.
    return decision(record, projected('reading_item'), [mondayRefresh(object, record.mondayBoardId, record.mondayItemId as string)]);
  }
  const convert = convertIfDue(record, object, (columnId) => (columnId === field.key ? labelOf(field, value) : null), atOf(event));
  if (!seen.accepted && seen.repair) {
    return decision(record, projected('repair_behind', { field: field.key, why: seen.reason }), [mondayChange(object, record, mondayValues(record, [field], context)), ...convert]);
  }
  if (!seen.accepted) return decision(record, skipped(seen.reason), convert);
  if (!seen.push) return decision(record, skipped('unchanged_value', { target: 'salesforce' }), convert);
  if (isConvertedLead(object, record)) return decision(record, skipped('converted_lead', { field: field.key }));
  return decision(record, projected(), [salesforceUpdate(object, record, [field]), ...convert]);
}

/**
 * A change to an item we have no record of: it predates the sync, its create_pulse was filtered, or
 * we created it for a Salesforce record and its link is not recorded yet. The change is kept with
 * its exact time (an item read only has the item's update time, to the second) and the item is
 * read; both are merged into the record once linked.
 */
function unknownItem(
  object: ResolvedObject,
  event: MondayEvent & { type: 'monday.column_changed' | 'monday.item_renamed' },
  field: ResolvedField | undefined,
  value: SalesforceValue | undefined,
  waiting?: { mondayValue: unknown; waitsFor?: 'user' },
): Decision {
  if (event.origin === 'own_echo') return decision(null, skipped('own_echo'));
  if (!object.mapping.create.salesforce.enabled) return decision(null, skipped('not_linked_yet'));
  const created = newRecord(object.mapping.key, String(event.payload.boardId), { mondayItemId: mondayItemIdOf(event) });
  // A relation to an item not linked yet waits with its time, as on a known item (convergence seed
  // 3817: set on an item our create had just made, before its link; the item's read, timed by its
  // update second, lost to our create's write, so Salesforce never got the relation).
  // A person the user directory does not know yet waits the same way, for a refresh that adds them.
  if (field && waiting) addWaiting(created, { fieldKey: field.key, towards: 'salesforce', ...waiting, at: atOf(event) });
  if (field && value !== undefined) observe(created, field, 'monday', value, atOf(event), event.origin, { position: event.position });
  return decision(created, projected('reading_unknown_item'), [mondayRefresh(object, created.mondayBoardId, created.mondayItemId as string)]);
}

function removed(record: SyncRecord | null, object: ResolvedObject, event: MondayEvent & { type: 'monday.item_deleted' | 'monday.item_archived' }): Decision {
  if (!record) {
    if (event.origin === 'own_echo') return decision(null, skipped('own_echo'));
    // An item we have no record of: unsynced, or created by us for a Salesforce record whose link
    // is not recorded yet. A tombstone keyed by the item is merged into that record at the link,
    // so nothing is written to an item that is gone.
    const tombstone = newRecord(object.mapping.key, String(event.payload.boardId), { mondayItemId: mondayItemIdOf(event) });
    tombstone.deleted = { side: 'monday', at: atOf(event) };
    return decision(tombstone, skipped('not_linked_yet', { tombstone: true }));
  }
  if (record.deleted) return decision(record, skipped('deleted_record'));
  record.deleted = { side: 'monday', at: atOf(event) };
  if (event.origin === 'own_echo') return decision(record, skipped('own_echo'));
  // Salesforce has no archive: only the `delete` policy removes the Salesforce record.
  if (object.mapping.delete !== 'delete' || !record.salesforceId) return decision(record, projected('tombstoned'));
  const command: OutboxCommand = {
    kind: 'salesforce.delete',
    target: 'salesforce',
    objectKey: object.mapping.key,
    salesforceObject: object.mapping.salesforce,
    salesforceId: record.salesforceId,
  };
  return decision(record, projected('deleting_salesforce_record'), [command]);
}

/** Lead lifecycle: when the convert condition holds on the item, convert the linked Lead once. */
export function convertIfDue(record: SyncRecord, object: ResolvedObject, textOf: (columnId: string) => string | null, at: number): OutboxCommand[] {
  const convert = object.mapping.convert;
  if (!convert || record.convertedAt !== null || !record.salesforceId || !record.mondayItemId) return [];
  const text = textOf(convert.when.column);
  if (text === null || !conditionHolds(convert.when, text)) return [];
  record.convertedAt = at;
  return [
    {
      kind: 'salesforce.convert_lead',
      target: 'salesforce',
      objectKey: object.mapping.key,
      leadId: record.salesforceId,
      itemId: record.mondayItemId,
      ...(convert.convertedStatus ? { convertedStatus: convert.convertedStatus } : {}),
    },
  ];
}

/** The label a monday column shows for a Salesforce value (the `values` map, or the value itself). */
function labelOf(field: ResolvedField, value: SalesforceValue): string | null {
  if (value === null) return null;
  const text = String(value);
  return field.mapping.values[text] ?? text;
}

/**
 * An unresolved monday value that can become writable later, so it waits in the record: a relation
 * to an item not linked yet, or a person the user directory does not know yet (a refresh may add
 * them: system.user_directory_changed). Null for one that has to be read instead (needs_api_read).
 */
function waitable(reason: UnresolvedReason): 'not_linked' | 'unknown_user' | null {
  return reason === 'not_linked' || reason === 'unknown_user' ? reason : null;
}

function atOf(event: RecordedEvent): number {
  const changedAt = (event.payload as { changedAt?: unknown }).changedAt;
  // monday stamps changes to the microsecond: kept, two changes of one column in one millisecond
  // are ordered by it (rounded to the microsecond so a whole-millisecond stamp stays an integer).
  return typeof changedAt === 'number' ? Math.round(changedAt * 1e6) / 1e3 : event.occurredAt.getTime();
}

function withProblems<T extends { detail?: Record<string, unknown> }>(outcome: T, problems: Record<string, string>): T {
  return Object.keys(problems).length > 0 ? { ...outcome, detail: { ...outcome.detail, invalidValues: problems } } : outcome;
}
