import { assertNever, mondayItemIdOf, type RecordedEvent } from '../event-store';
import { hasErasedValues, withoutErasedValues } from '../personal-data/erased';
import { decision, type Decision } from './decision';
import { decideErasure, erasedItemIds } from './erasure.decide';
import { decideMergeRequested, mergeRecordKeys } from './merge/merge.decide';
import { decideReconcileSnapshot, reconcileSnapshotOf } from './reconcile-repair.decide';
import { decideSystemEvent } from './links/links.decide';
import { projected, skipped } from './outcome';
import type { SyncContext } from './sync-context';
import type { SyncRecord } from './sync-record';
import { decideSalesforceEvent } from './to-monday/to-monday.decide';
import { decideMondayEvent } from './to-salesforce/to-salesforce.decide';

/**
 * The sync projector's decision for one event: a pure function of (record, event, context)
 * (style lesson 2). The runner finds the record, calls this, and stores the new record state, the
 * commands and the outcome in one transaction with its checkpoint (invariant 4).
 */
export function decide(record: SyncRecord | null, recorded: RecordedEvent, context: SyncContext): Decision {
  // Values of an erased person read as erased: they are left out, never written to either CRM.
  const event = hasErasedValues(recorded) ? withoutErasedValues(recorded) : recorded;
  if (!event) return decision(record, skipped('erased_value'));
  const reconcile = reconcileSnapshotOf(event);
  if (reconcile) return decideReconcileSnapshot(record, reconcile, context);
  switch (event.type) {
    case 'monday.item_created':
    case 'monday.column_changed':
    case 'monday.item_renamed':
    case 'monday.item_deleted':
    case 'monday.item_archived':
    case 'monday.item_restored':
    case 'monday.item_snapshot':
      return decideMondayEvent(record, event, context);
    case 'salesforce.record_changed':
    case 'salesforce.record_snapshot':
    case 'backfill.record_snapshot':
      return decideSalesforceEvent(record, event, context);
    case 'system.record_linked':
    case 'system.command_succeeded':
    case 'system.command_failed':
    case 'system.lead_converted':
      return decideSystemEvent(record, event, context);
    case 'system.merge_requested':
      return decideMergeRequested(record, event, context);
    case 'monday.item_moved':
    case 'monday.item_update_posted':
    case 'monday.column_created':
    case 'monday.unknown':
    case 'salesforce.change_gap':
    case 'system.personal_data_erased':
      return decideErasure(record, context);
    case 'system.catch_up_requested':
    case 'system.record_merged':
      return decision(record, skipped('not_synced_event'));
    case 'system.user_directory_changed':
      // Names no record: the runner converts again the values waiting for a person (resolvesWaitingForUsers).
      return decision(record, projected('user_directory_changed', { added: event.payload.added }));
    default:
      return assertNever(event);
  }
}

/**
 * Events whose keys name several records, each decided on its own (the runner calls decide once per
 * key), instead of keys of one record that a link may join.
 */
export function decidesEachRecord(event: RecordedEvent): boolean {
  return event.type === 'system.personal_data_erased';
}

/**
 * Events after which the values waiting for the user directory (a person it did not know) are
 * converted again: a refresh found users it did not have. The runner resolves them, as it resolves
 * the relations waiting for a link when a link appears.
 */
export function resolvesWaitingForUsers(event: RecordedEvent): boolean {
  return event.type === 'system.user_directory_changed';
}

/** Which record an event concerns, for the runner to load before calling decide. */
export type RecordKey = { mondayItemId: string } | { objectKey: string; salesforceId: string } | { recordId: number } | null;

export function recordKeysOf(event: RecordedEvent, context: SyncContext): RecordKey[] {
  switch (event.type) {
    case 'monday.item_created':
    case 'monday.column_changed':
    case 'monday.item_renamed':
    case 'monday.item_deleted':
    case 'monday.item_archived':
    case 'monday.item_restored':
    case 'monday.item_snapshot':
      return [{ mondayItemId: mondayItemIdOf(event) }];
    case 'salesforce.record_changed': {
      const key = context.mapping.bySalesforceObject.get(event.payload.object)?.mapping.key;
      return key ? [{ objectKey: key, salesforceId: event.payload.recordId }] : [];
    }
    case 'salesforce.record_snapshot':
    case 'backfill.record_snapshot': {
      const key = context.mapping.bySalesforceObject.get(event.payload.object)?.mapping.key;
      return key ? [{ objectKey: key, salesforceId: event.payload.record.Id }] : [];
    }
    case 'system.record_linked':
      return [{ mondayItemId: event.payload.mondayItemId }, { objectKey: event.payload.objectKey, salesforceId: event.payload.salesforceId }];
    case 'system.command_succeeded':
    case 'system.command_failed':
      return [{ recordId: event.payload.recordId }];
    case 'system.lead_converted':
      return event.payload.mondayItemId ? [{ mondayItemId: event.payload.mondayItemId }] : [];
    case 'system.merge_requested':
      return mergeRecordKeys(event);
    case 'system.personal_data_erased':
      // Every item of the person (a Lead's and its Contact's, several sharing an e-mail): each its
      // own record, decided one by one (decidesEachRecord), never joined as one record's keys.
      return erasedItemIds(event).map((mondayItemId) => ({ mondayItemId }));
    // No record of their own: decide skips them (or they are not the sync projector's).
    case 'monday.item_moved':
    case 'monday.item_update_posted':
    case 'monday.column_created':
    case 'monday.unknown':
    case 'salesforce.change_gap':
    case 'system.catch_up_requested':
    case 'system.record_merged':
    case 'system.user_directory_changed':
      return [];
    default: {
      // A new event type fails the build here until it names the records it concerns.
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
