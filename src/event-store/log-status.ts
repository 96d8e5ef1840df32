import type { Queryable } from './queryable';
import type { Checkpoint } from './read-batch';

/** The newest event of the log (null when it is empty). */
export async function newestEvent(db: Queryable): Promise<{ position: number; recordedAt: Date } | null> {
  const { rows } = await db.query<{ position: string; recorded_at: Date }>('SELECT position, recorded_at FROM events ORDER BY position DESC LIMIT 1');
  return rows[0] ? { position: Number(rows[0].position), recordedAt: rows[0].recorded_at } : null;
}

/** How many events the log holds (a full count: for progress totals, not for polling). */
export async function countEvents(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  return rows[0]?.n ?? 0;
}

/** How many events come after `position`, counted up to `cap` (the count stops there). */
export async function countEventsAfter(db: Queryable, position: number, cap: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT 1 FROM events WHERE position > $1 LIMIT $2) t', [position, cap]);
  return rows[0]?.n ?? 0;
}

/** Where a subscriber's checkpoint stands and when it last moved (null before its first batch). */
export async function checkpointStatus(db: Queryable, subscriber: string): Promise<{ position: number; updatedAt: Date } | null> {
  const { rows } = await db.query<{ position: string; updated_at: Date }>('SELECT position, updated_at FROM subscriber_checkpoints WHERE subscriber = $1', [subscriber]);
  return rows[0] ? { position: Number(rows[0].position), updatedAt: rows[0].updated_at } : null;
}

/** When the newest event from `source` whose payload has `field` equal to `value` occurred (null: none). */
export async function newestOccurredAt(db: Queryable, source: string, field: string, value: string): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null }>('SELECT max(occurred_at) AS at FROM events WHERE source = $1 AND payload->>$2 = $3', [source, field, value]);
  return rows[0]?.at ?? null;
}

export interface StoredEventRow {
  position: string;
  type: string;
  source: string;
  origin: string;
  stream: string;
  occurred_at: Date;
  payload: unknown;
}

/** The events of stream `stream` or of streams LIKE `pattern` (either may be ''), oldest first, at most `limit`. */
export async function eventsOfStreams(db: Queryable, stream: string, pattern: string, limit: number): Promise<StoredEventRow[]> {
  const { rows } = await db.query<StoredEventRow>(
    'SELECT position, type, source, origin, stream, occurred_at, payload FROM events WHERE stream = $1 OR stream LIKE $2 ORDER BY position LIMIT $3',
    [stream, pattern, limit],
  );
  return rows;
}

/** Whether any event comes after `checkpoint` in the subscribers' order (transaction id, position). */
export async function hasEventsAfter(db: Queryable, checkpoint: Checkpoint): Promise<boolean> {
  const { rows } = await db.query<{ behind: boolean }>('SELECT EXISTS (SELECT 1 FROM events WHERE (transaction_id, position) > ($1::xid8, $2::bigint)) AS behind', [
    checkpoint.transactionId,
    checkpoint.position,
  ]);
  return rows[0]?.behind ?? false;
}
