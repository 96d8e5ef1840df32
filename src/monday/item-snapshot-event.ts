import { streams, type MondayItemSnapshot, type NewEvent } from '../event-store';
import type { MondayItem } from './monday.port';

/**
 * A monday item read through the API, as the `monday.item_snapshot` event the sync projector
 * decides (the dispatcher's read of a new item, the catch-up after a webhook outage, reconcile).
 */
export function mondayItemSnapshotEvent(
  item: MondayItem,
  options: { reason: MondayItemSnapshot['reason']; sourceEventId: string; occurredAt: Date; boardId?: string; columns?: readonly string[]; readAfter?: number },
): NewEvent {
  const columns = options.columns;
  return {
    type: 'monday.item_snapshot',
    source: 'monday',
    sourceEventId: options.sourceEventId,
    stream: streams.mondayItem(item.id),
    origin: 'unknown',
    occurredAt: options.occurredAt,
    payload: {
      boardId: options.boardId ?? item.boardId,
      itemId: item.id,
      name: item.name,
      groupId: item.groupId,
      state: item.state,
      updatedAt: item.updatedAt,
      columnValues: item.columnValues
        .filter((c) => !columns || columns.includes(c.id))
        .map((c) => ({ id: c.id, type: c.type, value: c.value, text: c.text, ...(c.linkedItemIds ? { linkedItemIds: c.linkedItemIds } : {}) })),
      reason: options.reason,
      ...(options.readAfter !== undefined ? { readAfter: options.readAfter } : {}),
    },
  };
}
