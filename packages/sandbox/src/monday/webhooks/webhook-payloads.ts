import type { BoardEvent } from '../board-events';
import type { ColumnContext } from '../column-types/column-type';
import { rulesFor } from '../column-types/registry';
import { topGroup } from '../item-actions';
import type { BoardRecord, ColumnRecord, ItemState, WebhookRecord } from '../state/model';
import { isoMillis } from '../time-format';

/** Subscription events a board event can trigger (reference 7.1 / 7.4). */
export function subscriptionEventsFor(event: BoardEvent): string[] {
  switch (event.type) {
    case 'item_created':
      return ['create_item'];
    case 'column_value_changed':
      return event.column.type === 'status'
        ? ['change_column_value', 'change_specific_column_value', 'change_status_column_value']
        : ['change_column_value', 'change_specific_column_value'];
    case 'item_renamed':
      return ['change_name'];
    case 'item_deleted':
      return ['item_deleted'];
    case 'item_archived':
      return ['item_archived'];
    case 'item_restored':
      return ['item_restored'];
    case 'item_moved':
      return ['item_moved_to_any_group', 'item_moved_to_specific_group'];
    case 'update_created':
      return ['create_update'];
    case 'column_created':
      return ['create_column'];
    default: {
      const never: never = event;
      return never;
    }
  }
}

/** Whether a webhook's `config` selects this event (specific column, status value, target group). */
export function configMatches(webhook: WebhookRecord, event: BoardEvent): boolean {
  const config = webhook.config ?? {};
  if (webhook.event === 'change_specific_column_value' || webhook.event === 'change_status_column_value') {
    if (event.type !== 'column_value_changed' || config.columnId !== event.column.id) return false;
    if (webhook.event === 'change_status_column_value') {
      const wanted = config.columnValue as { index?: unknown; $any$?: unknown } | undefined;
      if (!wanted || wanted.$any$ === true) return true;
      return event.current !== undefined && Number(wanted.index) === event.current.data;
    }
    return true;
  }
  if (webhook.event === 'item_moved_to_specific_group') {
    return event.type === 'item_moved' && config.groupId === event.item.groupId;
  }
  return true;
}

const STATE_CODE: Record<ItemState, number> = { active: 1, archived: 2, deleted: 3 };

export interface PayloadEnv {
  accountId: number;
  now: number;
  /** The change's `changedAt`: epoch seconds with six decimals, distinct per change (reference 7.5's samples). */
  changedAt: number;
  context(column: ColumnRecord): ColumnContext;
}

function isTopGroup(board: BoardRecord, groupId: string): boolean {
  return topGroup(board)?.id === groupId;
}

/**
 * The type-specific part of `event` (reference 7.5), in the key order of the captured samples. The
 * common head (app, type, triggerTime, subscriptionId, isRetry, userId, originalTriggerUuid) and the
 * trailing triggerUuid are added per subscription by `envelope`.
 */
export function payloadBody(event: BoardEvent, env: PayloadEnv): { type: string; body: Record<string, unknown> } {
  const board = event.board;
  switch (event.type) {
    case 'item_created': {
      const group = board.groups.find((g) => g.id === event.item.groupId);
      return {
        type: 'create_pulse',
        body: {
          boardId: board.id,
          pulseId: event.item.id,
          pulseName: event.item.name,
          groupId: event.item.groupId,
          groupName: group?.title ?? '',
          groupColor: group?.color ?? '',
          isTopGroup: isTopGroup(board, event.item.groupId),
          columnValues: {},
        },
      };
    }
    case 'column_value_changed': {
      const rules = rulesFor(event.column.type);
      const ctx = env.context(event.column);
      const internal = (v: typeof event.current): unknown => (v === undefined ? null : rules.webhookValue(v.data, isoMillis(v.changedAt), ctx));
      return {
        type: 'update_column_value',
        body: {
          boardId: board.id,
          groupId: event.item.groupId,
          pulseId: event.item.id,
          pulseName: event.item.name,
          columnId: event.column.id,
          columnType: rules.internalType,
          columnTitle: event.column.title,
          value: internal(event.current),
          previousValue: internal(event.previous),
          changedAt: env.changedAt,
          isTopGroup: isTopGroup(board, event.item.groupId),
        },
      };
    }
    case 'item_renamed':
      return {
        type: 'update_name',
        body: {
          boardId: board.id,
          groupId: event.item.groupId,
          pulseId: event.item.id,
          value: { name: event.item.name },
          previousValue: { name: event.previousName },
        },
      };
    case 'item_deleted':
    case 'item_archived':
      return {
        type: event.type === 'item_deleted' ? 'delete_pulse' : 'archive_pulse',
        body: { boardId: board.id, itemId: event.item.id, itemName: event.item.name },
      };
    case 'item_restored':
      return {
        type: 'restore_pulse',
        body: {
          value: { state: STATE_CODE[event.item.state], is_undo: true },
          previousValue: { state: STATE_CODE[event.previousState] },
          boardId: board.id,
          itemId: event.item.id,
          itemName: event.item.name,
        },
      };
    case 'item_moved': {
      const dest = board.groups.find((g) => g.id === event.item.groupId);
      return {
        type: 'move_pulse_into_group',
        body: {
          boardId: board.id,
          pulseId: event.item.id,
          sourceGroupId: event.sourceGroupId,
          destGroupId: event.item.groupId,
          destGroup: { id: dest?.id, title: dest?.title, color: dest?.color, is_top_group: isTopGroup(board, event.item.groupId) },
        },
      };
    }
    case 'update_created':
      return {
        type: 'create_update',
        body: {
          boardId: board.id,
          pulseId: event.item.id,
          body: event.update.body,
          textBody: event.update.textBody,
          updateId: event.update.id,
          replyId: null,
        },
      };
    case 'column_created':
      return {
        type: 'create_column',
        body: {
          boardId: board.id,
          columnId: event.column.id,
          columnTitle: event.column.title,
          columnType: event.column.type === 'name' ? 'name' : rulesFor(event.column.type).internalType,
          accountId: env.accountId,
          entity: 'board',
          createdAt: env.now / 1000,
          retryCount: 0,
        },
      };
    default: {
      const never: never = event;
      return never;
    }
  }
}

export interface EnvelopeFields {
  type: string;
  triggerTime: number;
  subscriptionId: number;
  userId: number;
  triggerUuid: string;
  body: Record<string, unknown>;
}

/** `{"event": {...}}` with the common fields around the type-specific body (reference 7.3, 7.5). */
export function envelope(f: EnvelopeFields, isRetry: boolean): { event: Record<string, unknown> } {
  return {
    event: {
      app: 'monday',
      type: f.type,
      triggerTime: isoMillis(f.triggerTime),
      subscriptionId: f.subscriptionId,
      isRetry,
      userId: f.userId,
      originalTriggerUuid: null,
      ...f.body,
      triggerUuid: f.triggerUuid,
    },
  };
}
