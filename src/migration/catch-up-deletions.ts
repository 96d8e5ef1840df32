import type { Pool } from 'pg';
import { withTransaction } from '../database/transaction';
import { appendEvents } from '../event-store';
import type { SalesforcePort, SObjectRecord } from '../salesforce/salesforce.port';
import { snapshotEvent } from './backfill-snapshot-events';
import { soqlDateTime, soqlString } from './backfill-soql';

/** Deleted records appended per transaction. */
const PAGE = 200;

export interface DeletionsRead {
  read: number;
  appended: number;
  positions: number[];
}

/**
 * The records of `object` deleted since `since` (or among `ids`), as the recycle bin shows them:
 * queryAll with IsDeleted = true. Their SystemModstamp is the delete's time on Salesforce's clock,
 * the same clock as the catch-up's `since` (a CDC commitTimestamp), so no local time enters the read.
 */
export function deletedSinceSoql(object: string, since: string | null, ids?: readonly string[]): string {
  const conditions = ['IsDeleted = true'];
  if (since) conditions.push(`SystemModstamp >= ${soqlDateTime(since)}`);
  if (ids && ids.length > 0) conditions.push(`Id IN (${ids.map(soqlString).join(', ')})`);
  return `SELECT Id, SystemModstamp, IsDeleted FROM ${object} WHERE ${conditions.join(' AND ')} ORDER BY SystemModstamp ASC, Id ASC`;
}

/**
 * A CDC gap hides deletes as well as edits, and a read of live records never returns a deleted
 * one: an item whose record a person deleted while the change events expired would stay active for
 * good. Each deleted record becomes a snapshot with `IsDeleted: true`, which the projector decides
 * as a DELETE change event (the mapping's delete policy). Its key is the record's version
 * (object, Id, SystemModstamp), so reading the same delete again appends nothing. Deletes older
 * than the recycle bin (15 days, or emptied by an administrator) cannot be learned this way.
 */
export async function appendDeletionsSince(pool: Pool, salesforce: SalesforcePort, object: string, since: string | null, ids?: readonly string[]): Promise<DeletionsRead> {
  const outcome: DeletionsRead = { read: 0, appended: 0, positions: [] };
  let page: SObjectRecord[] = [];
  const flush = async () => {
    const events = page.map((record) => snapshotEvent(object, { ...record, IsDeleted: true }, 'catch_up'));
    page = [];
    const results = await withTransaction(pool, (client) => appendEvents(client, events));
    const added = results.flatMap((r) => (r.appended ? [r.position] : []));
    outcome.positions.push(...added);
    outcome.appended += added.length;
  };
  for await (const record of salesforce.queryAll(deletedSinceSoql(object, since, ids))) {
    page.push(record);
    outcome.read += 1;
    if (page.length >= PAGE) await flush();
  }
  if (page.length > 0) await flush();
  return outcome;
}
