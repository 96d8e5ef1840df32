import type { LinkReason } from '../../event-store/payloads/sync-results';
import { to18 } from '../../mapping/salesforce-id';
import type { MondayItem } from '../../monday/monday.port';
import { MAX_ACTIVITY_LOG_ENTRIES } from '../../monday';
import { dispatcherError, toDispatchError } from '../dispatch-error';
import { failed, type Claimed, type DispatchContext, type HandlerResult } from './handler-types';
import { createsWindow } from './monday-create-request';

type CreateItem = Claimed<'monday.create_item'>;

/**
 * Entries of our own activity log read at most per trace: all monday serves of one query (100
 * pages, in the rare path of a create retried after its request's outcome was lost). A busy board can hold
 * more of our entries in the window (every column change of ours is one): past it, what was not
 * found is created as before.
 */
export const MAX_TRACED_LOG_ENTRIES = MAX_ACTIVITY_LOG_ENTRIES;
const IDS_PER_READ = 100;

export interface TracedCreates {
  /** Command id -> the item an earlier send of its request made. */
  links: Map<number, { itemId: string; via: LinkReason }>;
  /** Commands that could not be traced (the reads failed) or that several items match. */
  failures: Map<number, HandlerResult>;
  /** False when the log held more than was read: an item of these creates may have been missed. */
  complete: boolean;
}

/**
 * Finds the items earlier sends of these creates' saved requests made, when the Id lookup did not find them (a person deleted them; the lookup sees
 * active items only). One read of the board's activity log: the items our own user (`me.id`) created
 * in the requests' window (createsWindow), deleted ones too; those the sync links to no record are read
 * with items(ids) (any state) and matched by their Salesforce Id column. One item -> the create links
 * to it: a deleted or archived one as the item our create made (as a keyed resend's answer would
 * name it: the core's tombstone merge then applies the mapping's `delete` policy), an active one the
 * lookup missed as found by its Id column. Several -> "ambiguous match", never a guess. None -> the
 * create goes on as before (resent under its key).
 */
export async function traceLostCreates(
  boardId: string,
  commands: readonly CreateItem[],
  columnOf: (c: CreateItem) => string | undefined,
  ctx: DispatchContext,
): Promise<TracedCreates> {
  const traced: TracedCreates = { links: new Map(), failures: new Map(), complete: true };
  if (commands.length === 0) return traced;
  let items: MondayItem[];
  try {
    const log = await ctx.monday.itemsCreatedBy(boardId, await ctx.mondayUserId(), createsWindow(commands, ctx.now()), { maxEntries: MAX_TRACED_LOG_ENTRIES });
    ctx.countRequests('monday', log.requests);
    traced.complete = log.complete;
    const created = [...new Set(log.items.map((i) => i.itemId))];
    const linked = created.length > 0 ? await ctx.linkedItems(created) : new Map<string, string>();
    const unlinked = created.filter((id) => !linked.has(id));
    const columns = [...new Set(commands.map((c) => columnOf(c) as string))];
    ctx.countRequests('monday', Math.ceil(unlinked.length / IDS_PER_READ));
    items = unlinked.length > 0 ? await ctx.monday.itemsByIds(unlinked, { columnIds: columns }) : [];
  } catch (error) {
    const failure = toDispatchError(error);
    for (const c of commands) traced.failures.set(c.id, failed(failure));
    return traced;
  }
  for (const c of commands) {
    const column = columnOf(c) as string;
    const salesforceId = to18(c.command.salesforceId);
    const holding = items.filter((item) => item.boardId === boardId && idColumnText(item, column) !== '' && to18(idColumnText(item, column)) === salesforceId);
    if (holding.length > 1) {
      const message = `ambiguous match: items ${holding.map((i) => `${i.id} (${i.state})`).join(', ')} on board ${boardId} were all created by us and hold ${salesforceId}`;
      traced.failures.set(c.id, failed(dispatcherError('AMBIGUOUS_MATCH', message)));
    } else if (holding[0]) {
      const item = holding[0];
      traced.links.set(c.id, { itemId: item.id, via: item.state === 'active' ? 'salesforce_id_column' : 'created_monday_item' });
    }
  }
  return traced;
}

function idColumnText(item: MondayItem, column: string): string {
  return item.columnValues.find((v) => v.id === column)?.text?.trim() ?? '';
}
