import type { NewEvent } from './events';
import type { Queryable } from './queryable';

export const EVENTS_CHANNEL = 'crm_sync_events';

export type AppendResult = { appended: true; position: number } | { appended: false; reason: 'duplicate' };

/**
 * One statement for any number of events: unnest arrays, `ON CONFLICT DO NOTHING` for idempotency
 * (invariant 1), and pg_notify in the same statement so subscribers wake when it commits (Postgres
 * folds identical notifications of one transaction into one). Runs inside the caller's transaction
 * when given a client that is in one; otherwise it is its own transaction.
 */
const APPEND_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
    WITH ORDINALITY AS t(source, source_event_id, stream, type, origin, payload, occurred_at, ord)
), inserted AS (
  INSERT INTO events (source, source_event_id, stream, type, origin, payload, occurred_at)
  SELECT source, source_event_id, stream, type, origin, payload::jsonb, occurred_at FROM input ORDER BY ord
  ON CONFLICT ON CONSTRAINT events_source_event_unique DO NOTHING
  RETURNING position, source, source_event_id
)
SELECT position, source, source_event_id, pg_notify('${EVENTS_CHANNEL}', '') AS notified FROM inserted`;

/** Appends events in order; the result at index i says what happened to events[i]. */
export async function appendEvents(db: Queryable, events: readonly NewEvent[]): Promise<AppendResult[]> {
  if (events.length === 0) return [];
  const firstIndexByKey = new Map<string, number>();
  const unique: NewEvent[] = [];
  events.forEach((event, index) => {
    const key = identity(event.source, event.sourceEventId);
    if (!firstIndexByKey.has(key)) {
      firstIndexByKey.set(key, index);
      unique.push(event);
    }
  });
  const { rows } = await db.query<{ position: string; source: string; source_event_id: string }>(APPEND_SQL, [
    unique.map((e) => e.source),
    unique.map((e) => e.sourceEventId),
    unique.map((e) => e.stream),
    unique.map((e) => e.type),
    unique.map((e) => e.origin),
    unique.map((e) => JSON.stringify(e.payload)),
    unique.map((e) => e.occurredAt.toISOString()),
  ]);
  const positionByKey = new Map(rows.map((r) => [identity(r.source, r.source_event_id), Number(r.position)]));
  return events.map((event, index) => {
    const key = identity(event.source, event.sourceEventId);
    const position = positionByKey.get(key);
    return position !== undefined && firstIndexByKey.get(key) === index
      ? { appended: true, position }
      : { appended: false, reason: 'duplicate' };
  });
}

export async function appendEvent(db: Queryable, event: NewEvent): Promise<AppendResult> {
  const [result] = await appendEvents(db, [event]);
  return result;
}

function identity(source: string, sourceEventId: string): string {
  return `${source}\u0000${sourceEventId}`;
}
