import { IsNull, MoreThan } from 'typeorm';
import { entityManagerOf } from '../database/data-source';
import { ParkedEventEntity } from '../database/entities';
import type { RecordedEvent } from './events';
import type { Queryable } from './queryable';

/** An event a subscriber could not handle, set aside so the pipeline moves on (issue 13). */
export interface ParkedEvent {
  subscriber: string;
  position: number;
  eventType: string;
  stream: string;
  /** The records the event concerns, as the subscriber names them (e.g. `item:123`). */
  recordKeys: string[];
  error: { message: string; stack: string | null };
  parkedAt: string;
  retryRequestedAt: string | null;
  retriedAt: string | null;
  retries: number;
  resolvedAt: string | null;
}

/** Why an event could not be handled: what an operator needs to find the bug. */
export interface ParkedError {
  message: string;
  stack: string | null;
}

export function parkedErrorOf(error: unknown): ParkedError {
  if (error instanceof Error) return { message: storable(`${error.name}: ${error.message}`, 2_000), stack: error.stack ? storable(error.stack, 8_000) : null };
  return { message: storable(String(error), 2_000), stack: null };
}

/** Text Postgres can store (no NUL, no lone surrogate), bounded. */
function storable(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/\u0000/g, '\\u0000').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}

/**
 * Parks one event (inside the transaction that moves the checkpoint past it). Parking an event that
 * is already parked (replay meeting it again) records the new error and opens it again.
 */
export async function parkEvent(tx: Queryable, subscriber: string, event: RecordedEvent, recordKeys: string[], error: ParkedError): Promise<void> {
  await tx.query(
    `INSERT INTO parked_events (subscriber, position, transaction_id, event_type, stream, record_keys, error_message, error_stack)
     VALUES ($1, $2, $3::xid8, $4, $5, $6::jsonb, $7, $8)
     ON CONFLICT (subscriber, position) DO UPDATE
       SET error_message = EXCLUDED.error_message, error_stack = EXCLUDED.error_stack, record_keys = EXCLUDED.record_keys,
           resolved_at = NULL, parked_at = now()`,
    [subscriber, event.position, event.transactionId, event.type, event.stream, JSON.stringify(recordKeys), error.message, error.stack],
  );
}

interface ParkedRow {
  subscriber: string;
  position: string;
  event_type: string;
  stream: string;
  record_keys: string[];
  error_message: string;
  error_stack: string | null;
  parked_at: Date;
  retry_requested_at: Date | null;
  retried_at: Date | null;
  retries: number;
  resolved_at: Date | null;
}

const COLUMNS = 'subscriber, position, event_type, stream, record_keys, error_message, error_stack, parked_at, retry_requested_at, retried_at, retries, resolved_at';

function parkedOf(row: ParkedRow): ParkedEvent {
  return {
    subscriber: row.subscriber,
    position: Number(row.position),
    eventType: row.event_type,
    stream: row.stream,
    recordKeys: row.record_keys,
    error: { message: row.error_message, stack: row.error_stack },
    parkedAt: row.parked_at.toISOString(),
    retryRequestedAt: row.retry_requested_at?.toISOString() ?? null,
    retriedAt: row.retried_at?.toISOString() ?? null,
    retries: row.retries,
    resolvedAt: row.resolved_at?.toISOString() ?? null,
  };
}

/** Parked events in position order; unresolved only unless `resolved` is asked for too. `db`: a DataSource's pool. */
export async function listParkedEvents(
  db: Queryable,
  options: { subscriber?: string; includeResolved?: boolean; afterPosition?: number; limit?: number } = {},
): Promise<ParkedEvent[]> {
  const entities = await entityManagerOf(db)
    .getRepository(ParkedEventEntity)
    .find({
      where: {
        position: MoreThan(String(options.afterPosition ?? 0)),
        ...(options.subscriber === undefined ? {} : { subscriber: options.subscriber }),
        ...(options.includeResolved ? {} : { resolvedAt: IsNull() }),
      },
      order: { position: 'ASC', subscriber: 'ASC' },
      take: Math.min(options.limit ?? 100, 1_000),
    });
  return entities.map(parkedOfEntity);
}

