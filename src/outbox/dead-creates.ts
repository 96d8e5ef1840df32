import type { Queryable } from '../event-store/queryable';

/**
 * Sync record id -> why its last create command was dead-lettered (hint, else message), for every
 * record that has one: the create policy's item or record never appeared.
 */
export async function deadCreateMessages(db: Queryable): Promise<Map<number, string>> {
  const { rows } = await db.query<{ record_id: string; message: string | null }>(
    `SELECT DISTINCT ON (record_id) record_id, coalesce(last_error->>'hint', last_error->>'message') AS message
     FROM outbox WHERE status = 'dead' AND kind IN ('monday.create_item', 'salesforce.create')
     ORDER BY record_id, id DESC`,
  );
  return new Map(rows.map((r) => [Number(r.record_id), r.message ?? 'no message']));
}
