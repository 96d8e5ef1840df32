import type { Queryable } from '../../event-store/queryable';

/**
 * CDC gap catch-ups: ingest appends a `system.catch_up_requested` event for a gap, and the targeted
 * backfill that serves it records a catch_up_served row. "Pending" requests are those events with no
 * such row: one anti-join over both tables, so the /health check and the alerts count consistently.
 */
export const PENDING_CATCH_UPS_SQL = `
SELECT e.position, e.payload FROM events e
WHERE e.type = 'system.catch_up_requested'
  AND NOT EXISTS (SELECT 1 FROM catch_up_served s WHERE s.request_position = e.position)
ORDER BY e.position`;

export const COUNT_PENDING_CATCH_UPS_SQL = `
SELECT count(*)::int AS n FROM events e
WHERE e.type = 'system.catch_up_requested'
  AND NOT EXISTS (SELECT 1 FROM catch_up_served s WHERE s.request_position = e.position)`;

/** How many catch-up requests no targeted backfill has served yet. */
export async function countPendingCatchUps(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(COUNT_PENDING_CATCH_UPS_SQL);
  return rows[0]?.n ?? 0;
}

/** Pending requests a channel resubscribed from the tip made for `object` (one waiting is enough). */
export async function countPendingTipCatchUps(db: Queryable, object: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM events e WHERE e.type = 'system.catch_up_requested' AND e.payload->>'reason' = 'resubscribed_from_tip'
       AND e.payload->'objects' ? $1 AND NOT EXISTS (SELECT 1 FROM catch_up_served s WHERE s.request_position = e.position)`,
    [object],
  );
  return rows[0]?.n ?? 0;
}

/** Marks the request at `position` served by a backfill that read `records` records (again: no-op). */
export async function markCatchUpServed(db: Queryable, position: number, records: number): Promise<void> {
  await db.query('INSERT INTO catch_up_served (request_position, records) VALUES ($1, $2) ON CONFLICT DO NOTHING', [position, records]);
}
