import { isSalesforceId, to18 } from '../../mapping/salesforce-id';
import type { DispatchContext } from './handler-types';

/**
 * What became of a record the normal lookup no longer returns (a deleted record is invisible to
 * `query` and to a GET by Id): in the recycle bin (`queryAll`, 15 days), merged into a master
 * (deleted with MasterRecordId), or gone (purged, hard-deleted, or never visible to this user).
 */
export type RemovedRecord = { kind: 'deleted'; at: number | null } | { kind: 'merged'; masterId: string } | { kind: 'gone' };

/**
 * One `queryAll` by Id (the object name is checked by the caller). MasterRecordId is selected only on
 * objects that have it (the mergeable ones: Account, Contact, Lead, Case); SOQL refuses it elsewhere.
 */
export async function removedRecord(object: string, id: string, mergeable: boolean, ctx: DispatchContext): Promise<RemovedRecord> {
  if (!isSalesforceId(id)) return { kind: 'gone' };
  ctx.countRequests('salesforce', 1);
  const fields = mergeable ? 'Id, IsDeleted, MasterRecordId, SystemModstamp' : 'Id, IsDeleted, SystemModstamp';
  for await (const row of ctx.salesforce.queryAll(`SELECT ${fields} FROM ${object} WHERE Id = '${to18(id)}'`)) {
    if (row.IsDeleted !== true) continue;
    const master = typeof row.MasterRecordId === 'string' && isSalesforceId(row.MasterRecordId) ? to18(row.MasterRecordId) : null;
    if (master) return { kind: 'merged', masterId: master };
    const modstamp = typeof row.SystemModstamp === 'string' ? Date.parse(row.SystemModstamp) : Number.NaN;
    return { kind: 'deleted', at: Number.isFinite(modstamp) ? modstamp : null };
  }
  return { kind: 'gone' };
}
