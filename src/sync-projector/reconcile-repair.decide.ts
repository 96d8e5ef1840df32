import type { EventOfType, RecordedEvent } from '../event-store';
import { to18 } from '../mapping/salesforce-id';
import type { SalesforceValue } from '../mapping/converters/converter.types';
import type { OutboxCommand } from '../sync-commands/outbox-command';
import { mondayChange, mondayValues, salesforceUpdate } from './command-builders';
import { copyRecord, decision, type Decision } from './decision';
import { projected, skipped } from './outcome';
import { NAME_KEY, type ResolvedField, type ResolvedObject } from '../mapping/resolved-mapping';
import type { SyncContext } from './sync-context';
import { otherSide, type Side, type SideValue, type SyncRecord } from './sync-record';
import { decideSalesforceEvent } from './to-monday/to-monday.decide';
import { decideMondayEvent } from './to-salesforce/to-salesforce.decide';

export type ReconcileSnapshot = RecordedEvent & EventOfType<'monday.item_snapshot' | 'salesforce.record_snapshot'>;

/** Snapshots `crm-sync reconcile --fix` appended: read from a CRM just now, behind which drift was found. */
export function reconcileSnapshotOf(event: RecordedEvent): ReconcileSnapshot | null {
  return (event.type === 'monday.item_snapshot' || event.type === 'salesforce.record_snapshot') && event.payload.reason === 'reconcile' ? event : null;
}

/**
 * A reconcile snapshot is decided like any snapshot (the state learns what the side really holds;
 * a newer value that wins is pushed to the other side), plus repairs an ordinary snapshot does not
 * make, because the drift happened behind our back and the state cannot know the other side is off:
 * - reconcile carries a drifting field only in the snapshot of the side that should win; unless the
 *   snapshot's own decision already sends it, the agreed value is sent to the other side even though
 *   the state believes that side holds it ("state says A on both sides, Salesforce really holds B,
 *   monday owns the field": without this the drift would stay forever);
 * - a carried field whose value lost (older than the agreed one) is rewritten on its own side;
 * - an item whose Salesforce Id column does not name the linked record gets the right Id back;
 * - a snapshot of a removed item (state archived/deleted) or record (`IsDeleted: true`) applies the
 *   delete the webhook or change event would have carried, per the object's `delete` policy.
 * A monday snapshot always carries the item name; the name is only sent on when the state does not
 * already know the other side holds the agreed name (the ordinary second guard). A field whose
 * person was erased is never repaired: its snapshot is a baseline (readAfterErasure).
 */
export function decideReconcileSnapshot(current: SyncRecord | null, event: ReconcileSnapshot, context: SyncContext): Decision {
  if (event.type === 'monday.item_snapshot') {
    const object = context.mapping.byBoard.get(event.payload.boardId);
    if (!object) return decideMondayEvent(current, event, context);
    const at = event.payload.updatedAt ? Date.parse(event.payload.updatedAt) : event.occurredAt.getTime();
    if (event.payload.state !== 'active') return removed(current, object, 'monday', at);
    const base = decideMondayEvent(current, event, context);
    const carried = object.fields.filter((f) => f.key === NAME_KEY || event.payload.columnValues.some((c) => c.id === f.key));
    const idColumn = event.payload.columnValues.find((c) => c.id === object.mapping.monday.salesforceIdColumn);
    return withRepairs(base, object, 'monday', carried, context, idColumn ? (idColumn.text ?? '').trim() : undefined);
  }
  const object = context.mapping.bySalesforceObject.get(event.payload.object);
  if (!object) return decideSalesforceEvent(current, event, context);
  if (event.payload.record.IsDeleted === true) {
    const at = Date.parse(event.payload.systemModstamp);
    return removed(current, object, 'salesforce', Number.isNaN(at) ? event.occurredAt.getTime() : at);
  }
  const base = decideSalesforceEvent(current, event, context);
  const names = Object.keys(event.payload.record);
  const carried = object.fields.filter((f) => f.salesforceFields.some((name) => names.includes(name)));
  return withRepairs(base, object, 'salesforce', carried, context, undefined);
}

