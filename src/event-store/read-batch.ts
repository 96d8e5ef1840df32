import type { QueryArrayConfig, QueryArrayResult } from 'pg';
import { payloadProtection } from './payload-protection';
import type { RecordedEvent } from './events';
import type { Queryable } from './queryable';

/** Where a subscriber is in the read order: the (transaction id, position) of its last event. */
export interface Checkpoint {
  transactionId: string;
  position: number;
}

export const START: Checkpoint = { transactionId: '0', position: 0 };

/**
 * Invariant 3, the emmett guard: positions can commit out of order, so reading `position > n` can
 * skip a lower position that commits later. Every transaction older than
 * pg_snapshot_xmin(pg_current_snapshot()) has finished, so rows below it can no longer appear
 * behind the reader; rows at or above it wait for the next read. Reading in (transaction_id,
 * position) order with the checkpoint as a row-value bound then never skips and never repeats.
 * The ORDER BY names `events.transaction_id`: a bare `transaction_id` is the text column of the
 * select list, which sorts '10' before '9' (a page boundary where transaction ids gain a digit then
 * skipped or repeated events) and cannot use events_read_order_idx (every page sorted the log).
 */
const READ_FROM = `
FROM events
WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
  AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY events.transaction_id, events.position
LIMIT $3`;

const READ_SQL = `
SELECT position, transaction_id::text AS transaction_id, source, source_event_id, stream, type, origin,
       payload, occurred_at, recorded_at${READ_FROM}`;

/**
 * The same read as one JSON array per event, built by Postgres: position, transaction id, source,
 * source event id, stream, type, origin, payload, and both timestamps as epoch milliseconds (floor
 * of the exact value: what pg's date parser gives, it truncates sub-millisecond digits), so node
 * parses one string per event instead of ten fields (pg's per-field buffer slicing and UTF-8
 * decoding, the payload's own JSON.parse) and no date string. The payload is jsonb, embedded as
 * its own text output (what pg's jsonb parser read before); text columns are JSON-escaped.
 */
const READ_JSON_SQL = `
SELECT json_build_array(position, transaction_id::text, source, source_event_id, stream, type, origin, payload,
       floor(extract(epoch FROM occurred_at) * 1000)::int8,
       floor(extract(epoch FROM recorded_at) * 1000)::int8)::text AS event${READ_FROM}`;

interface EventRow {
  position: string;
  transaction_id: string;
  source: RecordedEvent['source'];
  source_event_id: string;
  stream: string;
  type: RecordedEvent['type'];
  origin: RecordedEvent['origin'];
  payload: unknown;
  occurred_at: Date;
  recorded_at: Date;
}

export async function readBatch(db: Queryable, after: Checkpoint, limit: number): Promise<RecordedEvent[]> {
  const { rows } = await db.query<EventRow>(READ_SQL, [after.transactionId, after.position, limit]);
  return revealed(rows.map((row) => eventOf(row, row.occurred_at, row.recorded_at)));
}

/** A Pool, PoolClient or Client, for a query whose rows come as arrays (pg's `rowMode: 'array'`). */
export interface ArrayQueryable {
  query<R extends unknown[]>(config: QueryArrayConfig): Promise<QueryArrayResult<R>>;
}

/** READ_JSON_SQL's array, in order. */
type EventArray = [number, string, RecordedEvent['source'], string, string, RecordedEvent['type'], RecordedEvent['origin'], unknown, number, number];

/**
 * `readBatch` for bulk readers (`crm-sync replay`): the same events in the same order, with the
 * same `occurredAt`/`recordedAt` values, each read as one JSON array built by Postgres
 * (READ_JSON_SQL) and parsed once: no per-field row parsing, no date strings.
 */
export async function readBatchFast(db: ArrayQueryable, after: Checkpoint, limit: number): Promise<RecordedEvent[]> {
  const { rows } = await db.query<[string]>({ text: READ_JSON_SQL, values: [after.transactionId, after.position, limit], rowMode: 'array' });
  const events = new Array<RecordedEvent>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = JSON.parse(rows[i][0]) as EventArray;
    events[i] = {
      position: row[0],
      transactionId: row[1],
      source: row[2],
      sourceEventId: row[3],
      stream: row[4],
      type: row[5],
      origin: row[6],
      payload: row[7],
      occurredAt: new Date(row[8]),
      recordedAt: new Date(row[9]),
    } as RecordedEvent;
  }
  return revealed(events);
}

/** Every event of one stream, in position order (audit and history views, not subscriptions). */
export async function readStream(db: Queryable, stream: string): Promise<RecordedEvent[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT position, transaction_id::text AS transaction_id, source, source_event_id, stream, type, origin,
            payload, occurred_at, recorded_at
     FROM events WHERE stream = $1 ORDER BY position`,
    [stream],
  );
  return revealed(rows.map((row) => eventOf(row, row.occurred_at, row.recorded_at)));
}

/** One event by its position (a parked event's retry), or null when there is none. */
export async function readEventAt(db: Queryable, position: number): Promise<RecordedEvent | null> {
  const { rows } = await db.query<EventRow>(
    `SELECT position, transaction_id::text AS transaction_id, source, source_event_id, stream, type, origin,
            payload, occurred_at, recorded_at
     FROM events WHERE position = $1`,
    [position],
  );
  return rows[0] ? (await revealed([eventOf(rows[0], rows[0].occurred_at, rows[0].recorded_at)]))[0] : null;
}

/**
 * Personal values decrypted (PII_ENCRYPTION_KEY set); an erased person's read as erased. With
 * encryption off the events are returned as read.
 */
function revealed(events: RecordedEvent[]): RecordedEvent[] | Promise<RecordedEvent[]> {
  const protection = payloadProtection();
  return protection ? protection.reveal(events) : events;
}

function eventOf(row: EventRow, occurredAt: Date, recordedAt: Date): RecordedEvent {
  return {
    position: Number(row.position),
    transactionId: row.transaction_id,
    source: row.source,
    sourceEventId: row.source_event_id,
    stream: row.stream,
    type: row.type,
    origin: row.origin,
    payload: row.payload,
    occurredAt,
    recordedAt,
  } as RecordedEvent;
}
