/**
 * monday's bulk item import (API 2026-07+, addendum 1) as the product sees it. `ingest` counts toward
 * the account's hourly item budget and may upsert; `backfill` is for account admins, create-only and
 * outside that budget.
 */
export type BulkImportKind = 'ingest' | 'backfill';

export interface BulkImportJob {
  jobId: string;
  uploadUrl: string;
}

export type BulkImportJobState = 'UPLOAD_PENDING' | 'REJECTED' | 'PROCESSING' | 'COMPLETED' | 'FAILED' | 'UNKNOWN';

export interface BulkImportJobStatus {
  /** Values added after 2026-10 (QUEUED, CANCELLED...) read as UNKNOWN: not final, poll again. */
  state: BulkImportJobState;
  progressPercentage: number;
  counts: { submitted: number; invalid: number; skipped: number; created: number; updated: number; failed: number };
  failureReason: string | null;
  failureMessage: string | null;
  fullyImported: boolean;
  reportUrl: string | null;
}

/** One row of a job's report: which item a CSV row became, or why it did not. */
export interface BulkImportReportRow {
  rowNumber: number;
  result: string;
  itemId: string | null;
  error: string | null;
  cells: Record<string, string>;
}

export interface MondayBulkImport {
  /** Whether the token's user is an account admin (`me { kind }` is `admin`). */
  tokenIsAdmin(): Promise<boolean>;
  startJob(kind: BulkImportKind, boardId: string, groupId: string): Promise<BulkImportJob>;
  /** PUT of the CSV to the pre-signed URL: `Content-Type: text/csv`, no token (addendum 1.4). */
  upload(uploadUrl: string, csv: string): Promise<void>;
  jobStatus(jobId: string): Promise<BulkImportJobStatus>;
  report(reportUrl: string): Promise<BulkImportReportRow[]>;
}

export function isFinalState(state: BulkImportJobState): boolean {
  return state === 'COMPLETED' || state === 'FAILED' || state === 'REJECTED';
}
