import type { Queryable } from '../event-store';
import type { BulkImportJobStatus, BulkImportKind } from '../monday/bulk-import.port';

/** A bulk-import job as recorded in bulk_import_jobs (migration 0011). */
export interface RecordedJob {
  jobId: string;
  objectKey: string;
  boardId: string;
  kind: BulkImportKind;
  /** 18-char Salesforce Id of each row, in file order (row N is salesforceIds[N-1]). */
  salesforceIds: string[];
  status: 'recorded' | 'uploaded' | 'finished' | 'abandoned';
}

interface JobRow {
  job_id: string;
  object_key: string;
  board_id: string;
  kind: BulkImportKind;
  salesforce_ids: string[];
  status: RecordedJob['status'];
}

const toJob = (row: JobRow): RecordedJob => ({
  jobId: row.job_id,
  objectKey: row.object_key,
  boardId: row.board_id,
  kind: row.kind,
  salesforceIds: row.salesforce_ids,
  status: row.status,
});

/** Written before the upload: from here on a restart reconciles this job instead of sending its rows again. */
export async function recordJob(db: Queryable, job: Omit<RecordedJob, 'status'>): Promise<void> {
  await db.query('INSERT INTO bulk_import_jobs (job_id, object_key, board_id, kind, salesforce_ids) VALUES ($1, $2, $3, $4, $5)', [
    job.jobId,
    job.objectKey,
    job.boardId,
    job.kind,
    job.salesforceIds,
  ]);
}

export async function markUploaded(db: Queryable, jobId: string): Promise<void> {
  await db.query("UPDATE bulk_import_jobs SET status = 'uploaded' WHERE job_id = $1 AND status = 'recorded'", [jobId]);
}

export async function markFinished(db: Queryable, jobId: string, status: BulkImportJobStatus): Promise<void> {
  await db.query("UPDATE bulk_import_jobs SET status = 'finished', state = $2, counts = $3, finished_at = now() WHERE job_id = $1", [jobId, status.state, JSON.stringify(status.counts)]);
}

/** A job whose file never reached monday (the run died before the upload): none of its rows exist. */
export async function markAbandoned(db: Queryable, jobId: string, state: string): Promise<void> {
  await db.query("UPDATE bulk_import_jobs SET status = 'abandoned', state = $2, finished_at = now() WHERE job_id = $1", [jobId, state]);
}

/** Jobs of a board that a run started and did not see to their end. */
export async function openJobs(db: Queryable, boardId: string): Promise<RecordedJob[]> {
  const { rows } = await db.query<JobRow>(
    "SELECT job_id, object_key, board_id, kind, salesforce_ids, status FROM bulk_import_jobs WHERE board_id = $1 AND status IN ('recorded', 'uploaded') ORDER BY created_at",
    [boardId],
  );
  return rows.map(toJob);
}

/** Whether crm-sync ever ran a backfill_items job on the board (it stays "new" for the rest of that first load). */
export async function hadBackfillJob(db: Queryable, boardId: string): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM bulk_import_jobs WHERE board_id = $1 AND kind = 'backfill' AND status <> 'abandoned'", [boardId]);
  return (rows[0]?.n ?? 0) > 0;
}

export interface BulkJobTotals {
  jobs: number;
  rows: number;
}

/** Jobs run (not abandoned) since `since`: for the run's summary. */
export async function jobTotals(db: Queryable, boardId: string, since: Date): Promise<BulkJobTotals> {
  const { rows } = await db.query<{ jobs: number; rows: number }>(
    "SELECT count(*)::int AS jobs, coalesce(sum(cardinality(salesforce_ids)), 0)::int AS rows FROM bulk_import_jobs WHERE board_id = $1 AND created_at >= $2 AND status <> 'abandoned'",
    [boardId, since],
  );
  return rows[0] ?? { jobs: 0, rows: 0 };
}
