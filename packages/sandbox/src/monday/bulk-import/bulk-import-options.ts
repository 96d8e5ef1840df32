/** Limits and pace of the emulated bulk import (addendum 1.8); every number is a setting. */
export interface BulkImportOptions {
  /** Emulated rows processed per second once a file is uploaded (monday publishes no rate `[?]`). */
  rowsPerSecond: number;
  ingestMaxRows: number;
  backfillMaxRows: number;
  /** Items per account per hour that ingest rows draw on (backfill rows do not). */
  hourlyItemBudget: number;
  /** Successful ingest_items + backfill_items calls per account per hour. */
  jobsPerHour: number;
  maxFileBytes: number;
  /** Emulated ms an upload URL and a report URL stay valid. */
  urlTtlMs: number;
}

export const DEFAULT_BULK_IMPORT: BulkImportOptions = {
  rowsPerSecond: 500,
  ingestMaxRows: 10_000,
  backfillMaxRows: 20_000,
  hourlyItemBudget: 19_000,
  jobsPerHour: 100,
  maxFileBytes: 150 * 1024 * 1024,
  urlTtlMs: 10 * 60_000,
};
