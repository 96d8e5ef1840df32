import type { DeletePolicy } from '../mapping';
import type { SObjectDescribe, SObjectRecord } from '../salesforce/salesforce.port';
import type { Crm } from './candidate';
import type { ClusterMember, DuplicateCluster } from './duplicate-cluster';

export const MERGEABLE_OBJECTS = ['Lead', 'Contact', 'Account'] as const;
export type MergeableObject = (typeof MERGEABLE_OBJECTS)[number];

/** One SOAP merge() call: the master and at most two records merged into it. */
export interface SalesforceMergeCall {
  readonly masterId: string;
  readonly mergeIds: readonly string[];
  /** Empty master fields filled from the others (the master's own values are kept). */
  readonly masterFields: Readonly<Record<string, unknown>>;
}

export interface MergePlan {
  readonly clusterId: string;
  readonly objectKey: string;
  readonly salesforceObject: string;
  readonly master: { readonly crm: Crm; readonly id: string };
  readonly masterRecordId: string | null;
  readonly masterItemId: string | null;
  readonly salesforceMerges: readonly SalesforceMergeCall[];
  /** Items of merged-away records: the merge's CDC deletes give them the delete policy. */
  readonly itemsFollowingMerge: readonly string[];
  /** Items with no Salesforce record in the cluster: given the delete policy directly. */
  readonly mondayLosers: readonly string[];
  readonly deletePolicy: DeletePolicy;
}

export class MergePlanError extends Error {
  constructor(
    readonly code: 'BAD_MASTER' | 'NOT_MERGEABLE',
    message: string,
  ) {
    super(message);
    this.name = 'MergePlanError';
  }
}

/** `salesforce:00Q...` / `monday:123` into its parts; null when it is neither. */
export function parseMemberRef(ref: string): { crm: Crm; id: string } | null {
  const match = /^(salesforce|monday):(\S+)$/.exec(ref.trim());
  return match ? { crm: match[1] as Crm, id: match[2]! } : null;
}

/**
 * What merging one cluster changes (pure): the master's Salesforce record absorbs the others'
 * records two at a time, keeping its own values and taking the first non-empty value of each
 * field it lacks; the master's item stays, other items get the object's delete policy.
 */
export function planMerge(input: {
  cluster: DuplicateCluster;
  salesforceObject: string;
  deletePolicy: DeletePolicy;
  master?: { crm: Crm; id: string };
  records: ReadonlyMap<string, SObjectRecord>;
  describe: SObjectDescribe;
}): MergePlan {
  const { cluster } = input;
  const chosen = input.master ?? cluster.master;
  const member = cluster.members.find((m) => m.crm === chosen.crm && m.id === chosen.id);
  if (!member) throw new MergePlanError('BAD_MASTER', `${chosen.crm}:${chosen.id} is not a member of ${cluster.id} (members: ${cluster.members.map((m) => `${m.crm}:${m.id}`).join(', ')})`);
  const masterRecordId = member.crm === 'salesforce' ? member.id : member.linkedTo;
  const masterItemId = member.crm === 'monday' ? member.id : member.linkedTo;
  const records = cluster.members.filter((m) => m.crm === 'salesforce');
  const losers = records.filter((m) => m.id !== masterRecordId);
  if (losers.length > 0 && !masterRecordId) {
    throw new MergePlanError('BAD_MASTER', `the master ${chosen.crm}:${chosen.id} has no Salesforce record, but ${losers.length} record(s) of the cluster would be merged: choose one with --master salesforce:ID`);
  }
  if (losers.length > 0 && !(MERGEABLE_OBJECTS as readonly string[]).includes(input.salesforceObject)) {
    throw new MergePlanError('NOT_MERGEABLE', `Salesforce merges only ${MERGEABLE_OBJECTS.join(', ')}; ${input.salesforceObject} records of ${cluster.id} must be merged by hand`);
  }
  const salesforceMerges: SalesforceMergeCall[] = [];
  const filled = new Set<string>();
  for (let i = 0; i < losers.length; i += 2) {
    const chunk = losers.slice(i, i + 2);
    salesforceMerges.push({
      masterId: masterRecordId!,
      mergeIds: chunk.map((l) => l.id),
      masterFields: fillFromOthers(input.records.get(masterRecordId!), chunk.map((l) => input.records.get(l.id)), input.describe, filled),
    });
  }
  const loserRecordIds = new Set(losers.map((l) => l.id));
  const items = cluster.members.filter((m): m is ClusterMember => m.crm === 'monday' && m.id !== masterItemId);
  return {
    clusterId: cluster.id,
    objectKey: cluster.object,
    salesforceObject: input.salesforceObject,
    master: { crm: member.crm, id: member.id },
    masterRecordId,
    masterItemId,
    salesforceMerges,
    itemsFollowingMerge: items.filter((i) => i.linkedTo !== null && loserRecordIds.has(i.linkedTo)).map((i) => i.id),
    mondayLosers: items.filter((i) => i.linkedTo === null || !loserRecordIds.has(i.linkedTo)).map((i) => i.id),
    deletePolicy: input.deletePolicy,
  };
}

/** Updateable fields empty on the master and set on one of the others (the first wins); each field once. */
function fillFromOthers(master: SObjectRecord | undefined, others: ReadonlyArray<SObjectRecord | undefined>, describe: SObjectDescribe, taken: Set<string>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (!master) return fields;
  for (const field of describe.fields) {
    if (!field.updateable || field.calculated || field.name === 'Id' || taken.has(field.name)) continue;
    if (!(field.name in master) || !isEmpty(master[field.name])) continue;
    const value = others.map((o) => o?.[field.name]).find((v) => !isEmpty(v));
    if (value === undefined) continue;
    fields[field.name] = value;
    taken.add(field.name);
  }
  return fields;
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}
