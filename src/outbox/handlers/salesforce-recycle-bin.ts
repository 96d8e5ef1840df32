import { isSalesforceId, to18 } from '../../mapping/salesforce-id';
import type { DispatchContext } from './handler-types';

/**
 * What became of a record the normal lookup no longer returns (a deleted record is invisible to
 * `query` and to a GET by Id): in the recycle bin (`queryAll`, 15 days), merged into a master
 * (deleted with MasterRecordId), or gone (purged, hard-deleted, or never visible to this user).
 */
export type RemovedRecord = { kind: 'deleted'; at: number | null } | { kind: 'merged'; masterId: string } | { kind: 'gone' };

/** One `queryAll` by Id (the object name and Id are checked by the caller: API name, Salesforce Id). */
export async function removedRecord(object: string, id: string, ctx: DispatchContext): Promise<RemovedRecord> {
  if (!isSalesforceId(id)) return { kind: 'gone' };
  ctx.countRequests('salesforce', 1);
  for await (const row of ctx.salesforce.queryAll(`SELECT Id, IsDeleted, MasterRecordId, SystemModstamp FROM ${object} WHERE Id = '${to18(id)}'`)) {
    if (row.IsDeleted !== true) continue;
    const master = typeof row.MasterRecordId === 'string' && isSalesforceId(row.MasterRecordId) ? to18(row.MasterRecordId) : null;
    if (master) return { kind: 'merged', masterId: master };
    const modstamp = typeof row.SystemModstamp === 'string' ? Date.parse(row.SystemModstamp) : Number.NaN;
    return { kind: 'deleted', at: Number.isFinite(modstamp) ? modstamp : null };
  }
  return { kind: 'gone' };
}
