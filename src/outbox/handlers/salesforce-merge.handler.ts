import type { NewEvent } from '../../event-store/events';
import { streams } from '../../event-store/events';
import type { MergeInput } from '../../salesforce/salesforce.port';
import { toDispatchError } from '../dispatch-error';
import { failed, succeeded, type Claimed, type DispatchContext, type HandlerResult, type HandlerResults } from './handler-types';

type MergeCommand = Claimed<'salesforce.merge'>;

/**
 * SOAP merge() calls, one per command (a call takes the master and at most two others). A retry
 * first asks which of the others Salesforce already merged into the master (queryAll shows them
 * deleted with MasterRecordId): after a lost response the merge is done, not sent again.
 */
export async function handleSalesforceMerges(commands: readonly MergeCommand[], ctx: DispatchContext): Promise<HandlerResults> {
  const results: HandlerResults = new Map();
  for (const claimed of commands) results.set(claimed.id, await mergeOne(claimed, ctx));
  return results;
}

async function mergeOne(claimed: MergeCommand, ctx: DispatchContext): Promise<HandlerResult> {
  const { command } = claimed;
  try {
    const done = claimed.attempts > 1 ? await alreadyMerged(command.salesforceObject, command.masterId, command.mergeIds, ctx) : new Set<string>();
    const remaining = command.mergeIds.filter((id) => !done.has(id));
    let updatedRelatedIds: string[] = [];
    if (remaining.length > 0) {
      ctx.countRequests('salesforce', 1);
      const outcome = await ctx.salesforce.merge({
        object: command.salesforceObject as MergeInput['object'],
        masterId: command.masterId,
        mergeIds: remaining,
        masterFields: command.masterFields,
      });
      updatedRelatedIds = outcome.updatedRelatedIds;
    }
    const events = command.mergeIds.map((id) => recordMergedEvent(claimed, id, ctx.now()));
    return succeeded({}, events, { masterId: command.masterId, mergedIds: command.mergeIds, updatedRelatedIds, ...(done.size > 0 ? { alreadyMerged: [...done] } : {}) });
  } catch (error) {
    return failed(toDispatchError(error));
  }
}

/** Which of `ids` are deleted with MasterRecordId = the master (15- or 18-character ids compared by their first 15). */
async function alreadyMerged(object: string, masterId: string, ids: readonly string[], ctx: DispatchContext): Promise<Set<string>> {
  const list = ids.filter((id) => /^[A-Za-z0-9]{15,18}$/.test(id)).map((id) => `'${id}'`).join(', ');
  const merged = new Set<string>();
  if (list === '') return merged;
  ctx.countRequests('salesforce', 1);
  for await (const row of ctx.salesforce.queryAll(`SELECT Id, MasterRecordId FROM ${object} WHERE Id IN (${list})`)) {
    const master = typeof row.MasterRecordId === 'string' ? row.MasterRecordId : '';
    if (master.slice(0, 15) !== masterId.slice(0, 15)) continue;
    const id = ids.find((candidate) => candidate.slice(0, 15) === row.Id.slice(0, 15));
    if (id) merged.add(id);
  }
  return merged;
}

function recordMergedEvent(claimed: MergeCommand, loserId: string, now: Date): NewEvent {
  const { command } = claimed;
  return {
    type: 'system.record_merged',
    source: 'system',
    sourceEventId: `command:${claimed.id}:merged:${loserId}`,
    stream: streams.salesforceRecord(command.salesforceObject, loserId),
    origin: 'unknown',
    occurredAt: now,
    payload: {
      clusterId: command.clusterId,
      objectKey: command.objectKey,
      crm: 'salesforce',
      id: loserId,
      mergedInto: { crm: 'salesforce', id: command.masterId },
      via: 'salesforce_merge',
    },
  };
}
