import { streams } from '../../event-store/events';
import type { LinkReason } from '../../event-store/payloads/sync-results';
import { to18 } from '../../mapping/salesforce-id';
import type { MondayItem, MondayMutation, MutationOutcome } from '../../monday/monday.port';
import { dispatcherError, toDispatchError, withRefusedColumn } from '../dispatch-error';
import { recordLinkedEvent } from '../result-events';
import { failed, succeeded, type Claimed, type DispatchContext, type HandlerResults } from './handler-types';
import { describeConditions, matchConditions, matchItemsByRules, type RulesMatch } from './monday-match';

type CreateItem = Claimed<'monday.create_item'>;
type ColumnOf = (c: CreateItem) => string | undefined;

/**
 * New Salesforce records -> items of one board, never a duplicate (invariant 6), in this order:
 * 1. progress of an earlier attempt (the item was created, recording it failed) -> that item;
 * 2. one lookup of the board's Salesforce Id column for every Id of the batch (15- and 18-char
 *    forms; a create whose response was lost left its item there): one item -> link to it;
 * 3. the object's `match:` fields (e-mail, name, ...; the item name for the `name:` field), one
 *    lookup per batch (monday-match.ts), among items with an empty Id column that the sync does not
 *    link to another record yet: one item -> link to it and write the Id into its Id column;
 * several items at step 2 or 3 -> dead letter "ambiguous match" naming them, never a guess;
 * 4. none -> create with the Id column set.
 * Creates and Id writes go out as aliased mutations; each command ends with `system.record_linked`.
 */
export async function handleMondayCreates(boardId: string, commands: readonly CreateItem[], ctx: DispatchContext): Promise<HandlerResults> {
  const results: HandlerResults = new Map();
  const columnOf: ColumnOf = (c) => c.command.salesforceIdColumn ?? ctx.mapping?.byKey.get(c.command.objectKey)?.mapping.monday.salesforceIdColumn;

  const ready: CreateItem[] = [];
  for (const c of commands) {
    if (columnOf(c)) ready.push(c);
    else results.set(c.id, failed(dispatcherError('INVALID_COMMAND', `monday.create_item for ${c.command.objectKey} names no Salesforce Id column and the mapping has none`)));
  }

  let existing: Map<string, MondayItem[]>;
  try {
    existing = await itemsHoldingIds(boardId, ready, columnOf, ctx);
  } catch (error) {
    const failure = toDispatchError(error);
    for (const c of ready) results.set(c.id, failed(failure));
    return results;
  }

  const linkedTo = new Map<number, { itemId: string; via: LinkReason }>();
  const unmatched: CreateItem[] = [];
  for (const c of ready) {
    if (c.progress?.mondayItemId) {
      linkedTo.set(c.id, { itemId: c.progress.mondayItemId, via: 'created_monday_item' });
      continue;
    }
    const found = existing.get(to18(c.command.salesforceId)) ?? [];
    if (found.length > 1) {
      results.set(c.id, failed(dispatcherError('AMBIGUOUS_MATCH', `ambiguous match: items ${found.map((i) => i.id).join(', ')} on board ${boardId} all hold ${to18(c.command.salesforceId)}`)));
    } else if (found.length === 1 && found[0]) linkedTo.set(c.id, { itemId: found[0].id, via: 'salesforce_id_column' });
    else unmatched.push(c);
  }

  let byRules: Map<number, RulesMatch>;
  try {
    byRules = await matchByRules(boardId, unmatched, columnOf, ctx);
  } catch (error) {
    const failure = toDispatchError(error);
    for (const c of unmatched) results.set(c.id, failed(failure));
    byRules = new Map();
  }
  const toCreate: CreateItem[] = [];
  const toMark: Array<{ c: CreateItem; itemId: string }> = [];
  for (const c of unmatched) {
    if (results.has(c.id)) continue;
    const match = byRules.get(c.id);
    if (match?.kind === 'ambiguous') {
      const ids = match.items.map((i) => i.id).join(', ');
      const message = `ambiguous match: items ${ids} on board ${boardId} all have ${describeConditions(match.conditions)} (${c.command.salesforceObject} ${to18(c.command.salesforceId)}); none was linked and no item was created`;
      results.set(c.id, failed(dispatcherError('AMBIGUOUS_MATCH', message)));
    } else if (match?.kind === 'item') toMark.push({ c, itemId: match.item.id });
    else toCreate.push(c);
  }

  // Creates first, then the Id written into each item matched by the rules; one outcome each, in order.
  const mutations: MondayMutation[] = [
    ...toCreate.map((c) => createItemMutation(c.command, columnOf(c) as string)),
    ...toMark.map(({ c, itemId }): MondayMutation => ({ kind: 'change_column_values', itemId, columnValues: { [columnOf(c) as string]: to18(c.command.salesforceId) } })),
  ];
  const sent = [...toCreate.map((c) => ({ c, itemId: null as string | null })), ...toMark];
  let outcomes: MutationOutcome[] = [];
  if (mutations.length > 0) {
    try {
      ctx.countRequests('monday', 1);
      outcomes = await ctx.monday.applyMutations(boardId, mutations);
    } catch (error) {
      const failure = toDispatchError(error);
      for (const { c } of sent) results.set(c.id, failed(failure));
    }
  }
  for (const [index, { c, itemId }] of sent.entries()) {
    if (results.has(c.id)) continue;
    const outcome = outcomes[index];
    const mutation = mutations[index];
    const written = mutation && 'columnValues' in mutation ? mutation.columnValues : {};
    if (!outcome?.ok) results.set(c.id, failed(withRefusedColumn(toDispatchError(outcome?.error ?? new Error('no outcome for this write')), written)));
    else if (itemId) linkedTo.set(c.id, { itemId, via: 'matched_existing' });
    else linkedTo.set(c.id, { itemId: outcome.itemId, via: 'created_monday_item' });
  }

  const now = ctx.now();
  for (const c of ready) {
    const link = linkedTo.get(c.id);
    if (!link) continue;
    const salesforceId = to18(c.command.salesforceId);
    // A matched item holds its own values, not ours: link it with none, so the projector sends the
    // record's values to it as differences.
    const written = link.via === 'created_monday_item' ? (c.command.values ?? {}) : {};
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
      ctx.sentAt,
    );
    results.set(c.id, succeeded(written, [event], { itemId: link.itemId, via: link.via }));
  }
  return results;
}

