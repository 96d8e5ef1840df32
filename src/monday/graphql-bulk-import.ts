import { parse } from 'csv-parse/sync';
import { BACKFILL_ITEMS_MUTATION, FETCH_JOB_STATUS_QUERY, INGEST_ITEMS_MUTATION, ME_KIND_QUERY } from './documents';
import type { BulkImportJob, BulkImportJobState, BulkImportJobStatus, BulkImportKind, BulkImportReportRow, MondayBulkImport } from './bulk-import.port';
import { MondayError } from './monday.error';
import type { MondayRequester } from './monday-requester';
import { record } from './parse-monday-responses';
import { boundedTimeout } from '../sync-commands/write-deadline';

const KNOWN_STATES: ReadonlySet<string> = new Set(['UPLOAD_PENDING', 'REJECTED', 'PROCESSING', 'COMPLETED', 'FAILED']);
/** A file of a job's rows (up to tens of thousands) to object storage. */
const UPLOAD_TIMEOUT_MS = 10 * 60_000;
const REPORT_COLUMNS = new Set(['row_number', 'result', 'item_id', 'error']);

/** Bulk import over GraphQL (documents.ts) plus the two pre-signed object-storage URLs. */
export class GraphqlMondayBulkImport implements MondayBulkImport {
  constructor(
    private readonly requester: MondayRequester,
    private readonly fetchFn: typeof fetch = globalThis.fetch,
  ) {}

  async tokenIsAdmin(): Promise<boolean> {
    const answer = await this.requester.execute({ operation: 'me', document: ME_KIND_QUERY, variables: {} });
    return record(answer.data.me, 'me').kind === 'admin';
  }

  async startJob(kind: BulkImportKind, boardId: string, groupId: string): Promise<BulkImportJob> {
    const field = kind === 'ingest' ? 'ingest_items' : 'backfill_items';
    const answer = await this.requester.execute({
      operation: field,
      document: kind === 'ingest' ? INGEST_ITEMS_MUTATION : BACKFILL_ITEMS_MUTATION,
      variables: { boardId, groupId },
      boardId,
    });
    const error = answer.fieldErrors.get(field);
    if (error) throw error;
    const init = record(answer.data[field], field);
    if (typeof init.job_id !== 'string' || typeof init.upload_url !== 'string') {
      throw new MondayError('PERMANENT', `${field} answered without job_id and upload_url`, { boardId });
    }
    return { jobId: init.job_id, uploadUrl: init.upload_url };
  }

  async upload(uploadUrl: string, csv: string): Promise<void> {
    let response: Response;
    try {
      // Within a bulk-import job, never past the lease of the claim that holds its rows.
      const signal = AbortSignal.timeout(boundedTimeout(UPLOAD_TIMEOUT_MS));
      response = await this.fetchFn(uploadUrl, { method: 'PUT', headers: { 'Content-Type': 'text/csv' }, body: csv, signal });
    } catch (cause) {
      throw new MondayError('TRANSIENT', `bulk import upload failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    if (!response.ok) {
      const text = (await response.text()).slice(0, 300);
      const code = response.status >= 500 ? 'TRANSIENT' : 'PERMANENT';
      throw new MondayError(code, `bulk import upload answered HTTP ${response.status}: ${text}`, { httpStatus: response.status });
    }
  }

  async jobStatus(jobId: string): Promise<BulkImportJobStatus> {
    const answer = await this.requester.execute({ operation: 'fetch_job_status', document: FETCH_JOB_STATUS_QUERY, variables: { jobId } });
    const error = answer.fieldErrors.get('fetch_job_status');
    if (error) throw error;
    const s = record(answer.data.fetch_job_status, 'fetch_job_status');
    const c = record(s.counts ?? {}, 'counts');
    const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
    const state = typeof s.status === 'string' && KNOWN_STATES.has(s.status) ? (s.status as BulkImportJobState) : 'UNKNOWN';
    return {
      state,
      progressPercentage: n(s.progress_percentage),
      counts: { submitted: n(c.submitted), invalid: n(c.invalid), skipped: n(c.skipped), created: n(c.created), updated: n(c.updated), failed: n(c.failed) },
      failureReason: typeof s.failure_reason === 'string' ? s.failure_reason : null,
      failureMessage: typeof s.failure_message === 'string' ? s.failure_message : null,
      fullyImported: s.fully_imported === true,
      reportUrl: typeof s.report_url === 'string' ? s.report_url : null,
    };
  }

  /** The report's format is not documented (addendum 1.7): rows with row_number, result, item_id, error. */
  async report(reportUrl: string): Promise<BulkImportReportRow[]> {
    const response = await this.fetchFn(reportUrl);
    if (!response.ok) throw new MondayError('TRANSIENT', `bulk import report answered HTTP ${response.status}`, { httpStatus: response.status });
    const rows = parse(await response.text(), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
    return rows.map((row) => {
      const cells: Record<string, string> = {};
      for (const [key, value] of Object.entries(row)) if (!REPORT_COLUMNS.has(key)) cells[key] = value;
      return { rowNumber: Number(row.row_number), result: row.result ?? '', itemId: row.item_id ? row.item_id : null, error: row.error ? row.error : null, cells };
    });
  }
}
