import type { Mapping } from '../mapping';
import type { MondayPort } from '../monday/monday.port';
import { DuplicatesError, objectsToSearch, searchObject, type DuplicatesDependencies, type DuplicatesProgress } from './duplicates';
import type { Crm } from './candidate';
import type { DuplicateCluster } from './duplicate-cluster';
import { MergePlanError, planMerge, type MergePlan } from './merge-plan';
import { readRecords } from './read-candidates';

/** An item whose board relation named a merged-away item: its new list of linked items. */
export interface RelationRepoint {
  readonly objectKey: string;
  readonly boardId: string;
  readonly itemId: string;
  readonly column: string;
  readonly linkedItemIds: readonly string[];
}

/** What merging one cluster would change (a dry run prints it; a merge request carries it). */
export interface ClusterMergePlan {
  readonly cluster: DuplicateCluster;
  readonly boardId: string;
  readonly plan: MergePlan;
  readonly repoints: readonly RelationRepoint[];
}

export interface MergeInput {
  clusterId: string;
  objectKey?: string;
  master?: { crm: Crm; id: string };
}

/**
 * Searches again (the id names the members, so a changed cluster is not merged blindly) and plans
 * the merge of one cluster: the Salesforce merge() calls, and for items with no merged record the
 * relations that named them (read from the boards that look the object up) and the delete policy.
 */
export async function planClusterMerge(deps: DuplicatesDependencies, input: MergeInput, progress: DuplicatesProgress = {}): Promise<ClusterMergePlan> {
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
        records: await readRecords(deps.salesforce, search.profile, cluster.members.filter((m) => m.crm === 'salesforce').map((m) => m.id)),
        describe: await deps.salesforce.describe(object.salesforce),
      });
    } catch (error) {
      throw error instanceof MergePlanError ? new DuplicatesError(error.code, error.message) : error;
    }
    const repoints = plan.masterItemId ? await relationRepoints(deps.monday, deps.mapping, object.key, plan.mondayLosers, plan.masterItemId) : [];
    return { cluster, boardId: object.monday.board, plan, repoints };
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
      if (gone.has(item.id)) continue;
      for (const value of item.columnValues) {
        const linked = value.linkedItemIds ?? [];
        if (!columns.includes(value.id) || !linked.some((id) => gone.has(id))) continue;
        const next = [...new Set(linked.map((id) => (gone.has(id) ? masterItemId : id)))];
        repoints.push({ objectKey: object.key, boardId: object.monday.board, itemId: item.id, column: value.id, linkedItemIds: next });
      }
    }
  }
  return repoints;
}

/** The plan in lines an operator reads: what each CRM will be asked to do. */
export function describeMergePlan({ plan, repoints }: Pick<ClusterMergePlan, 'plan' | 'repoints'>): string[] {
  const lines: string[] = [];
  for (const call of plan.salesforceMerges) {
    const fields = Object.keys(call.masterFields);
    lines.push(`Salesforce merge: ${call.mergeIds.join(', ')} -> ${call.masterId}${fields.length ? ` (master takes ${fields.join(', ')})` : ''}`);
  }
  const kept = 'kept (delete policy none), with an update naming the master';
  for (const id of plan.itemsFollowingMerge) {
    lines.push(`monday item ${id}: its record is merged away; ${plan.deletePolicy === 'none' ? kept : `the sync gives it the delete policy (${plan.deletePolicy}) when Salesforce reports the merge`}`);
  }
  // Read again when the merge runs: relations written after this preview are re-pointed too.
  for (const r of repoints) lines.push(`monday item ${r.itemId} (board ${r.boardId}): ${r.column} -> ${r.linkedItemIds.join(', ')}`);
  for (const id of plan.mondayLosers) lines.push(`monday item ${id}: ${plan.deletePolicy === 'none' ? kept : `${plan.deletePolicy}d`}`);
  if (plan.salesforceMerges.length === 0 && plan.mondayLosers.length === 0) lines.push('nothing to change');
  return lines;
}
