import { entityManagerOf } from '../database/data-source';
import { OutboxCommandEntity } from '../database/entities';
import { eventHeadersAt } from '../event-store/event-lookups';
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

/** A record's CRM keys, as the dead-letter list shows them. */
export interface DeadLetterRecordKeys {
  objectKey: string;
  salesforceId: string | null;
  mondayBoardId: string | null;
  mondayItemId: string | null;
}

/**
 * Reads the CRM keys of records by id (projectors' `recordKeysByIds`): the caller passes it, as the
 * outbox does not know the projectors' tables. Ids with no record (merged away) are absent.
 */
export type RecordKeysReader = (db: Queryable, recordIds: readonly number[]) => Promise<ReadonlyMap<number, DeadLetterRecordKeys>>;

const LIST_SQL = `
SELECT id, kind, target, record_id, payload, last_error, attempts, caused_by, created_at, finished_at
FROM outbox
WHERE status = 'dead' AND id > $1
ORDER BY id
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
}

/**
 * Dead letters in id order, `limit` at a time after `afterId` (keyset paging), each with its record's
 * keys (`readRecordKeys`) and the event that caused it (one read each for the page).
 */
export async function listDeadLetters(db: Queryable, readRecordKeys: RecordKeysReader, options: { afterId?: number; limit?: number } = {}): Promise<DeadLetter[]> {
  const { rows } = await db.query<Row>(LIST_SQL, [options.afterId ?? 0, Math.min(Math.max(options.limit ?? 100, 1), 1000)]);
  if (rows.length === 0) return [];
  await revealColumns(rows, ['payload', 'last_error']);
  // One after the other: `db` may be a single client (a transaction), which runs one query at a time.
  const records = await readRecordKeys(db, [...new Set(rows.map((row) => Number(row.record_id)))]);
  const causes = await eventHeadersAt(db, [...new Set(rows.map((row) => Number(row.caused_by)))]);
  return rows.map((row) => {
    const record = records.get(Number(row.record_id));
    const cause = causes.get(Number(row.caused_by));
    return {
      id: Number(row.id),
      kind: row.kind,
      target: row.target,
      record: {
        id: Number(row.record_id),
        objectKey: record?.objectKey ?? (typeof row.payload.objectKey === 'string' ? row.payload.objectKey : null),
        salesforceId: record?.salesforceId ?? null,
        mondayBoardId: record?.mondayBoardId ?? null,
        mondayItemId: record?.mondayItemId ?? null,
      },
      command: row.payload,
      error: row.last_error,
      hint: typeof row.last_error?.hint === 'string' ? row.last_error.hint : null,
      attempts: row.attempts,
      causedBy: {
        position: Number(row.caused_by),
        type: cause?.type ?? null,
        stream: cause?.stream ?? null,
        occurredAt: cause?.occurredAt.toISOString() ?? null,
        origin: cause?.origin ?? null,
      },
      createdAt: row.created_at.toISOString(),
      deadAt: row.finished_at?.toISOString() ?? null,
    };
  });
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
