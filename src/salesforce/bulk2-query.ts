import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import type { Connection } from 'jsforce';
import type { SalesforceCall } from './salesforce-call';
import { requestJson } from './salesforce-call';
import { SalesforceError } from './salesforce.error';
import type { BulkQueryJobStatus, BulkQueryOptions, BulkRecord } from './salesforce.port';

export interface Bulk2PollOptions {
  /** Between job status checks (default 2 s). */
  pollIntervalMs: number;
  /** Give up waiting for JobComplete after this long (default 2 h, SALESFORCE_BULK_QUERY_TIMEOUT_MINUTES); the job is aborted. */
  timeoutMs: number;
}

interface QueryJobInfo {
  id: string;
  state: BulkQueryJobStatus['state'];
  numberRecordsProcessed?: number;
  errorMessage?: string;
}

/**
 * Bulk API 2.0 query (reference 4.1, 4.3). jsforce's `bulk2.query()` crashes with
 * ERR_STREAM_WRITE_AFTER_END once results span two pages (jsforce#1546/#1693), so this creates and
 * polls the job with plain requests and pages through `/results` itself, following `Sforce-Locator`
 * until the literal `null`. Pages are fetched lazily as the consumer iterates.
 */
export async function* bulkQuery(call: SalesforceCall, soql: string, options: BulkQueryOptions, poll: Bulk2PollOptions): AsyncGenerator<BulkRecord> {
  const context = { operation: 'bulkQuery' as const };
  const job = await call.run(context, () =>
    requestJson<QueryJobInfo>(call.conn, 'POST', '/jobs/query', {
      operation: options.includeDeleted ? 'queryAll' : 'query',
      query: soql,
      contentType: 'CSV',
      columnDelimiter: 'COMMA',
      lineEnding: 'LF',
    }),
  );
  await waitForCompletion(call, job.id, poll, options.onJobStatus);

  let locator: string | null = null;
  do {
    const params = new URLSearchParams();
    if (options.pageSize !== undefined) params.set('maxRecords', String(options.pageSize));
    if (locator !== null) params.set('locator', locator);
    const query = params.size > 0 ? `?${params.toString()}` : '';
    const page = await call.run(context, () => fetchResultsPage(call.conn, `/jobs/query/${job.id}/results${query}`));
    for (const row of parseCsv(page.body)) yield row;
    locator = page.locator === null || page.locator === 'null' || page.locator === '' ? null : page.locator;
  } while (locator !== null);
}

async function waitForCompletion(call: SalesforceCall, jobId: string, poll: Bulk2PollOptions, onStatus?: (status: BulkQueryJobStatus) => void): Promise<void> {
  const started = Date.now();
  const deadline = started + poll.timeoutMs;
  for (;;) {
    const info = await call.run({ operation: 'bulkQuery' }, () => requestJson<QueryJobInfo>(call.conn, 'GET', `/jobs/query/${jobId}`));
    onStatus?.({ jobId, state: info.state, recordsProcessed: info.numberRecordsProcessed ?? 0, waitedMs: Date.now() - started });
    if (info.state === 'JobComplete') return;
    if (info.state === 'Failed' || info.state === 'Aborted') {
      throw new SalesforceError({
        code: 'PERMANENT',
        sfCode: `BULK_JOB_${info.state.toUpperCase()}`,
        operation: 'bulkQuery',
        message: `Bulk API 2.0 query job ${jobId} ${info.state}${info.errorMessage ? `: ${info.errorMessage}` : ''}`,
      });
    }
    if (Date.now() >= deadline) {
      await call
        .run({ operation: 'bulkQuery' }, () => requestJson(call.conn, 'PATCH', `/jobs/query/${jobId}`, { state: 'Aborted' }))
        .catch(() => undefined);
      throw new SalesforceError({
        code: 'TRANSIENT',
        sfCode: 'BULK_JOB_TIMEOUT',
        operation: 'bulkQuery',
        message: `Bulk API 2.0 query job ${jobId} did not complete within ${poll.timeoutMs} ms (aborted)`,
      });
    }
    await sleep(poll.pollIntervalMs);
  }
}

/**
 * One results page as text plus its Sforce-Locator header. jsforce's request returns only the body,
 * so a pass-through transport for this one request captures the response headers.
 */
async function fetchResultsPage(conn: Connection, url: string): Promise<{ body: string; locator: string | null }> {
  let headers: Record<string, string> = {};
  const base = conn._transport;
  const capturing = {
    httpRequest(request: Parameters<typeof base.httpRequest>[0], options?: Parameters<typeof base.httpRequest>[1]) {
      const pending = base.httpRequest(request, options);
      pending.then(
        (response) => {
          if (response) headers = response.headers;
        },
        () => undefined,
      );
      return pending;
    },
  };
  const body = await conn.request<string>({ method: 'GET', url, headers: { Accept: 'text/csv' } }, { responseType: 'text/plain', transport: capturing });
  return { body: typeof body === 'string' ? body : '', locator: headers['sforce-locator'] ?? null };
}

/** CSV with a header row; Bulk 2.0 writes null as an empty cell. */
function parseCsv(text: string): BulkRecord[] {
  if (text.trim() === '') return [];
  const rows = parse(text, { columns: true, skip_empty_lines: true, relax_column_count: false }) as Record<string, string>[];
  return rows.map((row) => {
    const out: BulkRecord = {};
    for (const [key, value] of Object.entries(row)) out[key] = value === '' ? null : value;
    return out;
  });
}
