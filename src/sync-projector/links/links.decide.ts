import type { EventOfType, RecordedEvent } from '../../event-store';
import { mondayChange, mondayValues, salesforceUpdate } from '../command-builders';
import { copyRecord, decision, type Decision } from '../decision';
import { projected, skipped } from '../outcome';
import type { ResolvedField, ResolvedObject } from '../../mapping/resolved-mapping';
import { commandSettled, createdWithout, fieldsBehind, leftBehind, observe, waitedOverEchoedDefault, written } from '../state/field-state';
import type { SyncContext } from '../sync-context';
import { addWaiting, isLinked, newRecord, type Side, type SyncRecord } from '../sync-record';
import type { OutboxCommand } from '../../sync-commands/outbox-command';
import { convertIfDue } from '../to-salesforce/to-salesforce.decide';

type SystemFact = RecordedEvent & EventOfType<'system.record_linked' | 'system.command_succeeded' | 'system.command_failed' | 'system.lead_converted'>;

/**
 * Links and command outcomes: a link joins the monday item and the Salesforce record (the create
 * that made it finished, or a match was found); a succeeded command records what the target now
 * holds. Anything agreed meanwhile that a side still lacks is sent now, so edits made while a
 * create was in flight are not lost.
 */
export function decideSystemEvent(current: SyncRecord | null, event: SystemFact, context: SyncContext): Decision {
  switch (event.type) {
    case 'system.record_linked':
      return linked(current, event, context);
    case 'system.command_succeeded': {
      if (!current) return decision(null, skipped('not_linked_yet'));
      const record = copyRecord(current);
      const itemDeletedAt = event.payload.kind === 'salesforce.create' && !event.payload.result?.salesforceId ? event.payload.result?.mondayItemDeletedAt : undefined;
      if (typeof itemDeletedAt === 'number') return itemDeletedBeforeCreate(record, itemDeletedAt, event.payload.commandId);
      const side = event.payload.target;
      // Timed by when the write was sent, not when its success was recorded: a person's edit of the
      // target in between (already in the state) is newer than our write, or our write overwrote it
      // and its echo says so. Timed later, our value would hide theirs: a pending command then
      // dropped as held, or a redundant one kept (seeds 19, 21, 24, 1108).
      const at = event.payload.sentAt ?? event.occurredAt.getTime();
      const { seq } = event.payload;
      // A create is not numbered, but it comes before every numbered command towards the side it
      // created on (they follow its link): its outcome ends no wait for one (seed 1301: the link
      // pushed what monday changed during the create, and the create's success sent it again).
      const isCreate = event.payload.kind === 'salesforce.create' || event.payload.kind === 'monday.create_item';
      // Nor is a create's outcome newer than what was seen of the record it made (see linked: a
      // retry that found the create's progress is timed by its own send, fault seed 3310).
      const lost = Object.entries(event.payload.written).filter(
        ([key, value]) => !(isCreate && record.fields[key]?.[side]) && written(record, key, side, value, at, seq ?? (isCreate ? 0 : undefined), event.position),
      );
      // An update's outcome without a number was written before commands were numbered: which of
      // them it was is unknown, so every wait on that side ends, as an echo ended it then.
      const legacy = seq === undefined && (event.payload.kind === 'salesforce.update' || event.payload.kind === 'monday.change_columns');
      const settled = seq !== undefined ? commandSettled(record, side, seq) : legacy ? commandSettled(record, side, Number.MAX_SAFE_INTEGER) : [];
      const object = context.mapping.byKey.get(record.objectKey);
      // Fields that waited for this command: an older command of ours may have left the side without
      // the agreed value meanwhile (see leftBehind).
      const lostKeys = new Set(lost.map(([key]) => key));
      const behind = (seq === undefined ? [] : settled).filter((key) => !lostKeys.has(key)).flatMap((key) => object?.fieldByColumn.get(key) ?? []);
      const fields = [...[...lostKeys].flatMap((key) => object?.fieldByColumn.get(key) ?? []), ...behind.filter((field) => leftBehind(record, field, side, at))];
      if (!object || fields.length === 0 || record.deleted) return decision(record, projected('command_succeeded', { commandId: event.payload.commandId }));
      // Our write left the side without the agreed value (see written): send it there again.
      const repair = side === 'salesforce' ? salesforceUpdate(object, record, fields) : mondayChange(object, record, mondayValues(record, fields, context));
      return decision(record, projected('command_succeeded', { commandId: event.payload.commandId, repairing: fields.map((f) => f.key) }), [repair]);
    }
    case 'system.command_failed': {
      if (!current) return decision(null, skipped('not_linked_yet'));
      const record = copyRecord(current);
      const wasCreate = event.payload.kind === 'salesforce.create' || event.payload.kind === 'monday.create_item';
      if (event.payload.deadLettered && wasCreate) record.creating = null;
      // A dead letter is on its way nowhere (an operator's retry reports again under its number).
      if (event.payload.deadLettered && event.payload.seq !== undefined) commandSettled(record, event.payload.target, event.payload.seq);
      return decision(record, projected('command_failed', { commandId: event.payload.commandId, deadLettered: event.payload.deadLettered }));
    }
    case 'system.lead_converted':
      return decision(current, projected('lead_converted', { accountId: event.payload.accountId, opportunityId: event.payload.opportunityId }));
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/**
 * A Salesforce create found its item deleted before sending: nothing was created. The create is no
 * longer in flight (a restored item may be created again) and the monday side is tombstoned, as its
 * delete webhook does.
 */
function itemDeletedBeforeCreate(record: SyncRecord, at: number, commandId: number): Decision {
  if (record.creating === 'salesforce') record.creating = null;
  if (!record.deleted) record.deleted = { side: 'monday', at };
  return decision(record, projected('command_succeeded', { commandId, mondayItemDeleted: true }));
}

function linked(current: SyncRecord | null, event: SystemFact & { type: 'system.record_linked' }, context: SyncContext): Decision {
  const link = event.payload;
  const object = context.mapping.byKey.get(link.objectKey);
  if (!object) return decision(current, skipped('unmapped_object', { objectKey: link.objectKey }));
  const wasLinked = current !== null && isLinked(current);
  // Our create made a second item for a record linked meanwhile to another one: the create's outcome
  // was lost, and its retry came after the idempotency key's 30 minutes with the first item archived,
  // which no Id lookup shows (fault seed 2225). The record keeps its item; the new one is ours, removed.
  if (wasLinked && link.via === 'created_monday_item' && current.mondayItemId !== link.mondayItemId) {
    const duplicate: OutboxCommand = { kind: 'monday.delete_item', target: 'monday', objectKey: object.mapping.key, boardId: link.mondayBoardId, itemId: link.mondayItemId };
    return decision(current, projected('duplicate_item_removed', { itemId: link.mondayItemId, keeps: current.mondayItemId }), [duplicate]);
  }
  const record = current ? copyRecord(current) : newRecord(link.objectKey, link.mondayBoardId, {});
  record.salesforceId = link.salesforceId;
  record.mondayItemId = link.mondayItemId;
  record.mondayBoardId = link.mondayBoardId;
  record.creating = null;
  // Timed like a succeeded write (0b62e94), by when the create was sent: a person's edit of the new
  // record seen before the link is recorded was made after it and is newer than what we wrote.
  const at = link.sentAt ?? event.occurredAt.getTime();
  // The create's item was deleted while it ran (the Id could not be written back): the same tombstone
  // its delete webhook makes, whichever of the two is decided first.
  if (link.mondayItemDeletedAt !== undefined && !record.deleted) record.deleted = { side: 'monday', at: link.mondayItemDeletedAt };
  // The item's Id column named a record a person deleted: the same tombstone its CDC delete makes.
  if (link.salesforceRecordDeletedAt !== undefined && !record.deleted) record.deleted = { side: 'salesforce', at: link.salesforceRecordDeletedAt };
  // Removed on one side before the link was recorded (its tombstone was merged in): the `delete`
  // policy applies now, as it would have in real time, and nothing else is written.
  if (record.deleted && !wasLinked) {
    const removal = removalOfOtherSide(record, object);
    return decision(record, projected('linked', { via: link.via, tombstone: record.deleted.side, ...(removal ? { removing: removal.kind } : {}) }), [removal]);
  }
  // The values are what the create wrote to the new side. The other side may have changed since
  // the create was decided (its change events are already in the state): only fill in what we
  // know nothing of there, or a later edit would look like it is already held on both sides.
  // Nor over what was seen of the new side's record itself (its create's echo, a person's change):
  // that record did not exist before our create landed, so what was seen of it is as new or newer,
  // whatever `at` says. A retry that found the create's progress is timed by its own send, long
  // after the create landed: a person's change seen in between lost to the create's values, so a
  // later edit back to them was taken as held there and never sent (fault seed 3310).
  const created: Side | null = link.via === 'created_monday_item' ? 'monday' : link.via === 'created_salesforce_record' ? 'salesforce' : null;
  for (const [key, value] of Object.entries(link.values)) {
    for (const side of ['salesforce', 'monday'] as const) {
      if (!record.fields[key]?.[side]) written(record, key, side, value, at, undefined, event.position);
    }
  }
  if (created) notCreated(record, object, link.values, created, at);
  const convert = convertIfDue(record, object, (columnId) => agreedLabel(record, object, columnId), at);
  return decision(record, projected('linked', { via: link.via }), [...catchUp(record, object, context, at), ...convert]);
}

/**
 * Fields our create on `side` did not carry (not in its values) hold nothing there: a relation that
 * waited while the create was decided (seed 3088: set, then cleared on monday before its write was
 * sent, it wrote a null over the create's null), or one a person cleared while the create ran (seed
 * 3569). Fields never changed by anyone (agreedAt 0) and unseen ones are left to the create's echo:
 * the side may have set a default there.
 */
function notCreated(record: SyncRecord, object: ResolvedObject, values: Readonly<Record<string, unknown>>, side: Side, at: number): void {
  for (const field of object.fields) {
    if (field.key in values) continue;
    const state = record.fields[field.key];
    const waits = record.waiting.some((w) => w.fieldKey === field.key && w.towards === side);
    if (state ? !state.erased && state.agreedAt > 0 : waits) createdWithout(record, field.key, side, at);
  }
}

/**
 * The `delete` policy towards the side that still has the record: monday items are archived or
 * deleted; Salesforce has no archive, so only `delete` removes the record there.
 */
function removalOfOtherSide(record: SyncRecord, object: ResolvedObject): OutboxCommand | null {
  const policy = object.mapping.delete;
  if (!record.deleted || policy === 'none') return null;
  if (record.deleted.side === 'monday') {
    if (policy !== 'delete' || !record.salesforceId) return null;
    return { kind: 'salesforce.delete', target: 'salesforce', objectKey: object.mapping.key, salesforceObject: object.mapping.salesforce, salesforceId: record.salesforceId };
  }
  if (!record.mondayItemId) return null;
  return { kind: policy === 'delete' ? 'monday.delete_item' : 'monday.archive_item', target: 'monday', objectKey: object.mapping.key, boardId: record.mondayBoardId, itemId: record.mondayItemId };
}

/** The label the item shows in `columnId`, from the agreed value (conditions are written in labels). */
export function agreedLabel(record: SyncRecord, object: ResolvedObject, columnId: string): string | null {
  const field = object.fieldByColumn.get(columnId);
  const agreed = record.fields[columnId]?.agreed;
  if (!field || agreed === undefined || agreed === null || Array.isArray(agreed)) return null;
  return field.mapping.values[String(agreed)] ?? String(agreed);
}

/** Commands bringing each side up to the agreed values it is missing (relations to records not linked yet wait). */
export function catchUp(record: SyncRecord, object: ResolvedObject, context: SyncContext, at: number) {
  if (record.deleted) return [];
  const toSalesforce = salesforceUpdate(object, record, fieldsBehind(record, object.fields, 'salesforce').filter((f) => record.fields[f.key]?.agreedFrom === 'monday'));
  const behindOnMonday = fieldsBehind(record, object.fields, 'monday').filter((f) => record.fields[f.key]?.agreedFrom === 'salesforce' && !waitingOnMonday(record, f.key));
  const values = mondayValues(record, behindOnMonday, context);
  waitTowardsMonday(record, values.waiting, at);
  return [toSalesforce, mondayChange(object, record, values)];
}

/**
 * monday holds a person's value of this field that waits to be sent to Salesforce (a relation for
 * its link, a person for the user directory), made after the agreed value or over what Salesforce set
 * itself in our create (its default OwnerId): writing the agreed value to monday would overwrite it,
 * and its echo would then cancel the waiting value (the owner set on a new item, lost on both sides).
 */
function waitingOnMonday(record: SyncRecord, fieldKey: string): boolean {
  const state = record.fields[fieldKey];
  return record.waiting.some((w) => w.fieldKey === fieldKey && w.towards === 'salesforce' && (state === undefined || state.echoed === true || w.at >= state.agreedAt));
}

/** Relation values monday cannot show yet (their record is not linked): kept until a link resolves them. */
export function waitTowardsMonday(record: SyncRecord, fields: readonly ResolvedField[], at: number): void {
  for (const field of fields) addWaiting(record, { fieldKey: field.key, towards: 'monday', at });
}

/**
 * Values that waited for another record to be linked, or for the user directory to know a person:
 * convert them again now (at a new link, or a directory refresh that added users); those that
 * resolve are sent, the rest keep waiting.
 */
export function resolveWaiting(current: SyncRecord, object: ResolvedObject, context: SyncContext): Decision {
  if (current.deleted) return decision(current, skipped('deleted_record'));
  const record = copyRecord(current);
  const toSalesforce = [];
  const toMonday = [];
  const stillWaiting = [];
  for (const waiting of record.waiting) {
    const field = object.fieldByColumn.get(waiting.fieldKey);
    if (!field) continue;
    // The record itself is still being created on that side: its own link resolves it.
    if (!(waiting.towards === 'salesforce' ? record.salesforceId : record.mondayItemId)) {
      stillWaiting.push(waiting);
      continue;
    }
    if (waiting.towards === 'salesforce') {
      const converted = waiting.mondayRead ? field.converter.fromMondayApi(waiting.mondayRead, context) : field.converter.fromMondayWebhook(waiting.mondayValue, context);
      if (converted.kind !== 'value') {
        if (converted.kind === 'unresolved' && (converted.reason === 'not_linked' || converted.reason === 'unknown_user')) stillWaiting.push(waiting);
        continue;
      }
      waitedOverEchoedDefault(record, field.key, waiting.at);
      const seen = observe(record, field, 'monday', converted.value, waiting.at, 'user');
      if (seen.accepted && seen.push) toSalesforce.push(field);
    } else {
      // The agreed value changed since to one monday holds (the relation cleared): nothing to send.
      if (fieldsBehind(record, [field], 'monday').length === 0) continue;
      const values = mondayValues(record, [field], context);
      if (values.waiting.length > 0) stillWaiting.push(waiting);
      else toMonday.push(field);
    }
  }
  if (stillWaiting.length === record.waiting.length) return decision(current, skipped('waiting_for_link'));
  record.waiting = stillWaiting;
  return decision(record, projected('reference_resolved'), [
    salesforceUpdate(object, record, toSalesforce),
    mondayChange(object, record, mondayValues(record, toMonday, context)),
  ]);
}