function parkedOfEntity(entity: ParkedEventEntity): ParkedEvent {
  return parkedOf({
    subscriber: entity.subscriber,
    position: entity.position,
    event_type: entity.eventType,
    stream: entity.stream,
    record_keys: entity.recordKeys,
    error_message: entity.errorMessage,
    error_stack: entity.errorStack,
    parked_at: entity.parkedAt,
    retry_requested_at: entity.retryRequestedAt,
    retried_at: entity.retriedAt,
    retries: entity.retries,
    resolved_at: entity.resolvedAt,
  });
}

export async function findParkedEvent(db: Queryable, subscriber: string, position: number): Promise<ParkedEvent | null> {
  const { rows } = await db.query<ParkedRow>(`SELECT ${COLUMNS} FROM parked_events WHERE subscriber = $1 AND position = $2`, [subscriber, position]);
  return rows[0] ? parkedOf(rows[0]) : null;
}

/** Unresolved parked events per subscriber (health, metrics). `db`: a DataSource's pool. */
export async function countParkedEvents(db: Queryable): Promise<Map<string, number>> {
  const rows = await entityManagerOf(db)
    .getRepository(ParkedEventEntity)
    .createQueryBuilder('parked')
    .select('parked.subscriber', 'subscriber')
    .addSelect('count(*)::int', 'n')
    .where('parked.resolvedAt IS NULL')
    .groupBy('parked.subscriber')
    .getRawMany<{ subscriber: string; n: number }>();
  return new Map(rows.map((r) => [r.subscriber, r.n]));
}

/** Positions of one subscriber's unresolved parked events (replay skips them, as live processing did). */
export async function openParkedPositions(db: Queryable, subscriber: string): Promise<Set<number>> {
  const { rows } = await db.query<{ position: string }>('SELECT position FROM parked_events WHERE subscriber = $1 AND resolved_at IS NULL', [subscriber]);
  return new Set(rows.map((r) => Number(r.position)));
}

/**
 * Asks the subscriber's leader to retry an unresolved parked event. Returns the event as it stood,
 * or null when no such event is parked (unknown or already resolved: see `findParkedEvent`).
 */
export async function requestParkedRetry(db: Queryable, subscriber: string, position: number): Promise<ParkedEvent | null> {
  const { rows } = await db.query<ParkedRow>(
    `UPDATE parked_events SET retry_requested_at = now()
     WHERE subscriber = $1 AND position = $2 AND resolved_at IS NULL
     RETURNING ${COLUMNS}`,
    [subscriber, position],
  );
  return rows[0] ? parkedOf(rows[0]) : null;
}

/** Positions the subscriber's leader is asked to retry, oldest first. */
export async function requestedRetries(db: Queryable, subscriber: string): Promise<number[]> {
  const { rows } = await db.query<{ position: string }>(
    'SELECT position FROM parked_events WHERE subscriber = $1 AND retry_requested_at IS NOT NULL AND resolved_at IS NULL ORDER BY position',
    [subscriber],
  );
  return rows.map((r) => Number(r.position));
}

/** The retry succeeded (in the transaction that stored its decision). */
export async function markParkedResolved(tx: Queryable, subscriber: string, position: number): Promise<void> {
  await tx.query(
    `UPDATE parked_events SET resolved_at = now(), retried_at = now(), retries = retries + 1, retry_requested_at = NULL
     WHERE subscriber = $1 AND position = $2`,
    [subscriber, position],
  );
}

/** The retry failed again: the new error replaces the old one and the event stays parked. */
export async function markParkedRetryFailed(db: Queryable, subscriber: string, position: number, error: ParkedError): Promise<void> {
  await db.query(
    `UPDATE parked_events SET retried_at = now(), retries = retries + 1, retry_requested_at = NULL, error_message = $3, error_stack = $4
     WHERE subscriber = $1 AND position = $2`,
    [subscriber, position, error.message, error.stack],
  );
}
