import type { Pool } from 'pg';
import { isFinalState, type BulkImportJobStatus, type BulkImportKind, type BulkImportReportRow, type MondayBulkImport } from '../monday/bulk-import.port';
import { MondayError } from '../monday/monday.error';
import type { ResolvedObject } from '../mapping/resolved-mapping';
import { storeItemsCreatedByBulkImport, waitingCreatesOfBoard } from '../outbox/bulk-import-progress';
import { markAbandoned, markFinished, openJobs, type RecordedJob } from './bulk-import-jobs';
import { FIRST_POLL_MS, nextWait, type JobPace } from './bulk-import-pace';

/** One job's progress, for the per-job bar. */
export interface BulkJobProgress {
  jobId: string;
  kind: BulkImportKind;
  rows: number;
  percent: number;
  state: string;
}

export interface BulkCreateSettings {
  pool: Pool;
  bulk: MondayBulkImport;
  kind: BulkImportKind;
  object: ResolvedObject;
  /** Waits in monday's time (the client's clock: tests and benches run it faster). */
  sleep: (ms: number) => Promise<void>;
  /** monday's time, on the clock `sleep` waits on (default: real time). */
  now?: () => number;
  onJob?: (progress: BulkJobProgress) => void;
  /** Interrupts polling (the job stays recorded; the next run reconciles it). */
  signal?: AbortSignal;
  /** The pace earlier jobs of this run showed: the first status read of the next job waits for it. */
  pace?: JobPace;
}

/**
 * Polls fetch_job_status until a final state, waiting about as long as the job still needs: the
 * time the run's earlier jobs took per row (none yet: FIRST_POLL_MS), then the time the progress
 * percentage projects. Times are measured from the first wait (the upload just ended) on monday's
 * clock, not summed from the waits: a loaded machine's lag between them is the job's time too.
 */
export async function pollToEnd(s: Pick<BulkCreateSettings, 'bulk' | 'sleep' | 'now' | 'onJob' | 'kind' | 'signal' | 'pace'>, jobId: string, rows: number): Promise<BulkImportJobStatus> {
  const now = s.now ?? Date.now;
  const started = now();
  let wait = s.pace?.firstWait(rows) ?? FIRST_POLL_MS;
  for (;;) {
    await s.sleep(wait);
    if (s.signal?.aborted) throw new MondayError('TRANSIENT', `interrupted while ${s.kind}_items job ${jobId} was processing; the next run reconciles it`);
    const status = await s.bulk.jobStatus(jobId);
    const elapsed = Math.max(wait, now() - started);
    s.onJob?.({ jobId, kind: s.kind, rows, percent: status.progressPercentage, state: status.state });
    if (status.state === 'COMPLETED') s.pace?.learn(rows, elapsed);
    if (isFinalState(status.state)) return status;
    wait = nextWait(elapsed, status.progressPercentage);
  }
}

export function jobFailure(kind: BulkImportKind, jobId: string, status: BulkImportJobStatus, boardId: string): MondayError {
  const message = `${kind}_items job ${jobId} ended ${status.state}: ${status.failureReason ?? 'no reason'}${status.failureMessage ? ` (${status.failureMessage})` : ''}`;
  switch (status.failureReason) {
    case 'ACCOUNT_CAPACITY_EXCEEDED':
      // The ingest hourly item budget: the next hour has room again.
      return new MondayError('RATE_LIMITED', message, { boardId, retryAfterMs: 10 * 60_000, limit: 'unknown', mondayCode: status.failureReason });
    case 'INVALID_UPLOAD':
    case 'FILE_TOO_LARGE':
    case 'PERMISSION_DENIED':
    case 'BOARD_CAPACITY_EXCEEDED':
      return new MondayError('PERMANENT', message, { boardId, mondayCode: status.failureReason });
    default:
      return new MondayError('TRANSIENT', message, { boardId, ...(status.failureReason ? { mondayCode: status.failureReason } : {}) });
  }
}

/**
 * A restart after a kill mid-job: each job a run recorded and did not see to its end is polled to its
 * end instead of uploaded again; the items its report names are stored as the progress of their
 * records' create commands, so the create handler links them (step 1) and creates nothing. A job
 * still waiting for its file never received it: none of its rows exist and they go in a new job.
 */
export async function reconcileOpenJobs(s: Pick<BulkCreateSettings, 'pool' | 'bulk' | 'sleep' | 'now' | 'onJob' | 'signal'>, boardId: string): Promise<Map<string, string>> {
  const created = new Map<string, string>();
  const open = await openJobs(s.pool, boardId);
  for (const job of open) {
    let status = await s.bulk.jobStatus(job.jobId);
    if (status.state === 'UPLOAD_PENDING') {
      await markAbandoned(s.pool, job.jobId, status.state);
      continue;
    }
    if (!isFinalState(status.state)) status = await pollToEnd({ ...s, kind: job.kind }, job.jobId, job.salesforceIds.length);
    if (status.state === 'COMPLETED' && status.reportUrl) {
      for (const [salesforceId, itemId] of await storeCreatedItems(s.pool, job, await s.bulk.report(status.reportUrl))) created.set(salesforceId, itemId);
    }
    await markFinished(s.pool, job.jobId, status);
  }
  return created;
}

export async function storeCreatedItems(pool: Pool, job: Pick<RecordedJob, 'boardId' | 'salesforceIds'>, rows: readonly BulkImportReportRow[]): Promise<Map<string, string>> {
  const ids: string[] = [];
  const items: string[] = [];
  for (const row of rows) {
    const salesforceId = job.salesforceIds[row.rowNumber - 1];
    if (row.result === 'created' && row.itemId && salesforceId) {
      ids.push(salesforceId);
      items.push(row.itemId);
    }
  }
  if (ids.length === 0) return new Map();
  const created = new Map(ids.map((id, i) => [id.slice(0, 15), items[i] ?? '']));
  const commandIds: string[] = [];
  const itemIds: string[] = [];
  for (const command of await waitingCreatesOfBoard(pool, job.boardId)) {
    const itemId = created.get(command.salesforceId);
    if (itemId) {
      commandIds.push(command.id);
      itemIds.push(itemId);
    }
  }
  await storeItemsCreatedByBulkImport(pool, commandIds, itemIds);
  return new Map(ids.map((id, i) => [id, items[i] ?? '']));
}
