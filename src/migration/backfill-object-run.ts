import type { Pool } from 'pg';
import { withTransaction } from '../database/transaction';
import { appendEvents } from '../event-store';
import type { SalesforceObjectSchema } from '../mapping/live-schema';
import type { ApiUsage, BulkQueryJobStatus, SalesforcePort, SObjectRecord } from '../salesforce/salesforce.port';
import { advanceCursor, recordTotal } from './backfill-progress';
import { planRead, readPages, type ReadMode } from './backfill-reader';
import { snapshotEvent } from './backfill-snapshot-events';
import type { BackfillQuery, ReadCursor } from './backfill-soql';
import { canonicalModstamp } from './backfill-soql';

export interface ObjectRunProgress {
  objectKey: string;
  read: number;
  total: number;
  appended: number;
  mode: ReadMode;
  /** While Salesforce runs the bulk query job, before its first page: the job's last status. */
  queryJob?: BulkQueryJobStatus;
}

export interface ObjectRunOptions {
  query: BackfillQuery;
  schema: SalesforceObjectSchema;
  reason: 'backfill' | 'catch_up';
  /** Store the cursor in backfill_progress under this key with each page (resumable runs). */
  progressKey?: string;
  /** Records already read by the run this one resumes (for the bar and the total). */
  alreadyRead?: number;
  bulkThreshold?: number;
  pageSize?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ObjectRunProgress) => void;
  /** Waits before each page is appended (back-pressure: the outbox backlog stays bounded). */
  beforePage?: () => Promise<void>;
  /** Our Salesforce integration user (a catch-up): records it created are marked (snapshotEvent). */
  integrationUserId?: string;
  /** Dry run: receives each page instead of the log; returns nothing appended. */
  inspect?: (records: SObjectRecord[]) => Promise<void>;
}

/** How one object's read ended (expected outcomes are values, style lesson 4). */
export type ObjectRunOutcome =
  | { status: 'done'; read: number; appended: number; positions: number[]; mode: ReadMode }
  | { status: 'paused'; read: number; appended: number; positions: number[]; mode: ReadMode; usage: ApiUsage; floor: number }
  | { status: 'aborted'; read: number; appended: number; positions: number[]; mode: ReadMode };

/**
 * Reads one object's records from Salesforce and appends each version as a snapshot event. Each
 * page commits its events and the cursor together, so a kill loses at most the page in flight and
 * the next run continues after the last committed one. Before every request it asks the API-usage
 * floor: below it the run pauses instead of draining the org's daily allocation.
 */
export async function runObject(pool: Pool, salesforce: SalesforcePort, options: ObjectRunOptions): Promise<ObjectRunOutcome> {
  const objectKey = options.query.object.key;
  const positions: number[] = [];
  let read = 0;
  let appended = 0;
  const alreadyRead = options.alreadyRead ?? 0;

  const budget = salesforce.budgetFor('backfill');
  if (!budget.allowed) return { status: 'paused', read, appended, positions, mode: 'soql', usage: budget.usage, floor: budget.floor };
  const plan = await planRead(salesforce, options.query, options.bulkThreshold);
  const total = alreadyRead + plan.remaining;
  if (options.progressKey && !options.inspect) await recordTotal(pool, options.progressKey, total);
  const report = (queryJob?: BulkQueryJobStatus) => options.onProgress?.({ objectKey, read: alreadyRead + read, total, appended, mode: plan.mode, queryJob });
  report();

  const pages = readPages(salesforce, options.query, plan, options.schema, options.pageSize, report)[Symbol.asyncIterator]();
  try {
    for (;;) {
      if (options.signal?.aborted) return { status: 'aborted', read, appended, positions, mode: plan.mode };
      const allowed = salesforce.budgetFor('backfill');
      if (!allowed.allowed) return { status: 'paused', read, appended, positions, mode: plan.mode, usage: allowed.usage, floor: allowed.floor };
      const next = await pages.next();
      if (next.done) break;
      const records = next.value;
      await options.beforePage?.();
      if (options.signal?.aborted) return { status: 'aborted', read, appended, positions, mode: plan.mode };
      if (options.inspect) await options.inspect(records);
      else {
        const added = await appendPage(pool, options, records);
        positions.push(...added);
        appended += added.length;
      }
      read += records.length;
      report();
    }
  } finally {
    await pages.return?.(undefined);
  }
  return { status: 'done', read, appended, positions, mode: plan.mode };
}

/** One page's snapshots and the cursor after it, in one transaction; returns the new positions. */
async function appendPage(pool: Pool, options: ObjectRunOptions, records: SObjectRecord[]): Promise<number[]> {
  const object = options.query.object.salesforce;
  const events = records.map((record) => snapshotEvent(object, record, options.reason, options.integrationUserId));
  const last = records[records.length - 1];
  const cursor: ReadCursor = { modstamp: canonicalModstamp(String(last.SystemModstamp)), id: last.Id };
  return withTransaction(pool, async (client) => {
    const results = await appendEvents(client, events);
    const positions = results.flatMap((r) => (r.appended ? [r.position] : []));
    if (options.progressKey) await advanceCursor(client, options.progressKey, cursor, records.length, positions.length);
    return positions;
  });
}
