import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { MondayPort } from '../monday/monday.port';
import type { ResolvedObject } from '../mapping/resolved-mapping';
import { anyItemLinked } from '../sync-projector/records-of-items';
import { BackfillModeError, chooseCreatePath, DEFAULT_BULK_THRESHOLD, ROWS_PER_JOB, type BackfillMode, type CreatePath } from './backfill-create-path';
import type { BackfillPipeline } from './backfill-pipeline';
import { reconcileOpenJobs, type BulkJobProgress } from './bulk-import-polling';
import { runPagedJob } from './bulk-import-paged-job';
import { hadBackfillJob } from './bulk-import-jobs';
import { JobPace } from './bulk-import-pace';
import { isLeaseLost } from '../outbox/claim-lease';
import type { BulkImportKind, MondayBulkImport } from '../monday/bulk-import.port';

export interface BulkOptions {
  /** Creates at or below this many go through mutations in `auto` (default 500). */
  threshold?: number;
  /** Waits between job polls, in monday's time (default: real time). */
  sleep?: (ms: number) => Promise<void>;
  /** monday's time, on the clock `sleep` waits on (default: real time): how long a job took. */
  now?: () => number;
  onJob?: (objectKey: string, progress: BulkJobProgress) => void;
  /** Commands a job reads and sends per page (default 1,000). */
  pageSize?: number;
}

export class BulkModeUnavailableError extends Error {
  readonly code = 'BACKFILL_BULK_UNAVAILABLE';
}

/** One object's creates through bulk import: set up before its reads, finished after them. */
export class BulkPhase {
  private constructor(
    private readonly pool: Pool,
    private readonly pipeline: BackfillPipeline,
    private readonly monday: MondayPort,
    private readonly object: ResolvedObject,
    private readonly mode: BackfillMode,
    private readonly tokenIsAdmin: boolean,
    private readonly boardNew: boolean,
    private readonly options: BulkOptions,
    private readonly signal: AbortSignal | undefined,
    private readonly logger: Logger,
  ) {}

  /** Jobs run on this board by this phase. */
  jobs = 0;
  /** Rows those jobs carried. */
  rows = 0;
  /** How fast this board's jobs went: later jobs' first status read waits for it. */
  private readonly pace = new JobPace();

  /**
   * Null when this object's creates go through mutations whatever their number: `--mode mutations`,
   * an API version without bulk import (`--mode bulk` then fails), or a running service sending the
   * writes (it holds the outbox's dispatchers; `--mode bulk` then fails).
   */
  static async open(
    deps: { pool: Pool; monday: MondayPort; logger: Logger },
    pipeline: BackfillPipeline | null,
    object: ResolvedObject,
    allObjects: readonly ResolvedObject[],
    mode: BackfillMode,
    options: BulkOptions,
    resumed: boolean,
    signal?: AbortSignal,
  ): Promise<BulkPhase | null> {
    if (mode === 'mutations') return null;
    const bulk = deps.monday.bulkImport;
    if (!bulk) {
      if (mode === 'bulk') throw new BackfillModeError(mode);
      return null;
    }
    if (!pipeline || pipeline.mode !== 'in_process') {
      const why = 'a running crm-sync service holds the sync projector and sends the writes';
      if (mode === 'bulk') throw new BulkModeUnavailableError(`--mode bulk: ${why}; stop the service for the backfill, or use --mode auto or mutations`);
      deps.logger.warn({ object: object.mapping.key }, `${why}: creates go through mutations`);
      return null;
    }
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    // A run killed mid-job left it open: see it to its end before anything is sent again.
    await reconcileOpenJobs({ pool: deps.pool, bulk, sleep, now: options.now, signal, onJob: (p) => options.onJob?.(object.mapping.key, p) }, object.board.id);
    // A first load resumed after a kill is still the first load, though its first jobs linked items.
    const boardNew = !(await boardHasLinks(deps.pool, object, allObjects)) || (resumed && (await hadBackfillJob(deps.pool, object.board.id)));
    const tokenIsAdmin = await bulk.tokenIsAdmin();
    await pipeline.pauseDispatch();
    return new BulkPhase(deps.pool, pipeline, deps.monday, object, mode, tokenIsAdmin, boardNew, { ...options, sleep }, signal, deps.logger);
  }

  /** Before each page is appended: a job's worth of creates waiting goes out as one job now. */
  async beforePage(): Promise<void> {
    const path = this.pathFor(Number.MAX_SAFE_INTEGER);
    if (path === 'mutations') return;
    if ((await this.pipeline.pendingCreates(this.object.board.id)) < ROWS_PER_JOB[path]) return;
    await this.drain(path, async () => (await this.pipeline.pendingCreates(this.object.board.id)) >= ROWS_PER_JOB[path]);
  }

