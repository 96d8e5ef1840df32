import { counter, gauge } from '../observability/metrics-registry';
import type { ReconcileReport } from './reconcile-drift';

/** What the scheduled reconcile found, as metrics (the drift itself is also logged per object). */
export const reconcileMetrics = {
  runs: counter('crm_sync_reconcile_runs_total', 'Scheduled reconcile runs by outcome (clean, drift, failed)', ['outcome']),
  drift: gauge('crm_sync_reconcile_drift', 'Drift the latest scheduled reconcile found, by object and kind', ['object', 'kind']),
  repairsAppended: counter('crm_sync_reconcile_repairs_appended_total', 'Corrective snapshots scheduled reconcile runs appended (RECONCILE_FIX=true)'),
  lastRun: gauge('crm_sync_reconcile_last_run_timestamp_seconds', 'When the latest scheduled reconcile run finished (Unix time), whatever its outcome'),
};

/** Records one finished run: the drift gauge is replaced as a whole, so repaired drift drops to 0. */
export function recordReconcileRun(report: ReconcileReport, finishedAt: Date): void {
  reconcileMetrics.drift.reset();
  for (const object of report.objects) {
    for (const [kind, count] of Object.entries(driftKinds(object.drifts))) reconcileMetrics.drift.set({ object: object.objectKey, kind }, count);
  }
  reconcileMetrics.runs.inc({ outcome: report.driftCount > 0 ? 'drift' : 'clean' });
  reconcileMetrics.repairsAppended.inc(report.fix?.eventsAppended ?? 0);
  reconcileMetrics.lastRun.set(finishedAt.getTime() / 1000);
}

export function recordReconcileFailure(at: Date): void {
  reconcileMetrics.runs.inc({ outcome: 'failed' });
  reconcileMetrics.lastRun.set(at.getTime() / 1000);
}

/** Drift count per kind, e.g. `{ value_differs: 2, not_linked: 1 }`. */
export function driftKinds(drifts: ReadonlyArray<{ kind: string }>): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const drift of drifts) kinds[drift.kind] = (kinds[drift.kind] ?? 0) + 1;
  return kinds;
}