function withRepairs(base: Decision, object: ResolvedObject, side: Side, carried: readonly ResolvedField[], context: SyncContext, idColumnText: string | undefined): Decision {
  const record = base.record;
  if (!record || record.deleted || !record.salesforceId || !record.mondayItemId) return base;
  const other = otherSide(side);
  const differs = (field: ResolvedField, held: SideValue | undefined, agreed: SalesforceValue) => !held || !field.converter.equals(held.value, agreed);
  // A field whose person was erased (FieldState.erased) is a baseline: what each side holds is
  // theirs, never written to either CRM (issue 19), drift or not.
  const repairable = carried.filter((field) => !record.fields[field.key]?.erased);
  const toOther = repairable.filter((field) => {
    const state = record.fields[field.key];
    if (!state || alreadySent(base.commands, field, other)) return false;
    return field.key === NAME_KEY && side === 'monday' ? differs(field, state[other], state.agreed) : true;
  });
  const toOwn = repairable.filter((field) => {
    const state = record.fields[field.key];
    return state !== undefined && state[side] !== undefined && differs(field, state[side], state.agreed);
  });
  const towardsMonday = side === 'monday' ? toOwn : toOther;
  const towardsSalesforce = side === 'monday' ? toOther : toOwn;
  const repairs: OutboxCommand[] = [];
  const update = salesforceUpdate(object, record, towardsSalesforce);
  if (update) repairs.push(update);
  const values = mondayValues(record, towardsMonday, context);
  const expectedId = to18(record.salesforceId);
  if (idColumnText !== undefined && idColumnText !== expectedId) values.columnValues[object.mapping.monday.salesforceIdColumn] = expectedId;
  const change = mondayChange(object, record, values);
  if (change) repairs.push(change);
  if (repairs.length === 0) return base;
  const detail = {
    salesforce: towardsSalesforce.map((f) => f.key),
    monday: towardsMonday.map((f) => f.key),
    ...(base.outcome.reason ? { then: base.outcome.reason } : {}),
  };
  return decision(record, projected('reconcile_repair', detail), [...base.commands, ...repairs]);
}

/** Whether one of the decision's commands already writes `field` to `target`. */
function alreadySent(commands: readonly OutboxCommand[], field: ResolvedField, target: Side): boolean {
  return commands.some((command) => {
    if (command.target !== target) return false;
    if (command.kind === 'salesforce.update') return field.salesforceFields.some((name) => name in command.fields);
    if (command.kind === 'monday.change_columns') return field.key === NAME_KEY ? command.name !== undefined : field.key in command.columnValues;
    return false;
  });
}

/** What an item_deleted / item_archived webhook or a DELETE change event would have done. */
function removed(current: SyncRecord | null, object: ResolvedObject, side: Side, at: number): Decision {
  if (!current) return decision(null, skipped('not_linked_yet'));
  if (current.deleted) return decision(current, skipped('deleted_record'));
  const record = copyRecord(current);
  record.deleted = { side, at };
  const policy = object.mapping.delete;
  if (side === 'monday') {
    // Salesforce has no archive: only the `delete` policy removes the Salesforce record.
    if (policy !== 'delete' || !record.salesforceId) return decision(record, projected('tombstoned'));
    return decision(record, projected('deleting_salesforce_record'), [
      { kind: 'salesforce.delete', target: 'salesforce', objectKey: object.mapping.key, salesforceObject: object.mapping.salesforce, salesforceId: record.salesforceId },
    ]);
  }
  if (!record.mondayItemId || policy === 'none') return decision(record, projected('tombstoned'));
  const kind = policy === 'delete' ? 'monday.delete_item' : 'monday.archive_item';
  return decision(record, projected(kind), [{ kind, target: 'monday', objectKey: object.mapping.key, boardId: record.mondayBoardId, itemId: record.mondayItemId }]);
}
