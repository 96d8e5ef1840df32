import type { Queryable } from '../event-store/queryable';

/*
 * A sync record is busy while one of its commands is claimed (in flight: under a live lease, or under
 * the expired lease of a dispatcher that died and not claimed again yet) or while its create waits to
 * be sent. What either side shows of such a record may be half of our write.
 */
const BUSY = "(status = 'in_flight' OR (status = 'pending' AND kind IN ('monday.create_item', 'salesforce.create')))";

/** Every busy sync record. */
export async function busyRecordIds(db: Queryable): Promise<Set<number>> {
  const { rows } = await db.query<{ record_id: string }>(`SELECT DISTINCT record_id FROM outbox WHERE ${BUSY}`);
  return new Set(rows.map((r) => Number(r.record_id)));
}

/** Which of these sync records are busy. */
export async function busyAmong(db: Queryable, recordIds: readonly number[]): Promise<Set<number>> {
  if (recordIds.length === 0) return new Set();
  const { rows } = await db.query<{ record_id: string }>(`SELECT DISTINCT record_id FROM outbox WHERE record_id = ANY($1::bigint[]) AND ${BUSY}`, [recordIds]);
  return new Set(rows.map((r) => Number(r.record_id)));
}
