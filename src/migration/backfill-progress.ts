import { entityManagerOf } from '../database/data-source';
import { BackfillProgressEntity } from '../database/entities';
import type { Queryable } from '../event-store';
import type { ReadCursor } from './backfill-soql';

export type BackfillStatus = 'running' | 'paused' | 'done' | 'failed';

/** One object's backfill run as stored in backfill_progress (migration 0005). */
export interface BackfillProgress {
  objectKey: string;
  status: BackfillStatus;
  since: string | null;
  cursor: ReadCursor | null;
  total: number | null;
  recordsRead: number;
  eventsAppended: number;
  attempts: number;
  reason: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

interface ProgressRow {
  object_key: string;
  status: BackfillStatus;
  since: Date | null;
  last_modstamp: Date | null;
  last_id: string | null;
  total: string | null;
  records_read: string;
  events_appended: string;
  attempts: number;
  reason: string | null;
  started_at: Date;
  finished_at: Date | null;
}

function toProgress(row: ProgressRow): BackfillProgress {
  return {
    objectKey: row.object_key,
    status: row.status,
    since: row.since ? row.since.toISOString() : null,
    cursor: row.last_modstamp && row.last_id ? { modstamp: row.last_modstamp.toISOString(), id: row.last_id } : null,
    total: row.total === null ? null : Number(row.total),
    recordsRead: Number(row.records_read),
    eventsAppended: Number(row.events_appended),
    attempts: row.attempts,
    reason: row.reason,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** `db`: a DataSource's pool (read through the backfill_progress entity). */
export async function loadProgress(db: Queryable, objectKey: string): Promise<BackfillProgress | null> {
  const entity = await entityManagerOf(db).getRepository(BackfillProgressEntity).findOneBy({ objectKey });
  return entity ? toProgress(rowOf(entity)) : null;
}

/** Every object's run, by object key. `db`: a DataSource's pool. */
export async function listProgress(db: Queryable): Promise<BackfillProgress[]> {
  const entities = await entityManagerOf(db).getRepository(BackfillProgressEntity).find({ order: { objectKey: 'ASC' } });
  return entities.map((entity) => toProgress(rowOf(entity)));
}

function rowOf(entity: BackfillProgressEntity): ProgressRow {
  return {
    object_key: entity.objectKey,
    status: entity.status,
    since: entity.since,
    last_modstamp: entity.lastModstamp,
    last_id: entity.lastId,
    total: entity.total,
    records_read: entity.recordsRead,
    events_appended: entity.eventsAppended,
    attempts: entity.attempts,
    reason: entity.reason,
    started_at: entity.startedAt,
    finished_at: entity.finishedAt,
  };
}

/**
 * Starts or resumes the object's run (named transitions, style lesson 14). An unfinished run
 * (running after a kill, paused at the API floor, failed) with the same `since` is resumed from its
 * cursor; otherwise a fresh run starts from the beginning. Counts the attempt either way.
 */
export async function beginRun(db: Queryable, objectKey: string, since: string | null | undefined): Promise<{ progress: BackfillProgress; resumed: boolean }> {
  // Explicit SQL, like the other transitions: the backfill may run on a pool no DataSource owns (bench/backfill).
  const stored = await db.query<ProgressRow>('SELECT * FROM backfill_progress WHERE object_key = $1', [objectKey]);
  const current = stored.rows[0] ? toProgress(stored.rows[0]) : null;
  const unfinished = current !== null && current.status !== 'done';
  const resumes = unfinished && (since === undefined || sameInstant(since, current.since));
  if (resumes) {
    const { rows } = await db.query<ProgressRow>(
      `UPDATE backfill_progress SET status = 'running', attempts = attempts + 1, reason = NULL, updated_at = now(), finished_at = NULL
       WHERE object_key = $1 RETURNING *`,
      [objectKey],
    );
    return { progress: toProgress(rows[0]), resumed: true };
  }
  const { rows } = await db.query<ProgressRow>(
    `INSERT INTO backfill_progress (object_key, status, since, attempts) VALUES ($1, 'running', $2, 1)
     ON CONFLICT (object_key) DO UPDATE SET status = 'running', since = EXCLUDED.since, last_modstamp = NULL, last_id = NULL, total = NULL,
       records_read = 0, events_appended = 0, attempts = 1, reason = NULL, started_at = now(), updated_at = now(), finished_at = NULL
     RETURNING *`,
    [objectKey, since ?? null],
  );
  return { progress: toProgress(rows[0]), resumed: false };
}

export async function recordTotal(db: Queryable, objectKey: string, total: number): Promise<void> {
  await db.query('UPDATE backfill_progress SET total = $2, updated_at = now() WHERE object_key = $1', [objectKey, total]);
}

/** Moves the cursor past one page; runs in the transaction that appends the page's events. */
export async function advanceCursor(tx: Queryable, objectKey: string, cursor: ReadCursor, read: number, appended: number): Promise<void> {
  await tx.query(
    `UPDATE backfill_progress SET last_modstamp = $2, last_id = $3, records_read = records_read + $4, events_appended = events_appended + $5, updated_at = now()
     WHERE object_key = $1`,
    [objectKey, cursor.modstamp, cursor.id, read, appended],
  );
}

export async function finishRun(db: Queryable, objectKey: string, status: Exclude<BackfillStatus, 'running'>, reason: string | null = null): Promise<void> {
  await db.query(
    `UPDATE backfill_progress SET status = $2, reason = $3, updated_at = now(), finished_at = CASE WHEN $2 = 'done' THEN now() ELSE NULL END
     WHERE object_key = $1`,
    [objectKey, status, reason],
  );
}

function sameInstant(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return Date.parse(a) === Date.parse(b);
}
