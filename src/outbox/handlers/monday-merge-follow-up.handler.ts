import { streams, type NewEvent } from '../../event-store/events';
import type { MondayMutation, MutationOutcome } from '../../monday/monday.port';
import type { MergeNote } from '../../sync-commands/outbox-command';
import { toDispatchError } from '../dispatch-error';
import { failed, succeeded, type Claimed, type DispatchContext, type HandlerResult, type HandlerResults } from './handler-types';

type FollowUp = Claimed<'monday.repoint_relations' | 'monday.note_merged'>;

/**
 * What a duplicate merge does on monday besides removing items, one command at a time (they are
 * rare, and each is queued on the master's record in order):
 * - re-pointing reads the board's relation columns now, so the relations written since the merge
 *   was planned follow too, and writes only the items that still name a merged-away item (a retry
 *   finds nothing left to change);
 * - a note posts an update on a kept merged-away item naming the master, under an idempotency key so
 *   a retry after a lost answer posts it once.
 */
export async function handleMergeFollowUps(commands: readonly FollowUp[], ctx: DispatchContext): Promise<HandlerResults> {
  const results: HandlerResults = new Map();
  for (const claimed of commands) {
    try {
      results.set(claimed.id, claimed.command.kind === 'monday.repoint_relations' ? await repoint(claimed as Claimed<'monday.repoint_relations'>, ctx) : await note(claimed as Claimed<'monday.note_merged'>, ctx));
    } catch (error) {
      results.set(claimed.id, failed(toDispatchError(error)));
    }
  }
  return results;
}

async function repoint(claimed: Claimed<'monday.repoint_relations'>, ctx: DispatchContext): Promise<HandlerResult> {
  const { command } = claimed;
  const gone = new Set(command.mergedItemIds);
  const columns = new Set(command.columns);
  const mutations: MondayMutation[] = [];
  ctx.countRequests('monday', 1);
  for await (const item of ctx.monday.streamBoardItems(command.boardId, { columnIds: command.columns })) {
    if (gone.has(item.id)) continue;
    const columnValues: Record<string, { item_ids: number[] }> = {};
    for (const value of item.columnValues) {
      const linked = value.linkedItemIds ?? [];
      if (!columns.has(value.id) || !linked.some((id) => gone.has(id))) continue;
      columnValues[value.id] = { item_ids: [...new Set(linked.map((id) => (gone.has(id) ? command.masterItemId : id)))].map(Number) };
    }
    if (Object.keys(columnValues).length > 0) mutations.push({ kind: 'change_column_values', itemId: item.id, columnValues });
  }
  if (mutations.length === 0) return succeeded({}, [], { repointed: [] });
  ctx.countRequests('monday', 1);
  const outcomes = await ctx.monday.applyMutations(command.boardId, mutations);
  // An item deleted since it was read names nothing any more.
  const refused = outcomes.find((o): o is Extract<MutationOutcome, { ok: false }> => !o.ok && o.error.code !== 'NOT_FOUND');
  if (refused) return failed(toDispatchError(refused.error));
  return succeeded({}, [], { repointed: mutations.flatMap((m, i) => (outcomes[i]?.ok && 'itemId' in m ? [m.itemId] : [])) });
}

async function note(claimed: Claimed<'monday.note_merged'>, ctx: DispatchContext): Promise<HandlerResult> {
  const { command } = claimed;
  ctx.countRequests('monday', 1);
  const [outcome] = await ctx.monday.applyMutations(command.boardId, [{ kind: 'create_update', itemId: command.itemId, body: noteText(command.merge) }], {
    idempotencyKey: `command:${claimed.id}`,
  });
  const gone = outcome && !outcome.ok && outcome.error.code === 'NOT_FOUND';
  if (outcome && !outcome.ok && !gone) return failed(toDispatchError(outcome.error));
  return succeeded({}, [mergedEvent(claimed, ctx.now())], { itemId: command.itemId, ...(gone ? { alreadyGone: true } : {}) });
}

/** The update a person reads on the kept item. */
export function noteText(merge: MergeNote): string {
  const master = merge.mergedInto.crm === 'monday' ? `monday item ${merge.mergedInto.id}` : `Salesforce record ${merge.mergedInto.id}`;
  return `Merged into ${master} by crm-sync (duplicate cluster ${merge.clusterId}). This item is kept because the mapping's delete policy is "none".`;
}

function mergedEvent(claimed: Claimed<'monday.note_merged'>, now: Date): NewEvent {
  const { command } = claimed;
  return {
    type: 'system.record_merged',
    source: 'system',
    sourceEventId: `command:${claimed.id}:merged:${command.itemId}`,
    stream: streams.mondayItem(command.itemId),
    origin: 'unknown',
    occurredAt: now,
    payload: { clusterId: command.merge.clusterId, objectKey: command.objectKey, crm: 'monday', id: command.itemId, mergedInto: command.merge.mergedInto, via: 'noted' },
  };
}
