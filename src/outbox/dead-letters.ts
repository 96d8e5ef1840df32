import { entityManagerOf } from '../database/data-source';
import { OutboxCommandEntity } from '../database/entities';
import type { Queryable } from '../event-store/queryable';
import { revealColumns } from '../personal-data/derived-values';

/** A dead letter as an operator sees it: the command, the record, the error with its hint, and its cause. */
export interface DeadLetter {
  id: number;
  kind: string;
  target: string;
  record: { id: number; objectKey: string | null; salesforceId: string | null; mondayBoardId: string | null; mondayItemId: string | null };
  command: Record<string, unknown>;
  error: Record<string, unknown> | null;
  hint: string | null;
  attempts: number;
  causedBy: { position: number; type: string | null; stream: string | null; occurredAt: string | null; origin: string | null };
  createdAt: string;
  deadAt: string | null;
}

const LIST_SQL = `
SELECT o.id, o.kind, o.target, o.record_id, o.payload, o.last_error, o.attempts, o.caused_by, o.created_at, o.finished_at,
       r.object_key, r.salesforce_id, r.monday_board_id, r.monday_item_id,
       e.type AS event_type, e.stream AS event_stream, e.occurred_at AS event_occurred_at, e.origin AS event_origin
FROM outbox o
LEFT JOIN sync_records r ON r.id = o.record_id
LEFT JOIN events e ON e.position = o.caused_by
WHERE o.status = 'dead' AND o.id > $1
ORDER BY o.id
LIMIT $2`;

interface Row {
  id: string;
  kind: string;
  target: string;
  record_id: string;
  payload: Record<string, unknown>;
  last_error: Record<string, unknown> | null;
  attempts: number;
  caused_by: string;
  created_at: Date;
  finished_at: Date | null;
  object_key: string | null;
  salesforce_id: string | null;
  monday_board_id: string | null;
  monday_item_id: string | null;
  event_type: string | null;
  event_stream: string | null;
  event_occurred_at: Date | null;
  event_origin: string | null;
}

/** Dead letters in id order, `limit` at a time after `afterId` (keyset paging). */
export async function listDeadLetters(db: Queryable, options: { afterId?: number; limit?: number } = {}): Promise<DeadLetter[]> {
  const { rows } = await db.query<Row>(LIST_SQL, [options.afterId ?? 0, Math.min(Math.max(options.limit ?? 100, 1), 1000)]);
  await revealColumns(rows, ['payload', 'last_error']);
  return rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind,
    target: row.target,
    record: {
      id: Number(row.record_id),
      objectKey: row.object_key ?? (typeof row.payload.objectKey === 'string' ? row.payload.objectKey : null),
      salesforceId: row.salesforce_id,
      mondayBoardId: row.monday_board_id,
      mondayItemId: row.monday_item_id,
    },
    command: row.payload,
    error: row.last_error,
    hint: typeof row.last_error?.hint === 'string' ? row.last_error.hint : null,
    attempts: row.attempts,
    causedBy: {
      position: Number(row.caused_by),
      type: row.event_type,
      stream: row.event_stream,
      occurredAt: row.event_occurred_at?.toISOString() ?? null,
      origin: row.event_origin,
    },
    createdAt: row.created_at.toISOString(),
    deadAt: row.finished_at?.toISOString() ?? null,
  }));
}

/**
 * Sends a dead letter again (after the mapping or the data was fixed): pending now, attempts reset,
 * dispatchers woken. The error stays in the log as its `system.command_failed` events.
 */
const RETRY_SQL = `
WITH retried AS (
  UPDATE outbox SET status = 'pending', attempts = 0, available_at = now(), locked_until = NULL, claim_token = NULL,
                    last_error = NULL, progress = NULL, finished_at = NULL
  WHERE id = $1 AND status = 'dead' AND kind <> 'sync.rejected_value'
  RETURNING id
)
SELECT id, pg_notify('crm_sync_outbox', '') FROM retried`;

/** False when there is no such dead letter, or it is a rejected value (nothing to send again). */
export async function retryDeadLetter(db: Queryable, id: number): Promise<boolean> {
  const { rows } = await db.query(RETRY_SQL, [id]);
  return rows.length > 0;
}

/**
 * True when dead letter `id` is a value the target cannot take: fixed by changing the value or the
 * mapping, not by a retry. `db`: a DataSource's pool (read through the outbox entity).
 */
export async function isRejectedValue(db: Queryable, id: number): Promise<boolean> {
  return entityManagerOf(db).getRepository(OutboxCommandEntity).existsBy({ id: String(id), status: 'dead', kind: 'sync.rejected_value' });
}

export interface OutboxStatus {
  counts: Record<'pending' | 'in_flight' | 'done' | 'dead', number>;
  oldestPendingAgeSeconds: number | null;
  deadLetters: number;
}

/** Commands per status and the age of the oldest pending one. `db`: a DataSource's pool (read through the outbox entity). */
export async function outboxStatus(db: Queryable): Promise<OutboxStatus> {
  const rows = await entityManagerOf(db)
    .getRepository(OutboxCommandEntity)
    .createQueryBuilder('command')
    .select('command.status', 'status')
    .addSelect('count(*)::bigint', 'n')
    .addSelect("EXTRACT(EPOCH FROM now() - min(command.createdAt) FILTER (WHERE command.status = 'pending'))", 'oldest_pending')
    .groupBy('command.status')
    .getRawMany<{ status: keyof OutboxStatus['counts']; n: string; oldest_pending: string | null }>();
  const counts = { pending: 0, in_flight: 0, done: 0, dead: 0 };
  let oldest: number | null = null;
  for (const row of rows) {
    counts[row.status] = Number(row.n);
    if (row.oldest_pending !== null) oldest = Math.round(Number(row.oldest_pending));
  }
  return { counts, oldestPendingAgeSeconds: oldest, deadLetters: counts.dead };
}
