import type { Pool } from 'pg';
import { to18 } from '../mapping/salesforce-id';
import { buildImportFile } from '../monday/bulk-import-csv';
import { isFinalState, type BulkImportJobStatus, type BulkImportKind, type BulkImportReportRow, type MondayBulkImport } from '../monday/bulk-import.port';
import { MondayError } from '../monday/monday.error';
import type { ApplyMutationsOptions, MondayMutation, MondayPort, MutationOutcome } from '../monday/monday.port';
import type { ResolvedObject } from '../mapping/resolved-mapping';
import { markAbandoned, markFinished, markUploaded, openJobs, recordJob, type RecordedJob } from './bulk-import-jobs';
import { ROWS_PER_JOB } from './backfill-create-path';

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
  onJob?: (progress: BulkJobProgress) => void;
  /** Interrupts polling (the job stays recorded; the next run reconciles it). */
  signal?: AbortSignal;
}

type CreateMutation = Extract<MondayMutation, { kind: 'create_item' }>;

const FIRST_POLL_MS = 2_000;
const MAX_POLL_MS = 60_000;

/**
 * The monday port the backfill's bulk phase gives the outbox dispatcher: identical to the real one
 * except that create_item mutations for the object's board go out as bulk-import jobs. The create
 * handler (step 4 of handleMondayCreates) builds the same mutations either way, with the Salesforce
 * Id column set; each row's item id comes back as that mutation's outcome, so the handler links the
 * item through the same `system.record_linked` event as a mutation's create.
 */
