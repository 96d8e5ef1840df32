import { createHmac, randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import type { EmulatorCore } from '../emulator-core';
import { invalidArgument, MondayApiError } from '../errors';
import { rulesFor } from '../column-types/registry';
import type { ItemRecord, UserRecord } from '../state/model';
import type { BulkImportOptions } from './bulk-import-options';
import { adminOnly, BulkJobsRateLimited } from './bulk-import-errors';
import { CellError, cellToColumnValue, NULL_CELL } from './csv-cells';
import { parseImportCsv } from './csv-rows';
import { countsOf, type ImportJob, type ImportKind, type OnMatch, type ReportRow } from './import-job';

const HOUR = 3_600_000;
const MAX_NAME = 255;

export interface UploadAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/**
 * monday's bulk item import (addendum 1): ingest_items / backfill_items open a job with a signed
 * upload URL, the CSV upload starts it, rows are applied in emulated time at `rowsPerSecond` (when the
 * job is looked at), fetch_job_status reports counts and a signed report URL.
 */
export class BulkImportService {
  private readonly jobs = new Map<string, ImportJob>();
  private jobStarts: number[] = [];
  /** Ingest rows accepted per emulated hour window (key: hour number). */
  private readonly ingestRowsByHour = new Map<number, number>();
  private nextJobId = 91_000_001;
  baseUrl = 'http://127.0.0.1';

  constructor(
    private readonly core: EmulatorCore,
    readonly options: BulkImportOptions,
  ) {}

  start(kind: ImportKind, input: { boardId: string; groupId: string; onMatch: OnMatch | null }, user: UserRecord): { job_id: string; upload_url: string } {
    if (kind === 'backfill' && !user.isAdmin) throw adminOnly();
    const board = this.core.items.board(input.boardId);
    if (!board.groups.some((g) => g.id === input.groupId && !g.deleted)) throw invalidArgument('Group not found', { group_id: input.groupId });
    if (input.onMatch && input.onMatch.columnId !== 'name' && !board.columns.some((c) => c.id === input.onMatch?.columnId && !c.archived)) {
      throw invalidArgument('match_column_id does not exist on the board', { column_id: input.onMatch.columnId });
    }
    const now = this.core.clock.now();
    this.jobStarts = this.jobStarts.filter((t) => now - t < HOUR);
    if (this.jobStarts.length >= this.options.jobsPerHour) throw new BulkJobsRateLimited(this.jobStarts[0] + HOUR - now);
    this.jobStarts.push(now);
    const id = String(this.nextJobId++);
    const job: ImportJob = {
      id,
      kind,
      boardId: board.id,
      groupId: input.groupId,
      onMatch: input.onMatch,
      userId: user.id,
      createdAt: now,
      uploadSignature: randomUUID(),
      state: 'UPLOAD_PENDING',
      failureReason: null,
      failureMessage: null,
      header: [],
      rows: [],
      processed: 0,
      processingStartedAt: null,
      report: [],
      reportSignature: randomUUID(),
    };
    this.jobs.set(id, job);
    return { job_id: id, upload_url: this.signedUrl('__bulk-upload', job, now + this.options.urlTtlMs) };
  }

  /** PUT to the upload URL: S3-style answers (addendum 1.4, 1.5a). */
  upload(jobId: string, query: Record<string, string | undefined>, headers: Record<string, string | undefined>, body: string): UploadAnswer {
    const job = this.jobs.get(jobId);
    const now = this.core.clock.now();
    if (!job || !this.signatureOk('__bulk-upload', job, query)) return s3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    if (now > Number(query['X-Amz-Expires-At'])) return s3Error(403, 'AccessDenied', 'Request has expired');
    if (headers.authorization) return s3Error(400, 'InvalidArgument', 'Only one auth mechanism allowed; the upload URL is pre-signed');
    if (headers['content-md5'] || headers['x-amz-checksum-sha256']) return s3Error(403, 'HeadersNotSigned', 'There were headers present in the request which were not signed');
    if ((headers['content-type'] ?? '').split(';')[0].trim() !== 'text/csv') return s3Error(403, 'SignatureDoesNotMatch', 'The URL is signed for Content-Type: text/csv');
    if (job.state !== 'UPLOAD_PENDING') return s3Error(403, 'AccessDenied', 'The file of this job was already uploaded');
    this.accept(job, body, now);
    this.core.notifyChanged();
    return { status: 200, body: '', headers: { etag: `"${createHmac('md5', 'etag').update(body).digest('hex')}"` } };
  }

  status(jobId: string, user: UserRecord): Record<string, unknown> {
    const job = this.jobs.get(jobId);
    if (!job || job.userId !== user.id) throw invalidArgument('Job not found', { job_id: jobId });
    this.advance(job);
    const counts = countsOf(job);
    const done = job.state === 'COMPLETED' || job.state === 'FAILED' || job.state === 'REJECTED';
    const progress = done ? 100 : job.rows.length === 0 ? 0 : Math.floor((job.processed / job.rows.length) * 100);
    return {
      __typename: 'ItemsJobStatus',
      status: job.state,
      counts,
      progress_percentage: progress,
      failure_reason: job.failureReason,
      failure_message: job.failureMessage,
      fully_imported: job.state === 'COMPLETED' && counts.failed === 0,
      report_created: job.state === 'COMPLETED',
      report_url: job.state === 'COMPLETED' ? this.signedUrl('__bulk-report', job, this.core.clock.now() + this.options.urlTtlMs, job.reportSignature) : null,
    };
  }

  /** GET of a report URL: the original header plus row_number, result, item_id, error (addendum 1.7). */
  report(jobId: string, query: Record<string, string | undefined>): UploadAnswer {
    const job = this.jobs.get(jobId);
    if (!job || !this.signatureOk('__bulk-report', job, query, job.reportSignature)) return s3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    if (this.core.clock.now() > Number(query['X-Amz-Expires-At'])) return s3Error(403, 'AccessDenied', 'Request has expired');
    const lines = [[...job.header, 'row_number', 'result', 'item_id', 'error'], ...job.report.map((r) => [...r.cells, String(r.rowNumber), r.result, r.itemId === null ? '' : String(r.itemId), r.error ?? ''])];
    return { status: 200, body: stringify(lines), headers: { 'content-type': 'text/csv' } };
  }

  /** Applies every row whose emulated time has come, in every job (fetch_job_status and tests call it). */
  advanceAll(): void {
    for (const job of this.jobs.values()) this.advance(job);
  }

  private accept(job: ImportJob, body: string, now: number): void {
    if (Buffer.byteLength(body) > this.options.maxFileBytes) return reject(job, 'FAILED', 'FILE_TOO_LARGE', `the file exceeds ${this.options.maxFileBytes} bytes`);
    let parsed;
    try {
      parsed = parseImportCsv(body);
    } catch (error) {
      return reject(job, 'FAILED', 'INVALID_UPLOAD', error instanceof Error ? error.message : String(error));
    }
    const board = this.core.store.boards.get(job.boardId);
    const unknown = parsed.header.filter((id) => id !== 'name' && !board?.columns.some((c) => c.id === id && !c.archived));
    if (unknown.length > 0) return reject(job, 'FAILED', 'INVALID_UPLOAD', `bad header: unknown column ids ${unknown.join(', ')}`);
    const max = job.kind === 'ingest' ? this.options.ingestMaxRows : this.options.backfillMaxRows;
    if (parsed.rows.length > max) return reject(job, 'REJECTED', 'INVALID_UPLOAD', `${parsed.rows.length} rows: ${job.kind}_items takes at most ${max} rows per job`);
    job.header = parsed.header;
    job.rows = parsed.rows;
    if (job.kind === 'ingest') {
      const hour = Math.floor(now / HOUR);
      const used = this.ingestRowsByHour.get(hour) ?? 0;
      if (used + parsed.rows.length > this.options.hourlyItemBudget) {
        return reject(job, 'REJECTED', 'ACCOUNT_CAPACITY_EXCEEDED', `the hourly item budget (${this.options.hourlyItemBudget}) has ${this.options.hourlyItemBudget - used} items left this hour`);
      }
      this.ingestRowsByHour.set(hour, used + parsed.rows.length);
    }
    job.state = 'PROCESSING';
    job.processingStartedAt = now;
  }

  private advance(job: ImportJob): void {
    if (job.state !== 'PROCESSING' || job.processingStartedAt === null) return;
    const elapsed = Math.max(0, this.core.clock.now() - job.processingStartedAt);
    const due = Math.min(job.rows.length, Math.floor((elapsed / 1000) * this.options.rowsPerSecond));
    if (due <= job.processed) return;
    const lastRowOfKey = this.lastRowsOfMatchKeys(job);
    const operation = [`${job.kind}_items`];
    const apply = (): void => {
      for (let i = job.processed; i < due; i += 1) {
        if (this.core.faults.take('bulk_row_missing', operation)) continue;
        if (this.core.faults.take('bulk_row_failed', operation)) job.report.push({ rowNumber: i + 1, cells: job.rows[i], itemId: null, result: 'failed', error: 'INTERNAL_ERROR' });
        else job.report.push(this.applyRow(job, i, lastRowOfKey));
      }
    };
    // backfill_items: no automations, so no webhooks (addendum 1.9; documented in the package README).
    if (job.kind === 'backfill') this.core.silently(apply);
    else apply();
    job.processed = due;
    if (job.processed === job.rows.length) job.state = 'COMPLETED';
    this.core.notifyChanged();
  }

  private applyRow(job: ImportJob, index: number, lastRowOfKey: Map<string, number>): ReportRow {
    const cells = job.rows[index];
    const base = { rowNumber: index + 1, cells, itemId: null, error: null };
    const name = (cells[job.header.indexOf('name')] ?? '').trim();
    try {
      const values: Record<string, unknown> = {};
      const board = this.core.items.board(job.boardId);
      job.header.forEach((columnId, i) => {
        const cell = cells[i] ?? '';
        if (columnId === 'name' || cell.trim() === '') return;
        const column = board.columns.find((c) => c.id === columnId);
        if (!column) throw new CellError(columnId, 'unknown column');
        values[columnId] = cellToColumnValue(column, cell, this.core.store.users);
      });
      const match = this.matchOf(job, cells);
      if (match && lastRowOfKey.get(match.key) !== index) return { ...base, result: 'skipped', error: 'a later row has the same match value' };
      const existing = match?.item;
      if (existing && job.onMatch?.behaviour === 'SKIP') return { ...base, result: 'skipped', itemId: existing.id };
      if (existing) {
        if (name !== '' && name !== NULL_CELL && name !== existing.name) this.core.items.rename(existing.id, name, job.userId);
        this.core.items.changeValues({ boardId: job.boardId, itemId: existing.id, values, syntax: 'json' }, job.userId, { apiVersion: '2026-10' });
        return { ...base, result: 'updated', itemId: existing.id };
      }
      if (name === '' || name.length > MAX_NAME) return { ...base, result: 'invalid', error: `name: the item name must be between 1 and ${MAX_NAME} characters` };
      const item = this.core.items.createItem({ boardId: job.boardId, name, groupId: job.groupId, columnValues: values }, job.userId, { apiVersion: '2026-10' });
      return { ...base, result: 'created', itemId: item.id };
    } catch (error) {
      if (error instanceof CellError || error instanceof MondayApiError) return { ...base, result: 'invalid', error: error.message };
      return { ...base, result: 'failed', error: 'INTERNAL_ERROR' };
    }
  }

  /** on_match covers the whole board; several matches: the most recently created item (addendum 1.5a). */
  private matchOf(job: ImportJob, cells: string[]): { key: string; item: ItemRecord | undefined } | null {
    if (!job.onMatch) return null;
    const key = (cells[job.header.indexOf(job.onMatch.columnId)] ?? '').trim();
    if (key === '') return null;
    const board = this.core.items.board(job.boardId);
    const column = board.columns.find((c) => c.id === job.onMatch?.columnId);
    let best: ItemRecord | undefined;
    for (const item of this.core.store.items.values()) {
      if (item.boardId !== job.boardId || item.state === 'deleted') continue;
      const text = column && column.type !== 'name' ? rulesFor(column.type).text(item.values[column.id]?.data, this.core.columnContext(column, '2026-10')) : item.name;
      if (text === key && (!best || item.createdAt >= best.createdAt)) best = item;
    }
    return { key, item: best };
  }

  private lastRowsOfMatchKeys(job: ImportJob): Map<string, number> {
    const last = new Map<string, number>();
    if (!job.onMatch) return last;
    const at = job.header.indexOf(job.onMatch.columnId);
    job.rows.forEach((cells, i) => {
      const key = (cells[at] ?? '').trim();
      if (key !== '') last.set(key, i);
    });
    return last;
  }

  private signedUrl(path: string, job: ImportJob, expiresAt: number, secret = job.uploadSignature): string {
    const signature = sign(`${path}/${job.id}/${expiresAt}`, secret);
    return `${this.baseUrl}/${path}/${job.id}?X-Amz-Expires=${Math.round(this.options.urlTtlMs / 1000)}&X-Amz-Expires-At=${expiresAt}&X-Amz-Signature=${signature}`;
  }

  private signatureOk(path: string, job: ImportJob, query: Record<string, string | undefined>, secret = job.uploadSignature): boolean {
    return query['X-Amz-Signature'] === sign(`${path}/${job.id}/${String(query['X-Amz-Expires-At'])}`, secret);
  }
}

function sign(text: string, secret: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

function reject(job: ImportJob, state: 'FAILED' | 'REJECTED', reason: ImportJob['failureReason'], message: string): void {
  job.state = state;
  job.failureReason = reason;
  job.failureMessage = message;
}

function s3Error(status: number, code: string, message: string): UploadAnswer {
  return {
    status,
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    headers: { 'content-type': 'application/xml' },
  };
}
