import type { Mapping } from '../mapping';
import type { MondayPort } from '../monday/monday.port';
import type { MergeOutcome } from '../salesforce/salesforce.port';
import { DuplicatesError, objectsToSearch, searchObject, type DuplicatesDependencies, type DuplicatesProgress } from './duplicates';
import type { Crm } from './candidate';
import { finishMergeAudit, startMergeAudit } from './merge-audit';
import { MergePlanError, planMerge, type MergeableObject, type MergePlan } from './merge-plan';

/** An item whose board relation named a merged-away item: its new list of linked items. */
export interface RelationRepoint {
  readonly boardId: string;
  readonly itemId: string;
  readonly column: string;
  readonly linkedItemIds: readonly string[];
}

export interface MergeReport {
  readonly dryRun: boolean;
  readonly plan: MergePlan;
  readonly repoints: readonly RelationRepoint[];
  readonly salesforce: readonly MergeOutcome[];
  readonly mondayRemoved: readonly string[];
}

/**
 * Merges one cluster found by `crm-sync duplicates`: searches again (the id names the members,
 * so a changed cluster is not merged blindly), plans, records the plan (duplicate_merges), then
 * sends Salesforce merge() calls; their CDC deletes give the merged records' items the delete
 * policy and re-point relations through the running sync. Items with no record are handled here.
 */
export async function mergeCluster(
  deps: DuplicatesDependencies,
  input: { clusterId: string; objectKey?: string; master?: { crm: Crm; id: string }; dryRun: boolean },
  progress: DuplicatesProgress = {},
): Promise<MergeReport> {
  for (const object of objectsToSearch(deps.mapping, input.objectKey)) {
    const search = await searchObject(deps, object, progress);
    const cluster = search.clusters.find((c) => c.id === input.clusterId);
    if (!cluster) continue;
    let plan: MergePlan;
    try {
      plan = planMerge({
        cluster,
        salesforceObject: object.salesforce,
        deletePolicy: object.delete,
        master: input.master,
        records: search.read.salesforceRecords,
        describe: await deps.salesforce.describe(object.salesforce),
      });
    } catch (error) {
      throw error instanceof MergePlanError ? new DuplicatesError(error.code, error.message) : error;
    }
    const repoints = plan.masterItemId ? await relationRepoints(deps.monday, deps.mapping, object.key, plan.mondayLosers, plan.masterItemId) : [];
    if (input.dryRun) return { dryRun: true, plan, repoints, salesforce: [], mondayRemoved: [] };
    const auditId = await startMergeAudit(deps.db, cluster, plan, { repoints });
    const salesforce: MergeOutcome[] = [];
    const mondayRemoved: string[] = [];
    try {
      for (const call of plan.salesforceMerges) {
        salesforce.push(await deps.salesforce.merge({ object: plan.salesforceObject as MergeableObject, masterId: call.masterId, mergeIds: call.mergeIds, masterFields: call.masterFields }));
      }
      for (const repoint of repoints) {
        await deps.monday.changeColumnValues(repoint.boardId, repoint.itemId, { [repoint.column]: { item_ids: repoint.linkedItemIds.map(Number) } });
      }
      for (const itemId of plan.mondayLosers) {
        if (plan.deletePolicy === 'archive') await deps.monday.archiveItem(object.monday.board, itemId);
        if (plan.deletePolicy === 'delete') await deps.monday.deleteItem(object.monday.board, itemId);
        if (plan.deletePolicy !== 'none') mondayRemoved.push(itemId);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await finishMergeAudit(deps.db, auditId, { status: 'failed', outcome: { salesforce, mondayRemoved }, error: message });
      throw new DuplicatesError('NOT_MERGEABLE', `merge of ${cluster.id} stopped: ${message} (done so far is recorded in duplicate_merges)`);
    }
    await finishMergeAudit(deps.db, auditId, { status: 'done', outcome: { salesforce, mondayRemoved } });
    return { dryRun: false, plan, repoints, salesforce, mondayRemoved };
  }
  throw new DuplicatesError('UNKNOWN_CLUSTER', `no duplicate cluster ${input.clusterId}${input.objectKey ? ` in ${input.objectKey}` : ''} (run crm-sync duplicates again: ids change when members change)`);
}

/** Items of the boards that look this object up whose relation names one of `losers`: re-pointed at the master item. */
async function relationRepoints(monday: MondayPort, mapping: Mapping, objectKey: string, losers: readonly string[], masterItemId: string): Promise<RelationRepoint[]> {
  if (losers.length === 0) return [];
  const gone = new Set(losers);
  const repoints: RelationRepoint[] = [];
  for (const object of mapping.objects) {
    const columns = object.fields.filter((f) => f.reference === objectKey).map((f) => f.monday);
    if (columns.length === 0) continue;
    for await (const item of monday.streamBoardItems(object.monday.board, { columnIds: columns })) {
      for (const value of item.columnValues) {
        const linked = value.linkedItemIds ?? [];
        if (!columns.includes(value.id) || !linked.some((id) => gone.has(id))) continue;
        const next = [...new Set(linked.map((id) => (gone.has(id) ? masterItemId : id)))];
        repoints.push({ boardId: object.monday.board, itemId: item.id, column: value.id, linkedItemIds: next });
      }
    }
  }
  return repoints;
}

export function formatMergeReport(report: MergeReport): string {
  const { plan } = report;
  const lines = [`${report.dryRun ? 'Dry run: would merge' : 'Merged'} ${plan.clusterId} (${plan.objectKey}) into ${plan.master.crm}:${plan.master.id}`];
  for (const call of plan.salesforceMerges) {
    const fields = Object.keys(call.masterFields);
    lines.push(`  Salesforce merge: ${call.mergeIds.join(', ')} -> ${call.masterId}${fields.length ? ` (master takes ${fields.join(', ')})` : ''}`);
  }
  for (const id of plan.itemsFollowingMerge) lines.push(`  monday item ${id}: its record is merged away; the sync gives it the delete policy (${plan.deletePolicy}) and re-points its relations`);
  for (const id of plan.mondayLosers) lines.push(`  monday item ${id}: ${plan.deletePolicy === 'none' ? 'kept (delete policy none)' : `${plan.deletePolicy}d`}`);
  for (const r of report.repoints) lines.push(`  monday item ${r.itemId} (board ${r.boardId}): ${r.column} -> ${r.linkedItemIds.join(', ')}`);
  if (plan.salesforceMerges.length === 0 && plan.mondayLosers.length === 0) lines.push('  nothing to change');
  return `${lines.join('\n')}\n`;
}
