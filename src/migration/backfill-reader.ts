import type { SalesforceObjectSchema } from '../mapping/live-schema';
import type { BulkQueryJobStatus, SalesforcePort, SObjectRecord } from '../salesforce/salesforce.port';
import { bulkRecordTyper } from './backfill-snapshot-events';
import { backfillCountSoql, backfillSoql, type BackfillQuery } from './backfill-soql';

/** Above this many records a run reads through Bulk API 2.0 (Heroku Connect switches at 10,000). */
export const BULK_THRESHOLD = 10_000;
/** Records per page: SOQL's largest page, and the unit a run commits (events + cursor). */
export const PAGE_SIZE = 2_000;
/** Bulk results pages (maxRecords) per commit page: one results request per 10,000 records. */
const BULK_PAGE_FACTOR = 5;
/** Ids per `Id IN (...)` query: keeps the URL far below Salesforce's 16 KB limit. */
const IDS_PER_QUERY = 200;

export type ReadMode = 'soql' | 'bulk';

export interface ReadPlan {
  mode: ReadMode;
  /** Records the query matches now (COUNT()). */
  remaining: number;
}

/** One COUNT() query decides how to read: paged SOQL, or Bulk API 2.0 for large objects. */
export async function planRead(salesforce: SalesforcePort, query: BackfillQuery, bulkThreshold = BULK_THRESHOLD): Promise<ReadPlan> {
  let remaining = 0;
  for await (const page of salesforce.queryPages(backfillCountSoql(query))) {
    remaining = page.totalSize;
    break;
  }
  return { mode: remaining > bulkThreshold && !query.ids ? 'bulk' : 'soql', remaining };
}

/**
 * The query's records in (SystemModstamp, Id) order, page by page. Requests go out only as the
 * caller asks for the next page, so a caller that stops (API floor reached, aborted) spends nothing
 * more. Bulk rows are typed like REST records (numbers, booleans) from the describe.
 */
export async function* readPages(
  salesforce: SalesforcePort,
  query: BackfillQuery,
  plan: ReadPlan,
  schema: SalesforceObjectSchema,
  pageSize = PAGE_SIZE,
  onJobStatus?: (status: BulkQueryJobStatus) => void,
): AsyncGenerator<SObjectRecord[]> {
  if (query.ids && query.ids.length > IDS_PER_QUERY) {
    for (let start = 0; start < query.ids.length; start += IDS_PER_QUERY) {
      yield* readPages(salesforce, { ...query, ids: query.ids.slice(start, start + IDS_PER_QUERY) }, plan, schema, pageSize, onJobStatus);
    }
    return;
  }
  const soql = backfillSoql(query);
  if (plan.mode === 'soql') {
    for await (const page of salesforce.queryPages(soql, { batchSize: pageSize })) if (page.records.length > 0) yield page.records;
    return;
  }
  const typed = bulkRecordTyper(schema);
  let page: SObjectRecord[] = [];
  // Bulk result pages are larger than a commit unit; memory holds one results page at most.
  for await (const row of salesforce.bulkQuery(soql, { pageSize: BULK_PAGE_FACTOR * pageSize, onJobStatus })) {
    page.push(typed(row));
    if (page.length >= pageSize) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}
