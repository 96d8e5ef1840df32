import type { Queryable } from '../event-store/queryable';

/** How each CRM knows a sync record. */
export interface RecordKeys {
  objectKey: string;
  salesforceId: string | null;
  mondayBoardId: string;
  mondayItemId: string | null;
}

/** The CRM keys of the records `recordIds` name, by id (ids with no record, e.g. merged away, are absent). */
export async function recordKeysByIds(db: Queryable, recordIds: readonly number[]): Promise<Map<number, RecordKeys>> {
  if (recordIds.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; object_key: string; salesforce_id: string | null; monday_board_id: string; monday_item_id: string | null }>(
    'SELECT id, object_key, salesforce_id, monday_board_id, monday_item_id FROM sync_records WHERE id = ANY($1::bigint[])',
    [recordIds],
  );
  return new Map(rows.map((r) => [Number(r.id), { objectKey: r.object_key, salesforceId: r.salesforce_id, mondayBoardId: r.monday_board_id, mondayItemId: r.monday_item_id }]));
}
