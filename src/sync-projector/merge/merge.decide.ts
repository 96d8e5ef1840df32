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
 * other, so relations are re-pointed before the items they named go):
 * - Salesforce merge() calls of the master and up to two others;
 * - per board that looks the object up, one re-pointing of the relations that name a merged-away
 *   item (the command reads the board when it runs, not when the merge was planned);
 * - items with no merged record given the object's delete policy. Items of merged records get the
 *   policy from the merge's CDC delete, so each item is removed once;
 * - with `delete: none`, every merged-away item is kept and gets an update naming the master.
 */
export function decideMergeRequested(record: SyncRecord | null, event: MergeRequest, context: SyncContext): Decision {
  const request = event.payload;
  const detail = { clusterId: request.clusterId };
  if (!context.mapping.byKey.has(request.objectKey)) return decision(record, deadLettered('merge_unmapped_object', { ...detail, objectKey: request.objectKey }));
  if (!record) return decision(null, deadLettered('merge_master_not_synced', { ...detail, master: request.master }));
  if (record.deleted) return decision(record, deadLettered('merge_master_deleted', { ...detail, master: request.master, deletedSide: record.deleted.side }));
  const mergedInto = request.masterItemId ? { crm: 'monday' as const, id: request.masterItemId } : request.master;
  const merge = { clusterId: request.clusterId, mergedInto };
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
    ...relationRepoints(request, context),
  ];
  if (request.deletePolicy === 'none') {
    for (const itemId of [...request.itemsFollowingMerge, ...request.mondayLosers]) {
      commands.push({ kind: 'monday.note_merged', target: 'monday', objectKey: request.objectKey, boardId: request.boardId, itemId, merge });
    }
  } else {
    for (const itemId of request.mondayLosers) {
      commands.push({
        kind: request.deletePolicy === 'delete' ? 'monday.delete_item' : 'monday.archive_item',
        target: 'monday',
        objectKey: request.objectKey,
        boardId: request.boardId,
        itemId,
        merge,
      });
    }
  }
  return decision(record, projected('merge_requested', { ...detail, commands: commands.length }), commands);
}

/**
 * One re-pointing per board whose mapped relation columns look the merged object up. Only items
 * with no merged record are re-pointed here: the relations to items of merged records follow
 * Salesforce's reparenting (the merge's CDC changes and the catch-up it requests).
 */
function relationRepoints(request: MergeRequest['payload'], context: SyncContext): OutboxCommand[] {
  if (!request.masterItemId || request.mondayLosers.length === 0) return [];
  const commands: OutboxCommand[] = [];
  for (const object of context.mapping.objects) {
    const columns = object.fields.filter((f) => f.mapping.reference === request.objectKey).map((f) => f.mapping.monday);
    if (columns.length === 0) continue;
    commands.push({
      kind: 'monday.repoint_relations',
      target: 'monday',
      objectKey: object.mapping.key,
      boardId: object.mapping.monday.board,
      columns,
      mergedItemIds: [...request.mondayLosers],
      masterItemId: request.masterItemId,
      clusterId: request.clusterId,
    });
  }
  return commands;
}
