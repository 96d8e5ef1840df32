/** The 2026-07/2026-10 enum values only: the 2027-01 additions (QUEUED, TIMED_OUT...) are not served. */
export type BulkImportState = 'UPLOAD_PENDING' | 'REJECTED' | 'PROCESSING' | 'COMPLETED' | 'FAILED';
export type BulkImportFailureReason =
  | 'INVALID_UPLOAD'
  | 'AUTHORIZATION_FAILED'
  | 'PERMISSION_DENIED'
  | 'BOARD_CAPACITY_EXCEEDED'
  | 'ACCOUNT_CAPACITY_EXCEEDED'
  | 'FILE_TOO_LARGE'
  | 'INTERNAL_ERROR';

export type ImportKind = 'ingest' | 'backfill';
export type RowResult = 'created' | 'updated' | 'skipped' | 'invalid' | 'failed';

export interface OnMatch {
  columnId: string;
  behaviour: 'UPSERT' | 'SKIP';
}

export interface ReportRow {
  rowNumber: number;
  cells: string[];
  result: RowResult;
  itemId: number | null;
  error: string | null;
}

export interface ImportJob {
  id: string;
  kind: ImportKind;
  boardId: number;
  groupId: string;
  onMatch: OnMatch | null;
  userId: number;
  createdAt: number;
  uploadSignature: string;
  state: BulkImportState;
  failureReason: BulkImportFailureReason | null;
  failureMessage: string | null;
  header: string[];
  rows: string[][];
  /** Rows already applied (processing walks them in emulated time). */
  processed: number;
  processingStartedAt: number | null;
  report: ReportRow[];
  reportSignature: string;
}

export interface JobCounts {
  submitted: number;
  invalid: number;
  skipped: number;
  created: number;
  updated: number;
  failed: number;
}

export function countsOf(job: ImportJob): JobCounts {
  const counts: JobCounts = { submitted: job.rows.length, invalid: 0, skipped: 0, created: 0, updated: 0, failed: 0 };
  for (const row of job.report) counts[row.result] += 1;
  return counts;
}
