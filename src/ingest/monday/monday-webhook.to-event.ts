import { createHash } from 'node:crypto';
import type {
  EventOrigin,
  MondayCreateColumn,
  MondayCreatePulse,
  MondayItemRemoved,
  MondayItemUpdatePost,
  MondayMovePulseIntoGroup,
  MondayRestorePulse,
  MondayUpdateColumnValue,
  MondayUpdateName,
  NewEvent,
} from '../../event-store';
import { streams } from '../../event-store';
import type { KnownWebhookType } from './monday-webhook.dto';

/**
 * A validated monday webhook `event` object as the typed event we store. The payload is kept whole.
 * Origin is own_echo when the acting user is our integration user (invariant 7: monday attributes
 * API writes to the token's user).
 */
export function mondayWebhookToEvent(body: Record<string, unknown>, ownUserId: number | null): NewEvent {
  const type = String(body.type) as KnownWebhookType | string;
  const userId = typeof body.userId === 'number' ? body.userId : null;
  const origin: EventOrigin = ownUserId === null || userId === null ? 'unknown' : userId === ownUserId ? 'own_echo' : 'user';
  const common = {
    source: 'monday' as const,
    sourceEventId: typeof body.triggerUuid === 'string' ? body.triggerUuid : `sha256:${hashOf(body)}`,
    origin,
    occurredAt: occurredAt(body),
  };
  const item = (id: unknown): string => streams.mondayItem(String(id));
  switch (type) {
    case 'create_pulse':
      return { ...common, type: 'monday.item_created', stream: item(body.pulseId), payload: body as unknown as MondayCreatePulse };
    case 'update_column_value':
      return { ...common, type: 'monday.column_changed', stream: item(body.pulseId), payload: body as unknown as MondayUpdateColumnValue };
    case 'update_name':
      return { ...common, type: 'monday.item_renamed', stream: item(body.pulseId), payload: body as unknown as MondayUpdateName };
    case 'delete_pulse':
      return { ...common, type: 'monday.item_deleted', stream: item(body.itemId), payload: body as unknown as MondayItemRemoved };
    case 'archive_pulse':
      return { ...common, type: 'monday.item_archived', stream: item(body.itemId), payload: body as unknown as MondayItemRemoved };
    case 'restore_pulse':
      return { ...common, type: 'monday.item_restored', stream: item(body.itemId), payload: body as unknown as MondayRestorePulse };
    case 'move_pulse_into_group':
      return { ...common, type: 'monday.item_moved', stream: item(body.pulseId), payload: body as unknown as MondayMovePulseIntoGroup };
    case 'create_update':
    case 'edit_update':
    case 'delete_update':
      return { ...common, type: 'monday.item_update_posted', stream: item(body.pulseId), payload: body as unknown as MondayItemUpdatePost };
    case 'create_column':
      return {
        ...common,
        type: 'monday.column_created',
        stream: streams.mondayBoard(String(body.boardId)),
        payload: body as unknown as MondayCreateColumn,
      };
    default: {
      const target = body.pulseId ?? body.itemId;
      const stream = target !== undefined ? item(target) : body.boardId !== undefined ? streams.mondayBoard(String(body.boardId)) : 'monday:unknown';
      return { ...common, type: 'monday.unknown', stream, payload: { ...body, type } };
    }
  }
}

function occurredAt(body: Record<string, unknown>): Date {
  if (typeof body.changedAt === 'number') return new Date(Math.round(body.changedAt * 1000));
  if (typeof body.triggerTime === 'string') {
    const parsed = new Date(body.triggerTime);
    if (!Number.isNaN(parsed.getTime())) return parsed;
  }
  return new Date();
}

function hashOf(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 40);
}
