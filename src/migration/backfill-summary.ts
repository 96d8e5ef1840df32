import { countSucceededCommandsByVia, type Queryable } from '../event-store';
import { tallyCommandsCausedBy } from '../outbox/commands-tally';
import { mondayRequests } from '../monday/monday-metrics';
import { outboxMetrics } from '../outbox/outbox-metrics';
import type { CreatePath } from './backfill-create-path';
import type { ReadMode } from './backfill-reader';
import type { DryRunTally } from './backfill-dry-run';

export type ObjectStatus = 'done' | 'paused' | 'aborted' | 'failed' | 'skipped';

/** One object's line of the summary. */
export interface ObjectSummary {
  objectKey: string;
  salesforce: string;
  status: ObjectStatus;
  /** Why it paused, failed or was skipped. */
  reason: string | null;
  resumed: boolean;
  mode: ReadMode | null;
  /** Records read from Salesforce in this run. */
  read: number;
  /** Record versions the log did not hold yet (the rest were read before: unchanged by definition). */
  newVersions: number;
  created: number;
  /** Items the board already held under the record's Id: linked, not created (no duplicates). */
  matched: number;
  updated: number;
  unchanged: number;
  /** Writes that ended as dead letters. */
  failed: number;
  /** Writes still queued when the run stopped waiting (service mode interrupted, pause). */
  pending: number;
  dryRun?: DryRunTally;
  /** How the run's creates reached monday (null: none were sent by this run, e.g. a dry run). */
  createPath: CreatePath | null;
  /** Bulk-import jobs this run ran for the object. */
  bulkJobs: number;
}

/** How a done monday create reached its item when it linked an existing one instead of creating it. */
const MATCHED_VIAS: ReadonlySet<string | null> = new Set(['salesforce_id_column', 'matched_existing']);

/**
 * What the writes caused by this run's snapshots became, from the outbox and the outcome events:
 * created, matched (linked to an existing item), updated, failed; unchanged = read minus those.
 */
export async function summarizeWrites(db: Queryable, positions: readonly number[]): Promise<Pick<ObjectSummary, 'created' | 'matched' | 'updated' | 'failed' | 'pending'> & { touched: number }> {
  const totals = { created: 0, matched: 0, updated: 0, failed: 0, pending: 0, touched: 0 };
  if (positions.length === 0) return totals;
  const { tallies, doneMondayCreateIds } = await tallyCommandsCausedBy(db, positions);
  for (const row of tallies) {
    totals.touched += row.n;
    if (row.status === 'dead') totals.failed += row.n;
    else if (row.status !== 'done') totals.pending += row.n;
    else if (row.kind === 'monday.create_item') totals.created += row.n;
    else totals.updated += row.n;
  }
  // A done create without a matching outcome event counts as created, as before the split.
  for (const [via, n] of await countSucceededCommandsByVia(db, doneMondayCreateIds)) {
    if (!MATCHED_VIAS.has(via)) continue;
    totals.matched += n;
    totals.created -= n;
  }
  return totals;
}

/** API requests this process has made so far, from the clients' own counters (monday) and the org's usage header (Salesforce). */
export async function mondayRequestCount(): Promise<number> {
  const metric = await mondayRequests.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}

export async function dispatcherRequestCount(target: 'salesforce' | 'monday'): Promise<number> {
  const metric = await outboxMetrics.apiRequests.get();
  return metric.values.filter((v) => v.labels.target === target).reduce((sum, v) => sum + v.value, 0);
}
