import type { SalesforceCall } from './salesforce-call';
import { requestJson } from './salesforce-call';
import { toRecord } from './salesforce-records';
import type { QueryOptions, QueryPage, SObjectRecord } from './salesforce.port';

interface RawQueryResult {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: unknown[];
}

const MIN_BATCH = 200;
const MAX_BATCH = 2000;

/**
 * SOQL through `/query` (or `/queryAll`), following `nextRecordsUrl` page by page (reference 2.4).
 * Pages are fetched lazily: a consumer that stops iterating stops the requests. jsforce's own Query
 * is not used because it caps autoFetch at maxFetch (10 000 by default) and buffers.
 */
export async function* queryPages(call: SalesforceCall, soql: string, options: QueryOptions & { includeDeleted?: boolean } = {}): AsyncGenerator<QueryPage> {
  const operation = options.includeDeleted ? 'queryAll' : 'query';
  const headers: Record<string, string> = {};
  if (options.batchSize !== undefined) {
    const size = Math.min(MAX_BATCH, Math.max(MIN_BATCH, Math.floor(options.batchSize)));
    headers['Sforce-Query-Options'] = `batchSize=${size}`;
  }
  let url: string | undefined = `/${operation}?q=${encodeURIComponent(soql)}`;
  while (url !== undefined) {
    const pageUrl: string = url;
    const page = await call.run({ operation }, () => requestJson<RawQueryResult>(call.conn, 'GET', pageUrl, undefined, headers));
    yield { records: page.records.map(toRecord), totalSize: page.totalSize, done: page.done };
    url = page.done ? undefined : page.nextRecordsUrl;
  }
}

export async function* queryRecords(call: SalesforceCall, soql: string, options: QueryOptions & { includeDeleted?: boolean } = {}): AsyncGenerator<SObjectRecord> {
  for await (const page of queryPages(call, soql, options)) yield* page.records;
}
