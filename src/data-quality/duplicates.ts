import type { Queryable } from '../event-store';
import type { Mapping, ObjectMapping } from '../mapping';
import type { MondayPort } from '../monday/monday.port';
import type { SalesforcePort } from '../salesforce/salesforce.port';
import { findClusters } from './find-clusters';
import type { DuplicateCluster } from './duplicate-cluster';
import { objectProfile, type ObjectProfile } from './object-profile';
import { readCandidates, type ObjectCandidates } from './read-candidates';

export class DuplicatesError extends Error {
  constructor(
    readonly code: 'UNKNOWN_OBJECT' | 'UNKNOWN_CLUSTER' | 'BAD_MASTER' | 'NOT_MERGEABLE' | 'BUDGET_FLOOR_REACHED',
    message: string,
  ) {
    super(message);
    this.name = 'DuplicatesError';
  }
}

export interface DuplicatesDependencies {
  db: Queryable;
  salesforce: SalesforcePort;
  monday: MondayPort;
  mapping: Mapping;
}

export interface DuplicatesProgress {
  onPhase?: (phase: { objectKey: string; step: 'read' | 'cluster' }) => void;
  onRead?: (count: number) => void;
  onCluster?: (done: number, total: number) => void;
}

export interface ObjectSearch {
  readonly profile: ObjectProfile;
  readonly read: ObjectCandidates;
  readonly clusters: DuplicateCluster[];
  readonly oversizedBlocks: number;
}

export function objectsToSearch(mapping: Mapping, objectKey: string | undefined): ObjectMapping[] {
  const objects = mapping.objects.filter((o) => !objectKey || o.key === objectKey);
  if (objects.length === 0) {
    throw new DuplicatesError('UNKNOWN_OBJECT', `no object "${objectKey}" in the mapping (has: ${mapping.objects.map((o) => o.key).join(', ')})`);
  }
  return objects;
}

/** Reads one object from both CRMs and the links, and clusters its probable duplicates. */
export async function searchObject(deps: DuplicatesDependencies, object: ObjectMapping, progress: DuplicatesProgress = {}): Promise<ObjectSearch> {
  const describe = await deps.salesforce.describe(object.salesforce);
  const profile = objectProfile(deps.mapping, object, describe);
  const phoneCountry = profile.phoneCountry ?? (profile.phoneFields.length > 0 ? await mondayAccountCountry(deps.monday) : undefined);
  progress.onPhase?.({ objectKey: object.key, step: 'read' });
  const read = await readCandidates(deps, profile, { onRead: progress.onRead });
  progress.onPhase?.({ objectKey: object.key, step: 'cluster' });
  const search = findClusters(read.candidates, { objectKey: object.key, kind: profile.kind, phoneCountry, onProgress: progress.onCluster });
  return { profile, read, ...search };
}

/** Every mapped object (or one), searched in turn. */
export async function findDuplicates(deps: DuplicatesDependencies, objectKey: string | undefined, progress: DuplicatesProgress = {}): Promise<ObjectSearch[]> {
  const budget = deps.salesforce.budgetFor('reconcile');
  if (!budget.allowed) {
    throw new DuplicatesError('BUDGET_FLOOR_REACHED', `Salesforce API usage ${budget.usage.used}/${budget.usage.limit} is at the floor kept for the live sync (${budget.floor} left); try later`);
  }
  const searches: ObjectSearch[] = [];
  for (const object of objectsToSearch(deps.mapping, objectKey)) searches.push(await searchObject(deps, object, progress));
  return searches;
}

/** The contract's `--json` document (section 5), with the extra keys operators use. */
export function clustersDocument(searches: readonly ObjectSearch[]): { clusters: DuplicateCluster[] } {
  return { clusters: searches.flatMap((s) => s.clusters) };
}

async function mondayAccountCountry(monday: MondayPort): Promise<string | undefined> {
  const country = (await monday.account()).countryCode?.trim().toUpperCase();
  return country && /^[A-Z]{2}$/.test(country) ? country : undefined;
}