  /** After the reads: the rest of the creates by the path their number calls for, then everything else. */
  async finish(): Promise<CreatePath> {
    try {
      await this.pipeline.projected(this.signal);
      const waiting = await this.pipeline.pendingCreates(this.object.board.id);
      const path = this.pathFor(this.rows + waiting);
      if (path !== 'mutations' && waiting > 0) await this.drain(path);
      return this.rows > 0 ? this.pathFor(Number.MAX_SAFE_INTEGER) : path;
    } finally {
      await this.close();
    }
  }

  /**
   * Gives the writes back to the regular dispatcher, once no job of the board is still running (its
   * rows' creates, retried as mutations, could otherwise double them). Interrupted, it does neither:
   * the run ends, and the next one reconciles the job.
   */
  async close(): Promise<void> {
    if (this.signal?.aborted) return;
    const bulk = this.monday.bulkImport;
    try {
      if (bulk) await reconcileOpenJobs({ pool: this.pool, bulk, sleep: this.sleep, now: this.options.now, signal: this.signal }, this.object.board.id);
    } catch (error) {
      this.logger.error({ err: error, object: this.object.mapping.key }, 'an unfinished bulk-import job could not be reconciled; the next run tries again');
    }
    this.pipeline.resumeDispatch();
  }

  private get sleep(): (ms: number) => Promise<void> {
    return this.options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  private pathFor(creates: number): CreatePath {
    return chooseCreatePath({
      mode: this.mode,
      bulkAvailable: true,
      creates,
      threshold: this.options.threshold ?? DEFAULT_BULK_THRESHOLD,
      tokenIsAdmin: this.tokenIsAdmin,
      boardNewToSync: this.boardNew,
    });
  }

  /** Jobs of the board's waiting creates, one after the other, while `more` says a job's worth waits. */
  private async drain(path: Exclude<CreatePath, 'mutations'>, more?: () => Promise<boolean>): Promise<void> {
    const bulk = this.monday.bulkImport;
    if (!bulk) return;
    const kind = path === 'backfill_items' ? 'backfill' : 'ingest';
    const seen = new Set<string>();
    const sending = this.pipeline.heldCommandSender();
    while (!this.signal?.aborted) {
      await this.pipeline.projected(this.signal);
      if (more && !(await more())) return;
      let held: number;
      try {
        held = await this.runJob(bulk, kind, path, sending, seen);
      } catch (error) {
        if (!isLeaseLost(error)) throw error;
        // Fenced: the job sent nothing more. Rows taken over are the new holder's; the rest wait for
        // the lease to end and go in a later job, or to the dispatcher once the phase is over.
        this.logger.warn({ err: error, object: this.object.mapping.key }, 'a bulk-import job lost its claim (lapsed, or taken over by another instance): it sent nothing more');
        continue;
      }
      if (held === 0) return;
    }
  }

  /** One paged job of the board's waiting creates; the number of commands it held (0: none waited). */
  private runJob(
    bulk: MondayBulkImport,
    kind: BulkImportKind,
    path: Exclude<CreatePath, 'mutations'>,
    sending: ReturnType<BackfillPipeline['heldCommandSender']>,
    seen: Set<string>,
  ): Promise<number> {
    return runPagedJob({
      pool: this.pool,
      bulk,
      kind,
      object: this.object,
      sleep: this.sleep,
      now: this.options.now,
      signal: this.signal,
      pace: this.pace,
      monday: this.monday,
      dispatcher: sending.dispatcher,
      linkedItems: sending.linkedItems,
      rowsPerJob: ROWS_PER_JOB[path],
      pageSize: this.options.pageSize,
      onJob: (progress) => {
        if (!seen.has(progress.jobId)) {
          seen.add(progress.jobId);
          this.jobs += 1;
          this.rows += progress.rows;
        }
        this.options.onJob?.(this.object.mapping.key, progress);
      },
    });
  }
}

/**
 * First thing after a restart, before any dispatcher may send a create: each bulk-import job a killed
 * run left unfinished on these boards is polled to its end and its items attached to their records'
 * create commands (reconcileOpenJobs).
 */
export async function reconcileBeforeStart(deps: { pool: Pool; monday: MondayPort }, boardIds: readonly string[], options: BulkOptions, signal?: AbortSignal): Promise<void> {
  const bulk = deps.monday.bulkImport;
  if (!bulk) return;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (const boardId of new Set(boardIds)) await reconcileOpenJobs({ pool: deps.pool, bulk, sleep, now: options.now, signal }, boardId);
}

/** Whether the sync links any item of the object's board (objects sharing the board count too). */
async function boardHasLinks(pool: Pool, object: ResolvedObject, all: readonly ResolvedObject[]): Promise<boolean> {
  const keys = all.filter((o) => o.board.id === object.board.id).map((o) => o.mapping.key);
  return anyItemLinked(pool, keys);
}
