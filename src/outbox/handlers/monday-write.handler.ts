import { streams, type NewEvent } from '../../event-store/events';
import type { MondayMutation, MutationOutcome } from '../../monday/monday.port';
import { toDispatchError, withRefusedColumn } from '../dispatch-error';
import { failed, succeeded, type Claimed, type DispatchContext, type HandlerResult, type HandlerResults } from './handler-types';

type WriteCommand = Claimed<'monday.change_columns' | 'monday.archive_item' | 'monday.delete_item'>;

/**
 * Column changes, renames, archives and deletes of one board in one applyMutations call (aliased
 * mutations, as few requests as the client's batch size allows); each command's outcome is read from
 * its own mutations. Archiving or deleting an item that is already gone counts as done (a retry after
 * a lost response).
 */
export async function handleMondayWrites(boardId: string, commands: readonly WriteCommand[], ctx: DispatchContext): Promise<HandlerResults> {
  const results: HandlerResults = new Map();
  const mutations: MondayMutation[] = [];
  const ranges = new Map<number, { from: number; to: number }>();
  for (const c of commands) {
    const from = mutations.length;
    mutations.push(...mutationsOf(c));
    ranges.set(c.id, { from, to: mutations.length });
  }
  let outcomes: MutationOutcome[] = [];
  if (mutations.length > 0) {
    try {
      ctx.countRequests('monday', 1);
      outcomes = await ctx.monday.applyMutations(boardId, mutations);
    } catch (error) {
      const failure = toDispatchError(error);
      for (const c of commands) results.set(c.id, failed(failure));
      return results;
    }
  }
  for (const c of commands) {
    const range = ranges.get(c.id) ?? { from: 0, to: 0 };
    results.set(c.id, resultOf(c, outcomes.slice(range.from, range.to), ctx.now()));
  }
  return results;
}

function mutationsOf(c: WriteCommand): MondayMutation[] {
  const command = c.command;
  switch (command.kind) {
    case 'monday.change_columns': {
      // The item name is the `name` column: a rename rides in the same change_multiple_column_values.
      const columnValues = command.name === undefined ? command.columnValues : { ...command.columnValues, name: command.name };
      if (Object.keys(columnValues).length === 0) return [];
      return [{ kind: 'change_column_values', itemId: command.itemId, columnValues, createLabelsIfMissing: command.createLabelsIfMissing }];
    }
    case 'monday.archive_item':
      return [{ kind: 'archive_item', itemId: command.itemId }];
    case 'monday.delete_item':
      return [{ kind: 'delete_item', itemId: command.itemId }];
  }
}

function resultOf(c: WriteCommand, outcomes: readonly MutationOutcome[], now: Date): HandlerResult {
  const failure = outcomes.find((o) => !o.ok);
  if (failure && !failure.ok) {
    const removing = c.command.kind === 'monday.archive_item' || c.command.kind === 'monday.delete_item';
    if (removing && failure.error.code === 'NOT_FOUND') return succeeded({}, mergedAway(c, now), { itemId: c.command.itemId, alreadyGone: true });
    const written = c.command.kind === 'monday.change_columns' ? c.command.columnValues : {};
    return failed(withRefusedColumn(toDispatchError(failure.error.withContext({ boardId: c.command.boardId, itemId: c.command.itemId })), written));
  }
  const written = c.command.kind === 'monday.change_columns' ? (c.command.values ?? {}) : {};
  return succeeded(written, mergedAway(c, now), { itemId: c.command.itemId });
}

/** An item removed by a duplicate merge: `system.record_merged` in its stream, so its history names the master. */
function mergedAway(c: WriteCommand, now: Date): NewEvent[] {
  const command = c.command;
  if (command.kind === 'monday.change_columns' || !command.merge) return [];
  return [
    {
      type: 'system.record_merged',
      source: 'system',
      sourceEventId: `command:${c.id}:merged:${command.itemId}`,
      stream: streams.mondayItem(command.itemId),
      origin: 'unknown',
      occurredAt: now,
      payload: { clusterId: command.merge.clusterId, objectKey: command.objectKey, crm: 'monday', id: command.itemId, mergedInto: command.merge.mergedInto, via: 'delete_policy' },
    },
  ];
}
