import { mondayOrigin, streams, type MondayItemRemoved, type NewEvent } from '../event-store';
import type { MondayRemovedItem } from './monday.port';

/**
 * A deletion or archive read from a board's activity log (the catch-up after a webhook outage), as
 * the `monday.item_deleted` / `monday.item_archived` event its webhook would have made: the sync
 * projector decides both the same way. `ownUserId` tags our own removals as echoes.
 */
export function mondayItemRemovedEvent(removed: MondayRemovedItem, options: { boardId: string; sourceEventId: string; ownUserId: string | null; now: Date }): NewEvent {
  const at = removed.at ?? options.now;
  const payload: MondayItemRemoved = {
    type: removed.removal === 'deleted' ? 'delete_pulse' : 'archive_pulse',
    boardId: Number(options.boardId),
    itemId: Number(removed.itemId),
    itemName: removed.name,
    userId: removed.userId === null ? 0 : Number(removed.userId),
    triggerTime: at.toISOString(),
    triggerUuid: options.sourceEventId,
  };
  const common = { source: 'monday' as const, sourceEventId: options.sourceEventId, stream: streams.mondayItem(removed.itemId), origin: mondayOrigin(removed.userId, options.ownUserId), occurredAt: at };
  return removed.removal === 'deleted' ? { ...common, type: 'monday.item_deleted', payload } : { ...common, type: 'monday.item_archived', payload };
}
