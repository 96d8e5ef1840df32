import type { Queryable } from './queryable';

/** What an operator sees of the event that caused something (a dead letter's cause). */
export interface EventHeader {
  type: string;
  stream: string;
  occurredAt: Date;
  origin: string;
}

/** The headers of the events at `positions`, by position (positions with no event are absent). */
export async function eventHeadersAt(db: Queryable, positions: readonly number[]): Promise<Map<number, EventHeader>> {
  if (positions.length === 0) return new Map();
  const { rows } = await db.query<{ position: string; type: string; stream: string; occurred_at: Date; origin: string }>(
    'SELECT position, type, stream, occurred_at, origin FROM events WHERE position = ANY($1::bigint[])',
    [positions],
  );
  return new Map(rows.map((r) => [Number(r.position), { type: r.type, stream: r.stream, occurredAt: r.occurred_at, origin: r.origin }]));
}

/**
 * How many `system.command_succeeded` events name one of `commandIds`, by the `via` of their result
 * (null when the result has none): how a create reached its item (created, or linked to one found).
 */
export async function countSucceededCommandsByVia(db: Queryable, commandIds: readonly number[]): Promise<Map<string | null, number>> {
  if (commandIds.length === 0) return new Map();
  const { rows } = await db.query<{ via: string | null; n: number }>(
    `SELECT payload->'result'->>'via' AS via, count(*)::int AS n
     FROM events
     WHERE type = 'system.command_succeeded' AND (payload->>'commandId')::bigint = ANY($1::bigint[])
     GROUP BY 1`,
    [commandIds],
  );
  return new Map(rows.map((r) => [r.via, r.n]));
}
