import type { Queryable } from '../event-store/queryable';

/** Commands not sent yet (pending or claimed by a dispatcher): replay refuses to start while any wait. */
export async function countWaitingCommands(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE status IN ('pending', 'in_flight')");
  return rows[0]?.n ?? 0;
}

/** monday.create_item commands of a board waiting in the outbox that no bulk-import job has taken (no progress yet). */
export async function countWaitingBoardCreates(db: Queryable, boardId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM outbox WHERE status IN ('pending', 'in_flight') AND payload->>'kind' = 'monday.create_item' AND payload->>'boardId' = $1 AND progress IS NULL",
    [boardId],
  );
  return rows[0]?.n ?? 0;
}
