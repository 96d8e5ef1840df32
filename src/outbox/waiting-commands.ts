import type { Queryable } from '../event-store/queryable';

/** Commands not sent yet (pending or claimed by a dispatcher): replay refuses to start while any wait. */
export async function countWaitingCommands(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE status IN ('pending', 'in_flight')");
  return rows[0]?.n ?? 0;
}
