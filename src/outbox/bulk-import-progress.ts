import type { Queryable } from '../event-store/queryable';
import { HELD_IN_ID_ORDER } from './claim';

/**
 * What a monday bulk-import job did for the create commands it took, stored as each command's
 * progress so the dispatcher links (or creates) from it: the outbox's side of the backfill's bulk
 * path (src/migration drives the jobs).
 */

/** Progress of a held command no job created (left out, or a row the job refused): no later job takes it again. */
const NOT_CREATED_BY_BULK_IMPORT = { via: 'bulk_import_not_created' } as const;

/**
 * The board's create commands no attempt has progressed, as [command id, 15-char Salesforce Id].
 * Matched in node rather than in one UPDATE joining the report's rows on payload->>'salesforceId':
 * Postgres estimates that filter to a row or two and compares every row with every command
 * (20,000 x 20,000: 6.5 minutes).
 */
const WAITING_CREATES_SQL = `
SELECT id, left(payload->>'salesforceId', 15) AS salesforce_id FROM outbox
WHERE status IN ('pending', 'in_flight') AND payload->>'kind' = 'monday.create_item' AND payload->>'boardId' = $1 AND progress IS NULL`;

export async function waitingCreatesOfBoard(db: Queryable, boardId: string): Promise<Array<{ id: string; salesforceId: string }>> {
  const { rows } = await db.query<{ id: string; salesforce_id: string }>(WAITING_CREATES_SQL, [boardId]);
  return rows.map((r) => ({ id: r.id, salesforceId: r.salesforce_id }));
}

/**
 * Rows are locked in id order first, as every claim confirmation locks them (HELD_IN_ID_ORDER,
 * used by the two writes below too): an UPDATE joined on the report's order locked them in that order and deadlocked
 * with the lease renewal of the same held rows (100,000-Lead bench: the backfill failed).
 */
const STORE_CREATED_SQL = `
WITH created AS (
  SELECT o.id, u.item_id FROM outbox o JOIN unnest($1::bigint[], $2::text[]) AS u(id, item_id) ON o.id = u.id
  WHERE o.status IN ('pending', 'in_flight') AND o.progress IS NULL
  ORDER BY o.id FOR UPDATE OF o
)
UPDATE outbox o
SET progress = jsonb_build_object('mondayItemId', created.item_id, 'via', 'bulk_import')
FROM created
WHERE o.id = created.id AND o.progress IS NULL`;

/** The item a job created for each command (same order), unless an attempt progressed it meanwhile. */
export async function storeItemsCreatedByBulkImport(db: Queryable, commandIds: readonly string[], itemIds: readonly string[]): Promise<void> {
  if (commandIds.length > 0) await db.query(STORE_CREATED_SQL, [commandIds, itemIds]);
}

/** Held commands whose follow-up write failed: progress cleared, so the dispatcher handles them from scratch. */
export async function clearHeldProgress(db: Queryable, ids: readonly number[], claimToken: string): Promise<void> {
  if (ids.length === 0) return;
  await db.query(`WITH held AS (${HELD_IN_ID_ORDER}) UPDATE outbox o SET progress = NULL FROM held WHERE o.id = held.id`, [ids, claimToken]);
}

/** Held commands no job created: marked (NOT_CREATED_BY_BULK_IMPORT) unless they progressed. */
export async function markHeldNotCreated(db: Queryable, ids: readonly number[], claimToken: string): Promise<void> {
  await db.query(`WITH held AS (${HELD_IN_ID_ORDER}) UPDATE outbox o SET progress = $3::jsonb FROM held WHERE o.id = held.id AND o.progress IS NULL`, [
    ids,
    claimToken,
    JSON.stringify(NOT_CREATED_BY_BULK_IMPORT),
  ]);
}
