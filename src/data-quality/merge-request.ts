import { randomUUID } from 'node:crypto';
import { appendEvent, streams, type MergeRequested, type NewEvent, type Queryable } from '../event-store';
import { commandsCausedBy } from '../outbox/commands-caused-by';
import { decisionAt, recordDeletion } from '../sync-projector/record-lookups';
import { DuplicatesError } from './duplicates';
import type { ClusterMergePlan } from './merge-cluster';

/** A merge handed to the pipeline: the event that asks for it. */
export interface MergeRequest {
  readonly clusterId: string;
  readonly position: number;
  readonly master: { readonly crm: 'salesforce' | 'monday'; readonly id: string };
}

/** Where a requested merge stands: the projector's decision and each command it queued. */
export interface MergeProgress {
  readonly decided: { outcome: string; reason: string | null } | null;
  readonly commands: ReadonlyArray<{ id: number; kind: string; status: string; attempts: number; lastError: string | null }>;
  /** Decided, and every command done or dead. */
  readonly finished: boolean;
  /** Finished with every command done (a merge with no commands, e.g. nothing to change, counts). */
  readonly succeeded: boolean;
}

/**
 * Appends `system.merge_requested` in the master's stream; the running service's projector turns it
 * into commands and its dispatcher sends them (retries, dead letters). Each request is its own
 * event: asking again after a dead letter is a new request, and the handlers make a repeated merge
 * harmless (a merged record is recognised, a removed item counts as removed).
 */
export async function requestMerge(db: Queryable, merge: ClusterMergePlan, requestedVia: MergeRequested['requestedVia']): Promise<MergeRequest> {
  const { plan, cluster } = merge;
  await assertMasterSynced(db, plan.objectKey, plan.masterRecordId, plan.masterItemId, plan.master);
  const payload: MergeRequested = {
    clusterId: cluster.id,
    objectKey: plan.objectKey,
    salesforceObject: plan.salesforceObject,
    boardId: merge.boardId,
    master: plan.master,
    masterRecordId: plan.masterRecordId,
    masterItemId: plan.masterItemId,
    salesforceMerges: plan.salesforceMerges.map((m) => ({ masterId: m.masterId, mergeIds: [...m.mergeIds], masterFields: jsonValues(m.masterFields) })),
    itemsFollowingMerge: [...plan.itemsFollowingMerge],
    mondayLosers: [...plan.mondayLosers],
    repoints: merge.repoints.map((r) => ({ ...r, linkedItemIds: [...r.linkedItemIds] })),
    deletePolicy: plan.deletePolicy,
    requestedVia,
  };
  const event: NewEvent = {
    type: 'system.merge_requested',
    source: 'system',
    sourceEventId: `merge:${cluster.id}:${randomUUID()}`,
    stream: plan.masterRecordId ? streams.salesforceRecord(plan.salesforceObject, plan.masterRecordId) : streams.mondayItem(plan.masterItemId ?? plan.master.id),
    origin: 'user',
    occurredAt: new Date(),
    payload,
  };
  const appended = await appendEvent(db, event);
  if (!appended.appended) throw new Error(`merge request ${event.sourceEventId} was not appended (duplicate id)`);
  return { clusterId: cluster.id, position: appended.position, master: plan.master };
}

export async function mergeProgress(db: Queryable, position: number): Promise<MergeProgress> {
  const decided = await decisionAt(db, position, 'system.merge_requested');
  const commands = (await commandsCausedBy(db, position)).map((c) => ({ ...c, lastError: errorText(c.lastError) }));
  const finished = decided !== null && commands.every((c) => c.status === 'done' || c.status === 'dead');
  return { decided, commands, finished, succeeded: finished && decided.outcome === 'projected' && commands.every((c) => c.status === 'done') };
}

/** Polls until the merge is finished or `timeoutMs` passes (then returns where it stands). */
export async function awaitMerge(db: Queryable, position: number, timeoutMs: number, intervalMs = 500): Promise<MergeProgress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await mergeProgress(db, position);
    if (progress.finished || Date.now() >= deadline) return progress;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

async function assertMasterSynced(db: Queryable, objectKey: string, recordId: string | null, itemId: string | null, master: { crm: string; id: string }): Promise<void> {
  const record = await recordDeletion(db, objectKey, recordId, itemId);
  if (!record) {
    throw new DuplicatesError('NOT_MERGEABLE', `the master ${master.crm}:${master.id} is not known to the sync yet (is crm-sync start running and caught up?); the merge goes through the sync, so it waits for that`);
  }
  if (record.deletedSide) throw new DuplicatesError('NOT_MERGEABLE', `the master ${master.crm}:${master.id} was deleted on ${record.deletedSide}: choose another with --master`);
}

function jsonValues(values: Readonly<Record<string, unknown>>): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = value;
  }
  return out;
}

function errorText(error: unknown): string | null {
  if (error === null || error === undefined) return null;
  if (typeof error === 'object' && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}
