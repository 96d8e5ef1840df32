import type { EventOfType, RecordedEvent } from '../../event-store';
import type { OutboxCommand } from '../../sync-commands/outbox-command';
import { decision, type Decision } from '../decision';
import { deadLettered, projected } from '../outcome';
import type { RecordKey } from '../decide';
import type { SyncContext } from '../sync-context';
import type { SyncRecord } from '../sync-record';

type MergeRequest = RecordedEvent & EventOfType<'system.merge_requested'>;

/** The master's record: by its Salesforce Id and by its item (the commands are queued on it). */
export function mergeRecordKeys(event: MergeRequest): RecordKey[] {
  const { objectKey, masterRecordId, masterItemId } = event.payload;
  const keys: RecordKey[] = [];
  if (masterRecordId) keys.push({ objectKey, salesforceId: masterRecordId });
  if (masterItemId) keys.push({ mondayItemId: masterItemId });
  return keys;
}

/**
 * An operator's merge of one cluster, as commands queued on the master's record (one after the
 * other, so relations are re-pointed before the items they named go): Salesforce merge() calls of
 * the master and up to two others; the relations that named a merged-away item re-pointed at the
 * master item; items with no merged record given the object's delete policy. Items of merged
 * records get nothing here: the merge's CDC delete of their record gives them the delete policy,
 * so each item is removed once.
 */
export function decideMergeRequested(record: SyncRecord | null, event: MergeRequest, context: SyncContext): Decision {
  const request = event.payload;
  const detail = { clusterId: request.clusterId };
  if (!context.mapping.byKey.has(request.objectKey)) return decision(record, deadLettered('merge_unmapped_object', { ...detail, objectKey: request.objectKey }));
  if (!record) return decision(null, deadLettered('merge_master_not_synced', { ...detail, master: request.master }));
  if (record.deleted) return decision(record, deadLettered('merge_master_deleted', { ...detail, master: request.master, deletedSide: record.deleted.side }));
  const mergedInto = request.masterItemId ? { crm: 'monday' as const, id: request.masterItemId } : request.master;
  const commands: OutboxCommand[] = [
    ...request.salesforceMerges.map(
      (merge): OutboxCommand => ({
        kind: 'salesforce.merge',
        target: 'salesforce',
        objectKey: request.objectKey,
        salesforceObject: request.salesforceObject,
        clusterId: request.clusterId,
        masterId: merge.masterId,
        mergeIds: merge.mergeIds,
        masterFields: merge.masterFields,
      }),
    ),
    ...request.repoints.map(
      (repoint): OutboxCommand => ({
        kind: 'monday.change_columns',
        target: 'monday',
        objectKey: repoint.objectKey,
        boardId: repoint.boardId,
        itemId: repoint.itemId,
        columnValues: { [repoint.column]: { item_ids: repoint.linkedItemIds.map(Number) } },
        createLabelsIfMissing: false,
      }),
    ),
  ];
  if (request.deletePolicy !== 'none') {
    for (const itemId of request.mondayLosers) {
      commands.push({
        kind: request.deletePolicy === 'delete' ? 'monday.delete_item' : 'monday.archive_item',
        target: 'monday',
        objectKey: request.objectKey,
        boardId: request.boardId,
        itemId,
        merge: { clusterId: request.clusterId, mergedInto },
      });
    }
  }
  return decision(record, projected('merge_requested', { ...detail, commands: commands.length }), commands);
}
