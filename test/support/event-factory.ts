import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../src/event-store';

/** A minimal valid monday.column_changed event with a fresh idempotency key. */
export function columnChangedEvent(overrides: { itemId?: number; triggerUuid?: string; label?: string } = {}): NewEvent {
  const triggerUuid = overrides.triggerUuid ?? randomUUID().replace(/-/g, '');
  const itemId = overrides.itemId ?? 1001;
  return {
    type: 'monday.column_changed',
    source: 'monday',
    sourceEventId: triggerUuid,
    stream: `monday:item:${itemId}`,
    origin: 'user',
    occurredAt: new Date('2026-01-01T00:00:00Z'),
    payload: {
      type: 'update_column_value',
      triggerTime: '2026-01-01T00:00:00.000Z',
      userId: 7,
      triggerUuid,
      boardId: 42,
      pulseId: itemId,
      columnId: 'status',
      columnType: 'color',
      value: { label: { index: 1, text: overrides.label ?? 'Done' } },
    },
  };
}
