import type { ReconcileReport } from '../migration/reconcile';

export interface ReconcileRun {
  objectKey: string;
  startedAt: Date;
  status: 'running' | 'done' | 'failed';
  report: ReconcileReport | null;
  error: string | null;
}

/**
 * Reconciles started from the console, newest first, kept in memory (the last 20): the run goes on
 * in the background so the page answers at once; one run per object at a time.
 */
export class ReconcileRuns {
  private readonly runs: ReconcileRun[] = [];

  list(): readonly ReconcileRun[] {
    return this.runs;
  }

  /** False when a run for that object is still going. */
  start(objectKey: string, run: () => Promise<ReconcileReport>): boolean {
    if (this.runs.some((r) => r.objectKey === objectKey && r.status === 'running')) return false;
    const entry: ReconcileRun = { objectKey, startedAt: new Date(), status: 'running', report: null, error: null };
    this.runs.unshift(entry);
    this.runs.splice(20);
    run().then(
      (report) => Object.assign(entry, { status: 'done', report }),
      (error: unknown) => Object.assign(entry, { status: 'failed', error: error instanceof Error ? error.message : String(error) }),
    );
    return true;
  }
}
