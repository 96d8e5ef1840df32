import { mondayItemSnapshotEvent } from '../../monday/item-snapshot-event';
import type { MondayItem } from '../../monday/monday.port';
import { toDispatchError } from '../dispatch-error';
import { attemptKey } from '../result-events';
import { failed, succeeded, type Claimed, type DispatchContext, type HandlerResults } from './handler-types';

/**
 * create_pulse webhooks carry no column values (reference 7.5): read the items (one query for the
 * batch) and append each as a `monday.item_snapshot` with reason 'created'.
 */
export async function handleMondayRefreshes(commands: ReadonlyArray<Claimed<'monday.refresh_item'>>, ctx: DispatchContext): Promise<HandlerResults> {
  const results: HandlerResults = new Map();
  if (commands.length === 0) return results;
  let items: MondayItem[];
  try {
    ctx.countRequests('monday', Math.ceil(commands.length / 100));
    items = await ctx.monday.itemsByIds([...new Set(commands.map((c) => c.command.itemId))]);
  } catch (error) {
    const failure = toDispatchError(error);
    for (const c of commands) results.set(c.id, failed(failure));
    return results;
  }
  const byId = new Map(items.map((item) => [item.id, item]));
  const now = ctx.now();
  for (const c of commands) {
    const item = byId.get(c.command.itemId);
    if (!item) {
      results.set(c.id, failed({ code: 'NOT_FOUND', target: 'monday', message: `monday item ${c.command.itemId} does not exist (or is not visible to the integration user)` }));
      continue;
    }
    results.set(
      c.id,
      succeeded({}, [mondayItemSnapshotEvent(item, { reason: 'created', sourceEventId: attemptKey(c, 'snapshot'), occurredAt: now })], { itemId: item.id }),
    );
  }
  return results;
}