/** Step 4's write: the command's item with the record's 18-char Id in the Salesforce Id column (bulk import sends the same). */
export function createItemMutation(command: CreateItem['command'], salesforceIdColumn: string): Extract<MondayMutation, { kind: 'create_item' }> {
  return {
    kind: 'create_item',
    groupId: command.groupId,
    name: command.name,
    columnValues: { ...command.columnValues, [salesforceIdColumn]: to18(command.salesforceId) },
    createLabelsIfMissing: command.createLabelsIfMissing,
  };
}

/** Items of the board whose Salesforce Id column holds one of the batch's Ids, by 18-char Id. */
async function itemsHoldingIds(boardId: string, commands: readonly CreateItem[], columnOf: ColumnOf, ctx: DispatchContext): Promise<Map<string, MondayItem[]>> {
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
    const items = await ctx.monday.findItemsByColumnValues(boardId, [{ columnId: column, values: [...values] }], { columnIds: [column] });
    for (const item of items) {
      if (item.state !== 'active') continue;
      const text = idColumnText(item, column);
      if (!text) continue;
      const key = to18(text);
      const same = found.get(key);
      if (same) same.push(item);
      else found.set(key, [item]);
    }
  }
  return found;
}

/** Step 3: the item each command matches by the object's `match:` rules (see matchItemsByRules). */
async function matchByRules(boardId: string, commands: readonly CreateItem[], columnOf: ColumnOf, ctx: DispatchContext): Promise<Map<number, RulesMatch>> {
  const wanted = commands.flatMap((c) => {
    const object = ctx.mapping?.byKey.get(c.command.objectKey);
    return object ? [{ key: c.id, conditions: matchConditions(object, c.command.values), salesforceIdColumn: columnOf(c) as string }] : [];
  });
  return matchItemsByRules(ctx.monday, boardId, wanted, { linkedItems: ctx.linkedItems, countRequest: () => ctx.countRequests('monday', 1) });
}

function idColumnText(item: MondayItem, column: string): string {
  return item.columnValues.find((v) => v.id === column)?.text?.trim() ?? '';
}
