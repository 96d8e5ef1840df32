import { ApiErrorDetail, detail } from '../errors';
import { normalizeId } from '../ids/salesforce-id';
import { SalesforceOrg } from '../org';
import { SObjectSchema } from '../schema/schema-registry';
import { SObjectRecord } from '../store/record-store';
import { Transaction } from '../store/transaction';

/** Objects `merge()` supports (addendum 6.1). */
export const MERGEABLE_OBJECTS: ReadonlySet<string> = new Set(['Lead', 'Contact', 'Account']);
/** The master plus two: `recordToMergeIds` holds one or two ids. */
export const MAX_RECORDS_TO_MERGE = 2;

export interface MergeRequest {
  masterRecord: { type: string; Id: string; fields: Record<string, unknown> };
  recordToMergeIds: string[];
}

export type MergeResult =
  | { success: true; id: string; mergedRecordIds: string[]; updatedRelatedIds: string[] }
  | { success: false; id: string | null; errors: ApiErrorDetail[] };

/**
 * One merge request as SOAP `merge()` runs it (addendum 6.1), in the caller's transaction: the
 * master takes the given field values (one UPDATE change event even when none differ), every record
 * that looks a loser up points at the master instead (UPDATE events for the children), and each
 * loser is deleted with `MasterRecordId` = master (DELETE events; queryAll shows them). On any
 * failure the request's own changes are rolled back.
 */
export function mergeRecords(org: SalesforceOrg, tx: Transaction, req: MergeRequest): MergeResult {
  const savepoint = tx.savepoint();
  const masterId = normalizeId(req.masterRecord.Id);
  const failWith = (errors: ApiErrorDetail[]): MergeResult => {
    tx.rollback(savepoint);
    return { success: false, id: masterId, errors };
  };
  const type = req.masterRecord.type;
  if (!MERGEABLE_OBJECTS.has(type)) {
    return failWith([detail('INVALID_TYPE', `merge is not supported for entity type ${type}: use Lead, Contact or Account`)]);
  }
  if (req.recordToMergeIds.length === 0 || req.recordToMergeIds.length > MAX_RECORDS_TO_MERGE) {
    return failWith([
      detail('LIMIT_EXCEEDED', `A merge request takes 1 to ${MAX_RECORDS_TO_MERGE} records to merge besides the master; got ${req.recordToMergeIds.length}`, ['recordToMergeIds']),
    ]);
  }
  const master = org.writer.findLive(type, req.masterRecord.Id);
  if ('errors' in master) return failWith(master.errors);
  const masterRecordId = master.record.Id as string;

  const loserIds: string[] = [];
  for (const raw of req.recordToMergeIds) {
    const loser = org.writer.findLive(type, raw);
    if ('errors' in loser) return failWith(loser.errors);
    const id = loser.record.Id as string;
    if (id === masterRecordId || loserIds.includes(id)) {
      return failWith([detail('INVALID_ID_FIELD', `Invalid merge: record ${id} appears more than once (the master cannot be merged into itself)`, ['recordToMergeIds'])]);
    }
    loserIds.push(id);
  }

  const updated = org.writer.update(tx, type, masterRecordId, req.masterRecord.fields);
  if (!updated.ok) return failWith(updated.errors);
  const masterChange = tx.changes.get(masterRecordId);
  if (masterChange) masterChange.merged = true;

  const updatedRelatedIds: string[] = [];
  for (const loserId of loserIds) {
    const reparented = reparentChildren(org, tx, master.schema, loserId, masterRecordId);
    if ('errors' in reparented) return failWith(reparented.errors);
    updatedRelatedIds.push(...reparented.ids.filter((id) => !updatedRelatedIds.includes(id)));
    const deleted = org.writer.delete(tx, type, loserId);
    if (!deleted.ok) return failWith(deleted.errors);
    markMerged(org, tx, master.schema, loserId, masterRecordId);
  }
  return { success: true, id: masterRecordId, mergedRecordIds: loserIds, updatedRelatedIds };
}

/** Every live record with a lookup to the loser now looks the master up (the master's own lookups aside). */
function reparentChildren(
  org: SalesforceOrg,
  tx: Transaction,
  mergedSchema: SObjectSchema,
  loserId: string,
  masterId: string,
): { ids: string[] } | { errors: ApiErrorDetail[] } {
  const ids: string[] = [];
  for (const schema of org.registry.all()) {
    const lookups = schema.fields.filter(
      (f) => f.type === 'reference' && f.name !== 'MasterRecordId' && f.referenceTo.includes(mergedSchema.name),
    );
    if (lookups.length === 0) continue;
    for (const record of [...org.store.table(schema.name).values()]) {
      if (record.IsDeleted === true || record.Id === masterId) continue;
      const values = new Map<string, unknown>(lookups.filter((f) => record[f.name] === loserId).map((f) => [f.name, masterId]));
      if (values.size === 0) continue;
      const current = org.store.get(record.Id as string)?.record ?? record;
      const saved = org.writer.writeUpdate(tx, schema, current, values);
      if (!saved.ok) return { errors: saved.errors };
      ids.push(record.Id as string);
    }
  }
  return { ids };
}

function markMerged(org: SalesforceOrg, tx: Transaction, schema: SObjectSchema, loserId: string, masterId: string): void {
  const before = org.store.get(loserId)?.record as SObjectRecord;
  const after: SObjectRecord = { ...before, MasterRecordId: masterId };
  org.store.put(schema, after, before);
  tx.onRollback(() => org.store.put(schema, before, after));
}
