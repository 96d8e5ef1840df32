import { streams } from '../../event-store/events';
import type { LinkReason } from '../../event-store/payloads/sync-results';
import { to18 } from '../../mapping/salesforce-id';
import type { MondayItem, MondayMutation, MutationOutcome } from '../../monday/monday.port';
import { dispatcherError, toDispatchError } from '../dispatch-error';
import { recordLinkedEvent } from '../result-events';
import { failed, succeeded, type Claimed, type DispatchContext, type HandlerResults } from './handler-types';

type CreateItem = Claimed<'monday.create_item'>;

/**
 * New Salesforce records -> items of one board, never a duplicate (invariant 6): one lookup of the
 * board's Salesforce Id column for every Id of the batch (15- and 18-char forms; a create whose
 * response was lost left its item there), one item -> link to it, several -> dead letter "ambiguous",
 * none -> create with the Id column set (aliased mutations). Each ends with `system.record_linked`.
 */
export async function handleMondayCreates(boardId: string, commands: readonly CreateItem[], ctx: DispatchContext): Promise<HandlerResults> {
  const results: HandlerResults = new Map();
  const columnOf = (c: CreateItem): string | undefined =>
    c.command.salesforceIdColumn ?? ctx.mapping?.byKey.get(c.command.objectKey)?.mapping.monday.salesforceIdColumn;

  const ready: CreateItem[] = [];
  for (const c of commands) {
    if (columnOf(c)) ready.push(c);
    else results.set(c.id, failed(dispatcherError('INVALID_COMMAND', `monday.create_item for ${c.command.objectKey} names no Salesforce Id column and the mapping has none`)));
  }

  let existing: Map<string, MondayItem[]>;
  try {
    existing = await existingItems(boardId, ready, columnOf, ctx);
  } catch (error) {
    const failure = toDispatchError(error);
    for (const c of ready) results.set(c.id, failed(failure));
    return results;
  }

  const toCreate: CreateItem[] = [];
  const linkedTo = new Map<number, { itemId: string; via: LinkReason }>();
  for (const c of ready) {
    if (c.progress?.mondayItemId) {
      linkedTo.set(c.id, { itemId: c.progress.mondayItemId, via: 'created_monday_item' });
      continue;
    }
    const found = existing.get(to18(c.command.salesforceId)) ?? [];
    if (found.length > 1) {
      results.set(c.id, failed(dispatcherError('AMBIGUOUS_MATCH', `ambiguous match: items ${found.map((i) => i.id).join(', ')} on board ${boardId} all hold ${to18(c.command.salesforceId)}`)));
    } else if (found.length === 1 && found[0]) linkedTo.set(c.id, { itemId: found[0].id, via: 'salesforce_id_column' });
    else toCreate.push(c);
  }

  const mutations: MondayMutation[] = toCreate.map((c) => ({
    kind: 'create_item',
    groupId: c.command.groupId,
    name: c.command.name,
    columnValues: { ...c.command.columnValues, [columnOf(c) as string]: to18(c.command.salesforceId) },
    createLabelsIfMissing: c.command.createLabelsIfMissing,
  }));
  let outcomes: MutationOutcome[] = [];
  if (mutations.length > 0) {
    try {
      ctx.countRequests('monday', 1);
      outcomes = await ctx.monday.applyMutations(boardId, mutations);
    } catch (error) {
      const failure = toDispatchError(error);
      for (const c of toCreate) results.set(c.id, failed(failure));
    }
  }
  for (const [index, c] of toCreate.entries()) {
    if (results.has(c.id)) continue;
    const outcome = outcomes[index];
    if (outcome?.ok) linkedTo.set(c.id, { itemId: outcome.itemId, via: 'created_monday_item' });
    else results.set(c.id, failed(toDispatchError(outcome?.error ?? new Error('no outcome for this create'))));
  }

  const now = ctx.now();
  for (const c of ready) {
    const link = linkedTo.get(c.id);
    if (!link) continue;
    const salesforceId = to18(c.command.salesforceId);
    // A matched item holds its own values, not ours: link it with none, so the projector sends the
    // record's values to it as differences.
    const written = link.via === 'salesforce_id_column' ? {} : (c.command.values ?? {});
    const event = recordLinkedEvent(
      c,
      {
        objectKey: c.command.objectKey,
        salesforceObject: c.command.salesforceObject,
        salesforceId,
        mondayBoardId: boardId,
        mondayItemId: link.itemId,
        via: link.via,
        values: written,
      },
      streams.salesforceRecord(c.command.salesforceObject, salesforceId),
      now,
    );
    results.set(c.id, succeeded(written, [event], { itemId: link.itemId, via: link.via }));
  }
  return results;
}

/** Items of the board whose Salesforce Id column holds one of the batch's Ids, by 18-char Id. */
async function existingItems(boardId: string, commands: readonly CreateItem[], columnOf: (c: CreateItem) => string | undefined, ctx: DispatchContext): Promise<Map<string, MondayItem[]>> {
  const byColumn = new Map<string, Set<string>>();
  for (const c of commands) {
    if (c.progress?.mondayItemId) continue;
    const column = columnOf(c) as string;
    const id18 = to18(c.command.salesforceId);
    const values = byColumn.get(column) ?? new Set<string>();
    values.add(id18).add(id18.slice(0, 15));
    byColumn.set(column, values);
  }
  const found = new Map<string, MondayItem[]>();
  for (const [column, values] of byColumn) {
    ctx.countRequests('monday', 1);
    const items = await ctx.monday.findItemsByColumnValue(boardId, column, [...values]);
    for (const item of items) {
      if (item.state !== 'active') continue;
      const text = item.columnValues.find((v) => v.id === column)?.text?.trim();
      if (!text) continue;
      const key = to18(text);
      found.set(key, [...(found.get(key) ?? []), item]);
    }
  }
  return found;
}
