import type { Queryable } from '../event-store/queryable';

export interface RecordIdentity {
  id: number;
  objectKey: string;
  salesforceId: string | null;
  mondayItemId: string | null;
}

/** The sync records linked to one of `itemIds`, or of `objectKeys` holding one of `salesforceIds` (18 characters). */
export async function recordsOfItems(db: Queryable, objectKeys: readonly string[], itemIds: readonly string[], salesforceIds: readonly string[]): Promise<RecordIdentity[]> {
  const { rows } = await db.query<{ id: string; object_key: string; salesforce_id: string | null; monday_item_id: string | null }>(
    `SELECT id, object_key, salesforce_id, monday_item_id FROM sync_records
     WHERE monday_item_id = ANY($1::text[]) OR (object_key = ANY($2::text[]) AND salesforce_id = ANY($3::text[]))`,
    [itemIds, objectKeys, salesforceIds],
  );
  return rows.map((r) => ({ id: Number(r.id), objectKey: r.object_key, salesforceId: r.salesforce_id, mondayItemId: r.monday_item_id }));
}

/** Whether the sync links any item to a record of these mapped objects. */
export async function anyItemLinked(db: Queryable, objectKeys: readonly string[]): Promise<boolean> {
  const { rows } = await db.query<{ linked: boolean }>('SELECT EXISTS (SELECT 1 FROM sync_records WHERE object_key = ANY($1::text[]) AND monday_item_id IS NOT NULL) AS linked', [objectKeys]);
  return rows[0]?.linked ?? false;
}
