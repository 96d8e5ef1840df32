import type { Queryable } from '../event-store/queryable';

/** Sets a dead letter aside for good: it keeps its row and error but leaves the list (status 'discarded'). */
export async function discardDeadLetter(db: Queryable, id: number): Promise<boolean> {
  const { rows } = await db.query("UPDATE outbox SET status = 'discarded', finished_at = now() WHERE id = $1 AND status = 'dead' RETURNING id", [id]);
  return rows.length > 0;
}
