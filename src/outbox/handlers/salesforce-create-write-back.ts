import type { LinkReason } from '../../event-store/payloads/sync-results';
import { streams } from '../../event-store/events';
import type { MondayItem, MondayMutation } from '../../monday/monday.port';
import type { WrittenValues } from '../../sync-commands/outbox-command';
import { toDispatchError } from '../dispatch-error';
import { recordLinkedEvent } from '../result-events';
import { failed, succeeded, type Claimed, type DispatchContext, type HandlerResult, type HandlerResults } from './handler-types';

export type CreateCommand = Claimed<'salesforce.create'>;

export interface Linked {
  salesforceId: string;
  via: LinkReason;
  /** The item's Id column already holds it: nothing to write back. */
  idColumnHolds: boolean;
  /** What both sides hold once linked, when not every value the command carries (see heldValues). */
  held?: WrittenValues;
  /** The Id column named a record a person deleted (in the recycle bin): linked to it, deleted (ms). */
  salesforceRecordDeletedAt?: number;
}

type WriteOutcome = Awaited<ReturnType<DispatchContext['monday']['applyMutations']>>[number];

/**
 * Writes each linked record's Id into its item's Salesforce Id column, per board in aliased batches,
 * and ends each command with `system.record_linked`. A write refused NOT_FOUND is checked by reading
 * the item: deleted by a person while the create ran, the link is still recorded (the record exists)
 * with the deletion, and the decision applies the `delete` policy, as for any deleted linked item.
 * An item that is not found at all (not visible to the integration user) stays a failure.
 */
export async function writeIdsBack(commands: readonly CreateCommand[], linked: Map<number, Linked>, ctx: DispatchContext, results: HandlerResults): Promise<void> {
  const byBoard = new Map<string, CreateCommand[]>();
  for (const c of commands) {
    const same = byBoard.get(c.command.boardId);
    if (same) same.push(c);
    else byBoard.set(c.command.boardId, [c]);
  }
  for (const [boardId, boardCommands] of byBoard) {
    const writes = boardCommands.filter((c) => !linked.get(c.id)?.idColumnHolds);
    const mutations: MondayMutation[] = writes.map((c) => ({
      kind: 'change_column_values',
      itemId: c.command.itemId,
      columnValues: { [c.command.salesforceIdColumn]: linked.get(c.id)?.salesforceId ?? null },
    }));
    let outcomes: WriteOutcome[] = [];
    if (mutations.length > 0) {
      try {
        ctx.countRequests('monday', 1);
        outcomes = await ctx.monday.applyMutations(boardId, mutations);
      } catch (error) {
        for (const c of writes) results.set(c.id, failed(toDispatchError(error)));
        continue;
      }
    }
    const outcomeOf = (c: CreateCommand): WriteOutcome | { ok: true } | undefined => {
      const index = writes.indexOf(c);
      return index === -1 ? { ok: true } : outcomes[index];
    };
    const notFound = boardCommands.filter((c) => outcomeNotFound(outcomeOf(c)));
    let deleted = new Map<string, MondayItem>();
    try {
      deleted = await deletedItems(notFound, ctx);
    } catch (error) {
      // Whether the item was deleted is unknown: retried (the record is kept as progress).
      for (const c of notFound) results.set(c.id, failed(toDispatchError(error)));
    }
    for (const c of boardCommands) {
      const link = linked.get(c.id);
      if (!link || results.has(c.id)) continue;
      const outcome = outcomeOf(c);
      const deletedItem = deleted.get(c.command.itemId);
      if (!outcome?.ok && !deletedItem) {
        results.set(c.id, failed(toDispatchError(outcome?.error ?? new Error('no outcome for this write'))));
        continue;
      }
      results.set(c.id, linkedOutcome(c, link, ctx, deletedItem ? deletedAt(deletedItem, ctx) : undefined));
    }
  }
}

/** A create whose item a person deleted before it was sent: settled, nothing created, the deletion told to the decision. */
export function itemDeletedOutcome(item: MondayItem, ctx: DispatchContext): HandlerResult {
  return succeeded({}, [], { mondayItemDeletedAt: deletedAt(item, ctx) });
}

function linkedOutcome(c: CreateCommand, link: Linked, ctx: DispatchContext, mondayItemDeletedAt: number | undefined): HandlerResult {
  const values = link.held ?? c.command.values ?? {};
  const event = recordLinkedEvent(
    c,
    {
      objectKey: c.command.objectKey,
      salesforceObject: c.command.salesforceObject,
      salesforceId: link.salesforceId,
      mondayBoardId: c.command.boardId,
      mondayItemId: c.command.itemId,
      via: link.via,
      values,
      ...(mondayItemDeletedAt === undefined ? {} : { mondayItemDeletedAt }),
      ...(link.salesforceRecordDeletedAt === undefined ? {} : { salesforceRecordDeletedAt: link.salesforceRecordDeletedAt }),
    },
    streams.mondayItem(c.command.itemId),
    ctx.now(),
    ctx.sentAt,
  );
  const result = { salesforceId: link.salesforceId, via: link.via, ...(mondayItemDeletedAt === undefined ? {} : { mondayItemDeletedAt }) };
  return succeeded(values, [event], result);
}

function outcomeNotFound(outcome: WriteOutcome | { ok: true } | undefined): boolean {
  return outcome !== undefined && !outcome.ok && outcome.error.code === 'NOT_FOUND';
}

/** Of these commands' items, those monday shows as deleted (by item id); one read. */
async function deletedItems(commands: readonly CreateCommand[], ctx: DispatchContext): Promise<Map<string, MondayItem>> {
  if (commands.length === 0) return new Map();
  ctx.countRequests('monday', 1);
  const columnIds = [...new Set(commands.map((c) => c.command.salesforceIdColumn))];
  const items = await ctx.monday.itemsByIds([...new Set(commands.map((c) => c.command.itemId))], { columnIds });
  return new Map(items.filter((item) => item.state === 'deleted').map((item) => [item.id, item]));
}

/** When the item was deleted: its last update (a delete updates it), else when it was read as deleted. */
function deletedAt(item: MondayItem, ctx: DispatchContext): number {
  const updated = item.updatedAt ? Date.parse(item.updatedAt) : Number.NaN;
  return Number.isFinite(updated) ? updated : ctx.now().getTime();
}
