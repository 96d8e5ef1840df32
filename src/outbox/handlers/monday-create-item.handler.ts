import { streams } from '../../event-store/events';
import type { LinkReason } from '../../event-store/payloads/sync-results';
import { to18 } from '../../mapping/salesforce-id';
import type { MondayItem, MondayMutation, MutationOutcome } from '../../monday/monday.port';
import { LeaseLostError } from '../claim-lease';
import { dispatcherError, toDispatchError, withRefusedColumn } from '../dispatch-error';
import { recordLinkedEvent } from '../result-events';
import { failed, succeeded, type Claimed, type DispatchContext, type HandlerResult, type HandlerResults } from './handler-types';
import { createRequestKey, repeatedCreateRequests, type RepeatedCreateRequest } from './monday-create-request';
import { traceLostCreates } from './monday-create-trace';
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
 * 4. none -> create with the Id column set, all creates of the batch in one request whose
 *    Idempotency-Key is saved with the commands (and when it was first sent) before it is sent; a
 *    retry whose step 2 missed some of that request's items first reads the board's activity log for
 *    the items our user created since the first send and links those holding the Ids, deleted and
 *    archived ones included (monday-create-trace.ts): monday keeps a key's answer 30 minutes at most
 *    (its cache has a budget per user and app, so maybe less), and the request may not go out again
 *    whole (a create of it is not in this batch: another dispatcher claimed it); then it sends the
 *    request again under the same key if an item is still missing (monday-create-request.ts): the
 *    first request never reached monday, or monday still has its answer; a request monday refused
 *    with resource protection is settled at once by the Id lookup (settleRefusedCreates).
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

  // Creates whose saved request may have made items the lookup missed: the items its earlier sends
  // made, deleted and archived ones too, from the board's activity log (monday-create-trace.ts)
  // before anything is sent again. Not only once our clock says the key may be forgotten: monday may
  // forget it sooner (its cache has a budget), and the request may not go out whole (fault seeds
  // 3224, 3803: a second item for an archived first).
  const toTrace = unmatched.filter((c) => c.progress?.mondayCreateRequest !== undefined);
  const traced = await traceLostCreates(boardId, toTrace, columnOf, ctx);
  for (const [id, failure] of traced.failures) results.set(id, failure);
  for (const [id, link] of traced.links) linkedTo.set(id, link);
  const untraced = unmatched.filter((c) => !linkedTo.has(c.id) && !results.has(c.id));

  // Creates whose earlier attempt's request was saved go out again as that request (its key).
  const found = ready.filter((c) => !c.progress?.mondayItemId && linkedTo.has(c.id));
  const { repeated, fresh } = repeatedCreateRequests(untraced, found);
  let byRules: Map<number, RulesMatch>;
  try {
    byRules = await matchByRules(boardId, fresh, columnOf, ctx);
  } catch (error) {
    const failure = toDispatchError(error);
    for (const c of fresh) results.set(c.id, failed(failure));
    byRules = new Map();
  }
  const toCreate: CreateItem[] = [];
  const toMark: Array<{ c: CreateItem; itemId: string }> = [];
  for (const c of fresh) {
    if (results.has(c.id)) continue;
    const match = byRules.get(c.id);
    if (match?.kind === 'ambiguous') {
      const ids = match.items.map((i) => i.id).join(', ');
      const message = `ambiguous match: items ${ids} on board ${boardId} all have ${describeConditions(match.conditions)} (${c.command.salesforceObject} ${to18(c.command.salesforceId)}); none was linked and no item was created`;
      results.set(c.id, failed(dispatcherError('AMBIGUOUS_MATCH', message)));
    } else if (match?.kind === 'item') toMark.push({ c, itemId: match.item.id });
    else toCreate.push(c);
  }

  for (const request of repeated) await sendAgain(boardId, request, linkedTo, results, columnOf, ctx);
  if (toCreate.length > 0) {
    // One request for all creates, its Idempotency-Key saved with each command before it is sent.
    const commandIds = toCreate.map((c) => c.id);
    const key = createRequestKey(boardId, toCreate);
    try {
      for (const c of toCreate) {
        // Unsaved (the claim was taken over), a dispatcher taking the command would not know this key.
        const mondayCreateRequest = { key, commandIds, firstSentAt: ctx.now().toISOString() };
        if (!(await ctx.saveProgress(c, { ...c.progress, mondayCreateRequest }))) throw new LeaseLostError('the create request could not be saved under this claim');
      }
      const outcomes = await send(boardId, toCreate.map((c) => createItemMutation(c.command, columnOf(c) as string)), results, toCreate, ctx, key);
      toCreate.forEach((c, i) => {
        const outcome = outcomes[i];
        if (outcome?.ok) linkedTo.set(c.id, { itemId: outcome.itemId, via: 'created_monday_item' });
      });
      await settleRefusedCreates(boardId, toCreate.filter((c) => isResourceRefusal(results.get(c.id))), linkedTo, results, columnOf, ctx);
    } catch (error) {
      // Not sent: a create whose request could not be saved first could not be recognised later.
      const failure = toDispatchError(error);
      for (const c of toCreate) if (!results.has(c.id)) results.set(c.id, failed(failure));
    }
  }
  if (toMark.length > 0) {
    // The Id written into each item matched by the rules.
    const marks = toMark.map(({ c, itemId }): MondayMutation => ({ kind: 'change_column_values', itemId, columnValues: { [columnOf(c) as string]: to18(c.command.salesforceId) } }));
    const outcomes = await send(boardId, marks, results, toMark.map(({ c }) => c), ctx, null);
    toMark.forEach(({ c, itemId }, i) => {
      if (outcomes[i]?.ok) linkedTo.set(c.id, { itemId, via: 'matched_existing' });
    });
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

/** One request of `mutations` (one per command, in order); a command whose write failed gets its failure in `results`. */
async function send(
  boardId: string,
  mutations: readonly MondayMutation[],
  results: HandlerResults,
  commands: readonly CreateItem[],
  ctx: DispatchContext,
  idempotencyKey: string | null,
): Promise<MutationOutcome[]> {
  let outcomes: MutationOutcome[] = [];
  try {
    ctx.countRequests('monday', 1);
    outcomes = await ctx.monday.applyMutations(boardId, mutations, idempotencyKey ? { idempotencyKey } : {});
  } catch (error) {
    const failure = toDispatchError(error);
    for (const c of commands) results.set(c.id, failed(failure));
    return [];
  }
  commands.forEach((c, i) => {
    const outcome = outcomes[i];
    const mutation = mutations[i];
    const written = mutation && 'columnValues' in mutation ? mutation.columnValues : {};
    if (!outcome?.ok) results.set(c.id, failed(withRefusedColumn(toDispatchError(outcome?.error ?? new Error('no outcome for this write')), written)));
  });
  return outcomes;
}

/**
 * An earlier attempt's request of creates, sent again whole under its key (monday-create-request.ts).
 * A create the lookup had not found links to the item of the answer: replayed, the item the first
 * attempt made (a deleted one too: the core then applies the mapping's `delete` policy, as for any
 * item removed before its link); run again (the first never reached monday), a new one. A create the
 * lookup had found keeps that item; if monday ran the request again (its answer expired), the
 * second item just made for it is deleted at once.
 */
async function sendAgain(
  boardId: string,
  request: RepeatedCreateRequest,
  linkedTo: Map<number, { itemId: string; via: LinkReason }>,
  results: HandlerResults,
  columnOf: ColumnOf,
  ctx: DispatchContext,
): Promise<void> {
  const foundBefore = new Map(request.commands.flatMap((c) => (linkedTo.has(c.id) ? [[c.id, linkedTo.get(c.id)]] : [])));
  const outcomes = await send(boardId, request.commands.map((c) => createItemMutation(c.command, columnOf(c) as string)), results, request.commands, ctx, request.key);
  const extra: Array<{ c: CreateItem; itemId: string }> = [];
  request.commands.forEach((c, i) => {
    const outcome = outcomes[i];
    const before = foundBefore.get(c.id);
    // A failure fails every command of the request, found or not: they are retried together, so
    // the retry can send the same request again (a part of it would be a different request).
    if (!outcome?.ok) {
      linkedTo.delete(c.id);
      return;
    }
    if (!before) linkedTo.set(c.id, { itemId: outcome.itemId, via: 'created_monday_item' });
    else if (!outcome.replayed && outcome.itemId !== before.itemId) extra.push({ c, itemId: outcome.itemId });
  });
  if (extra.length === 0) return;
  const removals = extra.map(({ itemId }): MondayMutation => ({ kind: 'delete_item', itemId }));
  await send(boardId, removals, results, extra.map(({ c }) => c), ctx, null);
  // A second item that could not be deleted is left for the retry to find (an ambiguous match,
  // dead-lettered for a person), never hidden behind a success.
  for (const { c } of extra) if (results.has(c.id)) linkedTo.delete(c.id);
}

/**
 * Creates monday answered with a resource-protection refusal (`tooManyRequests`, HTTP 200, the field
 * null). Whether a mutation refused that way ran is not documented (monday.md 1.5 says throttled
 * requests were not executed; addendum 2.3 shows the refusal only on a query field), and monday may
 * keep the refusal under the request's key, so neither a retry's lookup (a person may delete the item
 * meanwhile) nor a resend under the key (it may replay the refusal, or run again) settles it. The
 * answer came back, so the request is over on monday: the Id lookup now shows whatever it made. An
 * item found is linked; a create nothing holds did not run, so its saved request is dropped and the
 * retry sends a new one under a new key. A failed lookup leaves the request saved for the retry.
 */
async function settleRefusedCreates(
  boardId: string,
  refused: readonly CreateItem[],
  linkedTo: Map<number, { itemId: string; via: LinkReason }>,
  results: HandlerResults,
  columnOf: ColumnOf,
  ctx: DispatchContext,
): Promise<void> {
  if (refused.length === 0) return;
  let holding: Map<string, MondayItem[]>;
  try {
    holding = await itemsHoldingIds(boardId, refused, columnOf, ctx);
  } catch {
    return;
  }
  for (const c of refused) {
    const found = holding.get(to18(c.command.salesforceId)) ?? [];
    if (found.length === 1 && found[0]) {
      results.delete(c.id);
      linkedTo.set(c.id, { itemId: found[0].id, via: 'salesforce_id_column' });
    } else if (found.length === 0) {
      const progress = { ...c.progress };
      delete progress.mondayCreateRequest;
      await ctx.saveProgress(c, progress);
    }
  }
}

function isResourceRefusal(result: HandlerResult | undefined): boolean {
  return result !== undefined && !result.ok && result.error.crmCode === 'tooManyRequests';
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
