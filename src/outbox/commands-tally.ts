import type { Queryable } from '../event-store/queryable';

/** How many commands of one kind are in one status. */
export interface CommandTally {
  kind: string;
  status: string;
  n: number;
}

/**
 * The commands the events at `positions` caused, counted by kind and status, with the ids of the
 * monday creates among them that are done (their outcome events say whether each item was created
 * or an existing one was linked).
 */
export async function tallyCommandsCausedBy(db: Queryable, positions: readonly number[]): Promise<{ tallies: CommandTally[]; doneMondayCreateIds: number[] }> {
  if (positions.length === 0) return { tallies: [], doneMondayCreateIds: [] };
  const { rows } = await db.query<{ kind: string; status: string; n: number; done_create_ids: string[] | null }>(
    `SELECT kind, status, count(*)::int AS n,
            array_agg(id) FILTER (WHERE kind = 'monday.create_item' AND status = 'done') AS done_create_ids
     FROM outbox
     WHERE caused_by = ANY($1::bigint[])
     GROUP BY 1, 2`,
    [positions],
  );
  return {
    tallies: rows.map(({ kind, status, n }) => ({ kind, status, n })),
    doneMondayCreateIds: rows.flatMap((row) => (row.done_create_ids ?? []).map(Number)),
  };
}
