import type { ApiUsage } from '../salesforce/salesforce.port';
import type { MondayApiUsage, MondayPort } from '../monday/monday.port';
import type { ReconcileReport } from '../migration/reconcile';
import type { ResolvedMapping } from '../mapping/resolved-mapping';
import type { Incident } from '../alerts/incident-tracker';
import type { ReconcileRunner } from './reconcile-runs';
import type { DuplicateClusterFinder, MergeRequestService } from '../data-quality/data-quality.module';

/** What the running sync lends the console once it has started (null until then, or in a plain HTTP service). */
export interface SyncBindings {
  mapping: ResolvedMapping;
  salesforceUsage(): { usage: ApiUsage | null; floor: number | null };
  mondayUsage(): MondayApiUsage | null;
  monday: MondayPort;
  /** `crm-sync reconcile --object KEY [--fix]` against the running service's context. */
  reconcile(objectKey: string, fix: boolean): Promise<ReconcileReport>;
  /** Starts console reconciles as rows of reconcile_runs, one per object at a time across instances. */
  reconcileRuns: ReconcileRunner;
  openIncidents(): Incident[];
  /** Duplicate clusters and merges (the console's Duplicates pages). */
  dataQuality?: { finder: DuplicateClusterFinder; merges: MergeRequestService };
}

/** The emulators' control APIs, present in sandbox mode only (the demo panel). */
export interface SandboxBindings {
  salesforceUrl: string;
  /** Base URL of the monday emulator (without /v2). */
  mondayUrl: string;
}

/**
 * Parts of the service the console reads that are built after the HTTP app (the sync engine, the
 * emulators): filled in at start, read per request.
 */
export class OperatorBindings {
  sync: SyncBindings | null = null;
  sandbox: SandboxBindings | null = null;
}