export function bulkCreatingMonday(inner: MondayPort, settings: BulkCreateSettings): MondayPort {
  const jobs = new BulkCreateJobs(inner, settings);
  return new Proxy(inner, {
    get(target, property) {
      if (property === 'applyMutations') return (boardId: string, mutations: readonly MondayMutation[], options?: ApplyMutationsOptions) => jobs.apply(boardId, mutations, options);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

class BulkCreateJobs {
  private readonly idColumn: string;

  constructor(
    private readonly inner: MondayPort,
    private readonly s: BulkCreateSettings,
  ) {
    this.idColumn = s.object.mapping.monday.salesforceIdColumn;
  }

  async apply(boardId: string, mutations: readonly MondayMutation[], options?: ApplyMutationsOptions): Promise<MutationOutcome[]> {
    if (boardId !== this.s.object.board.id) return this.inner.applyMutations(boardId, mutations, options);
    const outcomes: MutationOutcome[] = new Array<MutationOutcome>(mutations.length);
    const creates: Array<{ index: number; mutation: CreateMutation }> = [];
    const others: Array<{ index: number; mutation: MondayMutation }> = [];
    mutations.forEach((mutation, index) => (mutation.kind === 'create_item' ? creates.push({ index, mutation }) : others.push({ index, mutation })));
    if (others.length > 0) {
      const answered = await this.inner.applyMutations(boardId, others.map((o) => o.mutation), options);
      others.forEach((o, i) => (outcomes[o.index] = answered[i] ?? { ok: false, error: new MondayError('TRANSIENT', 'no outcome for this write') }));
    }
    const byGroup = new Map<string, Array<{ index: number; mutation: CreateMutation }>>();
    for (const c of creates) {
      const group = c.mutation.groupId ?? this.defaultGroup();
      // push, not a spread: copying the group's list per create is quadratic (20,000 creates: tens of seconds).
      const list = byGroup.get(group);
      if (list) list.push(c);
      else byGroup.set(group, [c]);
    }
    const size = ROWS_PER_JOB[this.s.kind === 'ingest' ? 'ingest_items' : 'backfill_items'];
    // A job an earlier attempt left unfinished may have created some of these: never send them twice.
    const known = await guarded(() => reconcileOpenJobs(this.s, boardId));
    for (const [group, all] of byGroup) {
      const list = all.filter((c) => {
        const itemId = known.get(to18(String(c.mutation.columnValues[this.idColumn] ?? '')));
        if (itemId) outcomes[c.index] = { ok: true, itemId };
        return !itemId;
      });
      for (let at = 0; at < list.length; at += size) {
        const chunk = list.slice(at, at + size);
        const answered = await guarded(() => this.runJob(group, chunk.map((c) => c.mutation)));
        chunk.forEach((c, i) => (outcomes[c.index] = answered[i]));
      }
    }
    return outcomes;
  }

  private defaultGroup(): string {
    const group = this.s.object.mapping.monday.group ?? this.s.object.board.groups[0]?.id;
    if (!group) throw new MondayError('PERMANENT', `board ${this.s.object.board.id} has no group to import items into`, { boardId: this.s.object.board.id });
    return group;
  }

  /** One job: start, record (before the upload), upload, poll to the end, read the report. */
  private async runJob(groupId: string, creates: readonly CreateMutation[]): Promise<MutationOutcome[]> {
    const boardId = this.s.object.board.id;
    const file = buildImportFile(this.s.object.board.columns, creates);
    const salesforceIds = creates.map((c) => to18(String(c.columnValues[this.idColumn] ?? '')));
    const job = await this.s.bulk.startJob(this.s.kind, boardId, groupId);
    await recordJob(this.s.pool, { jobId: job.jobId, objectKey: this.s.object.mapping.key, boardId, kind: this.s.kind, salesforceIds });
    this.s.onJob?.({ jobId: job.jobId, kind: this.s.kind, rows: creates.length, percent: 0, state: 'UPLOADING' });
    await this.s.bulk.upload(job.uploadUrl, file.csv);
    await markUploaded(this.s.pool, job.jobId);
    const status = await pollToEnd(this.s, job.jobId, creates.length);
    await markFinished(this.s.pool, job.jobId, status);
    if (status.state !== 'COMPLETED') {
      const failure = jobFailure(this.s.kind, job.jobId, status, boardId);
      return creates.map(() => ({ ok: false, error: failure }));
    }
    const rows = status.reportUrl ? await this.s.bulk.report(status.reportUrl) : [];
    const byRow = new Map(rows.map((r) => [r.rowNumber, r]));
    const outcomes = creates.map((_, i): MutationOutcome => rowOutcome(this.s.kind, job.jobId, i + 1, byRow.get(i + 1), salesforceIds[i] ?? '', boardId));
    return this.writeLeftOver(creates, file.leftOver, outcomes);
  }

  /** Values the file could not carry, written to the created items as a create_item mutation would have. */
  private async writeLeftOver(creates: readonly CreateMutation[], leftOver: ReadonlyArray<Record<string, unknown>>, outcomes: MutationOutcome[]): Promise<MutationOutcome[]> {
    const follow: Array<{ i: number; mutation: MondayMutation }> = [];
    outcomes.forEach((outcome, i) => {
      const values = leftOver[i] ?? {};
      if (outcome.ok && Object.keys(values).length > 0) {
        follow.push({ i, mutation: { kind: 'change_column_values', itemId: outcome.itemId, columnValues: values, createLabelsIfMissing: creates[i]?.createLabelsIfMissing } });
      }
    });
    if (follow.length === 0) return outcomes;
    const answered = await this.inner.applyMutations(this.s.object.board.id, follow.map((f) => f.mutation));
    follow.forEach((f, k) => {
      const answer = answered[k];
      // The item exists but lacks some values: retried, the create finds it by its Id column and the
      // projector sends the record's values to it as differences.
      if (!answer?.ok) outcomes[f.i] = { ok: false, error: answer?.error ?? new MondayError('TRANSIENT', 'no outcome for the follow-up write') };
    });
    return outcomes;
  }
}

/** Polls fetch_job_status until a final state, waiting about as long as the job still needs. */
export async function pollToEnd(s: Pick<BulkCreateSettings, 'bulk' | 'sleep' | 'onJob' | 'kind' | 'signal'>, jobId: string, rows: number): Promise<BulkImportJobStatus> {
  let waited = 0;
  let wait = FIRST_POLL_MS;
  for (;;) {
    await s.sleep(wait);
    if (s.signal?.aborted) throw new MondayError('TRANSIENT', `interrupted while ${s.kind}_items job ${jobId} was processing; the next run reconciles it`);
    waited += wait;
    const status = await s.bulk.jobStatus(jobId);
    s.onJob?.({ jobId, kind: s.kind, rows, percent: status.progressPercentage, state: status.state });
    if (isFinalState(status.state)) return status;
    const percent = Math.min(99, Math.max(1, status.progressPercentage));
    wait = Math.min(MAX_POLL_MS, Math.max(FIRST_POLL_MS, Math.ceil((waited * (100 - percent)) / percent)));
  }
}

function rowOutcome(kind: BulkImportKind, jobId: string, rowNumber: number, row: BulkImportReportRow | undefined, salesforceId: string, boardId: string): MutationOutcome {
  if (row?.result === 'created' && row.itemId) return { ok: true, itemId: row.itemId };
  const where = `${kind}_items job ${jobId}, row ${rowNumber} (Salesforce ${salesforceId})`;
  if (!row) return { ok: false, error: new MondayError('TRANSIENT', `${where}: missing from the job's report`, { boardId }) };
  const cause = row.error ?? row.result;
  // 'failed': a valid row monday could not apply (try again); 'invalid' and anything else: the row's values.
  const code = row.result === 'failed' ? 'TRANSIENT' : 'VALIDATION';
  return { ok: false, error: new MondayError(code, `${where} was ${row.result}: ${cause}`, { boardId, mondayCode: `BULK_IMPORT_ROW_${row.result.toUpperCase()}` }) };
}

function jobFailure(kind: BulkImportKind, jobId: string, status: BulkImportJobStatus, boardId: string): MondayError {
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
export async function reconcileOpenJobs(s: Pick<BulkCreateSettings, 'pool' | 'bulk' | 'sleep' | 'onJob' | 'signal'>, boardId: string): Promise<Map<string, string>> {
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

/**
 * Anything but a MondayError thrown while running a job (the database, a bug) is a TRANSIENT
 * MondayError: the dispatcher would otherwise retry the batch's creates one by one, one job each.
 */
async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof MondayError) throw error;
    throw new MondayError('TRANSIENT', `bulk import: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const STORE_PROGRESS_SQL = `
UPDATE outbox o
SET progress = jsonb_build_object('mondayItemId', u.item_id, 'via', 'bulk_import')
FROM unnest($2::text[], $3::text[]) AS u(salesforce_id, item_id)
WHERE o.status IN ('pending', 'in_flight')
  AND o.payload->>'kind' = 'monday.create_item'
  AND o.payload->>'boardId' = $1
  AND (o.payload->>'salesforceId' = u.salesforce_id OR o.payload->>'salesforceId' = left(u.salesforce_id, 15))
  AND o.progress IS NULL`;

async function storeCreatedItems(pool: Pool, job: RecordedJob, rows: readonly BulkImportReportRow[]): Promise<Map<string, string>> {
  const ids: string[] = [];
  const items: string[] = [];
  for (const row of rows) {
    const salesforceId = job.salesforceIds[row.rowNumber - 1];
    if (row.result === 'created' && row.itemId && salesforceId) {
      ids.push(salesforceId);
      items.push(row.itemId);
    }
  }
  if (ids.length > 0) await pool.query(STORE_PROGRESS_SQL, [job.boardId, ids, items]);
  return new Map(ids.map((id, i) => [id, items[i] ?? '']));
}
