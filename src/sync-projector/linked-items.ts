import type { Queryable } from '../event-store/queryable';

/**
 * Which of these monday items the sync already links to a Salesforce record (item id -> 18-char
 * Id): such an item belongs to that record and is never taken by a match for another one.
 */
export async function linkedItems(db: Queryable, itemIds: readonly string[]): Promise<Map<string, string>> {
  if (itemIds.length === 0) return new Map();
  const { rows } = await db.query<{ monday_item_id: string; salesforce_id: string }>(
    'SELECT monday_item_id, salesforce_id FROM sync_records WHERE monday_item_id = ANY($1::text[]) AND salesforce_id IS NOT NULL',
    [itemIds],
  );
  return new Map(rows.map((r) => [r.monday_item_id, r.salesforce_id]));
}
