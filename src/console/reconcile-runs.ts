import { hostname } from 'node:os';
import type { Pool } from 'pg';
import type { Queryable } from '../event-store/queryable';
import type { Drift, ReconcileReport } from '../migration/reconcile';
import { tryLockReconcileObject, unlockReconcileObject } from '../migration/reconcile-object-lock';

/** What a finished run keeps (reconcile_runs.summary): counts and ids, never field values. */
export interface ReconcileRunSummary {
  driftCount: number;
  eventsAppended: number | null;
  /** The first drifts found, without values or names (they may be personal data). */
  drifts: Array<Pick<Drift, 'kind' | 'salesforceId' | 'itemId' | 'column' | 'salesforceField' | 'fix'>>;
}

export interface ReconcileRun {
  id: number;
  objectKey: string;
  status: 'running' | 'done' | 'failed';
  startedAt: Date;
  finishedAt: Date | null;
  /** host:pid of the instance that runs or ran it. */
  startedBy: string;
  summary: ReconcileRunSummary | null;
  error: string | null;
}

const LISTED_DRIFTS = 50;
const STOPPED = 'the instance running it stopped before it finished; start it again';

/** The newest runs (every instance's), newest first. */
export async function listReconcileRuns(db: Queryable, limit = 20): Promise<ReconcileRun[]> {
  const { rows } = await db.query<{ id: string; object_key: string; status: ReconcileRun['status']; started_at: Date; finished_at: Date | null; started_by: string; summary: ReconcileRunSummary | null; error: string | null }>(
    'SELECT id, object_key, status, started_at, finished_at, started_by, summary, error FROM reconcile_runs ORDER BY started_at DESC, id DESC LIMIT $1',
    [limit],
  );
  return rows.map((r) => ({ id: Number(r.id), objectKey: r.object_key, status: r.status, startedAt: r.started_at, finishedAt: r.finished_at, startedBy: r.started_by, summary: r.summary, error: r.error }));
}

export function summarize(report: ReconcileReport): ReconcileRunSummary {
  const drifts = report.objects.flatMap((o) => o.drifts).slice(0, LISTED_DRIFTS);
  return {
    driftCount: report.driftCount,
    eventsAppended: report.fix?.eventsAppended ?? null,
    drifts: drifts.map(({ kind, salesforceId, itemId, column, salesforceField, fix }) => ({ kind, salesforceId, itemId, column, salesforceField, fix })),
  };
}

/**
 * Starts console reconciles so that every instance sees them (reconcile_runs, migration 0019) and
 * only one runs per object across instances: the run holds the advisory lock `reconcile:<object>`
 * on a connection of its own until it ends. A 'running' row whose lock is free belonged to an
 * instance that died; it is marked failed when the next run of that object starts.
 */
export class ReconcileRunner {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly pool: Pool,
    private readonly startedBy = `${hostname()}:${process.pid}`,
  ) {}

  /** The run's id, or null when a run of that object is going on (here or on another instance). */
  async start(objectKey: string, run: () => Promise<ReconcileReport>): Promise<number | null> {
    const lock = await tryLockReconcileObject(this.pool, objectKey);
    if (!lock) return null;
    let id: number;
    try {
      await this.pool.query("UPDATE reconcile_runs SET status = 'failed', finished_at = now(), error = $2 WHERE object_key = $1 AND status = 'running'", [objectKey, STOPPED]);
      const inserted = await this.pool.query<{ id: string }>("INSERT INTO reconcile_runs (object_key, status, started_by) VALUES ($1, 'running', $2) RETURNING id", [objectKey, this.startedBy]);
      id = Number(inserted.rows[0].id);
    } catch (error) {
      await unlockReconcileObject(lock, objectKey);
      throw error;
    }
    const finished = this.finish(id, run).finally(() => unlockReconcileObject(lock, objectKey));
    this.inFlight.add(finished);
    void finished.finally(() => this.inFlight.delete(finished));
    return id;
  }

  /** Resolves when the runs started here have ended (shutdown, tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private async finish(id: number, run: () => Promise<ReconcileReport>): Promise<void> {
    try {
      const report = await run();
      await this.pool.query("UPDATE reconcile_runs SET status = 'done', finished_at = now(), summary = $2 WHERE id = $1", [id, JSON.stringify(summarize(report))]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.pool.query("UPDATE reconcile_runs SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1", [id, message]).catch(() => undefined);
    }
  }
}
