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
  EventOfType,
  MondayItemEvent,
  NewEvent,
} from '../../event-store';
import { mondayItemIdOf, mondayOrigin, streams } from '../../event-store';
import type { KnownWebhookType } from './monday-webhook.dto';

/**
 * A validated monday webhook `event` object as the typed event we store. The payload is kept whole.
 * Origin is own_echo when the acting user is our integration user (invariant 7: monday attributes
 * API writes to the token's user).
 */
export function mondayWebhookToEvent(body: Record<string, unknown>, ownUserId: number | null): NewEvent {
  const type = String(body.type) as KnownWebhookType | string;
  const userId = typeof body.userId === 'number' ? body.userId : null;
  const origin: EventOrigin = mondayOrigin(userId, ownUserId);
  const common = {
    source: 'monday' as const,
    sourceEventId: typeof body.triggerUuid === 'string' ? body.triggerUuid : `sha256:${hashOf(body)}`,
    origin,
    occurredAt: occurredAt(body),
  };
  const fact = factOf(type, body);
  if (fact.type === 'monday.column_created') return { ...common, ...fact, stream: streams.mondayBoard(String(body.boardId)) };
  if (fact.type !== 'monday.unknown') return { ...common, ...fact, stream: streams.mondayItem(mondayItemIdOf(fact)) };
  return { ...common, ...fact, stream: unknownEventStream(body) };
}

type MondayFact = MondayItemEvent | EventOfType<'monday.column_created'> | EventOfType<'monday.unknown'>;

function factOf(type: string, body: Record<string, unknown>): MondayFact {
  switch (type as KnownWebhookType) {
    case 'create_pulse':
      return { type: 'monday.item_created', source: 'monday', payload: body as unknown as MondayCreatePulse };
    case 'update_column_value':
      return { type: 'monday.column_changed', source: 'monday', payload: body as unknown as MondayUpdateColumnValue };
    case 'update_name':
      return { type: 'monday.item_renamed', source: 'monday', payload: body as unknown as MondayUpdateName };
    case 'delete_pulse':
      return { type: 'monday.item_deleted', source: 'monday', payload: body as unknown as MondayItemRemoved };
    case 'archive_pulse':
      return { type: 'monday.item_archived', source: 'monday', payload: body as unknown as MondayItemRemoved };
    case 'restore_pulse':
      return { type: 'monday.item_restored', source: 'monday', payload: body as unknown as MondayRestorePulse };
    case 'move_pulse_into_group':
      return { type: 'monday.item_moved', source: 'monday', payload: body as unknown as MondayMovePulseIntoGroup };
    case 'create_update':
    case 'edit_update':
    case 'delete_update':
      return { type: 'monday.item_update_posted', source: 'monday', payload: body as unknown as MondayItemUpdatePost };
    case 'create_column':
      return { type: 'monday.column_created', source: 'monday', payload: body as unknown as MondayCreateColumn };
    default:
      return { type: 'monday.unknown', source: 'monday', payload: { ...body, type } };
  }
}

/** A type we do not model names its item or board in no field we know: only a plain id is used. */
function unknownEventStream(body: Record<string, unknown>): string {
  const target = [body.pulseId, body.itemId].find(isPlainId);
  if (target !== undefined) return streams.mondayItem(String(target));
  return isPlainId(body.boardId) ? streams.mondayBoard(String(body.boardId)) : 'monday:unknown';
}

function isPlainId(value: unknown): value is number | string {
  return (typeof value === 'number' && Number.isSafeInteger(value)) || (typeof value === 'string' && /^[0-9]{1,20}$/.test(value));
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
