import type { EventOfType } from '../events';

/**
 * monday webhook payloads as monday sends them (reference monday.md 7.4/7.5), kept whole in events.
 * Ids are numbers except parentItemId/parentItemBoardId (strings). Column values use monday's
 * INTERNAL shapes here, not the API `value` JSON (reference 7.5).
 */
export interface MondayWebhookCommon {
  app?: string;
  type: string;
  triggerTime: string;
  subscriptionId?: number;
  userId: number;
  originalTriggerUuid?: string | null;
  triggerUuid: string;
  isRetry?: boolean;
  boardId: number;
}

export interface MondayCreatePulse extends MondayWebhookCommon {
  type: 'create_pulse';
  pulseId: number;
  pulseName: string;
  groupId?: string;
  groupName?: string;
  isTopGroup?: boolean;
  /** Always `{}` in real captures, even when the item was created with values. */
  columnValues?: Record<string, unknown>;
  parentItemId?: string;
  parentItemBoardId?: string;
}

export interface MondayUpdateColumnValue extends MondayWebhookCommon {
  type: 'update_column_value';
  pulseId: number;
  pulseName?: string;
  groupId?: string;
  columnId: string;
  /** monday's internal type name, e.g. `color` for status, `multiple-person` for people. */
  columnType: string;
  columnTitle?: string;
  value: unknown;
  previousValue?: unknown;
  /** Unix epoch seconds with fraction. */
  changedAt?: number;
  parentItemId?: string;
  parentItemBoardId?: string;
}

export interface MondayUpdateName extends MondayWebhookCommon {
  type: 'update_name';
  pulseId: number;
  groupId?: string;
  value: { name: string };
  previousValue?: { name: string } | null;
}

/** delete_pulse and archive_pulse share one shape: the item is `itemId`, never `pulseId`. */
export interface MondayItemRemoved extends MondayWebhookCommon {
  type: 'delete_pulse' | 'archive_pulse';
  itemId: number;
  itemName?: string;
  /** Subitem variants only (reference 7.5); not the item id. Read the id with mondayItemIdOf. */
  pulseId?: number;
  parentItemId?: string;
  parentBoardId?: string;
}

export interface MondayRestorePulse extends MondayWebhookCommon {
  type: 'restore_pulse';
  itemId: number;
  itemName?: string;
  value?: { state?: number; is_undo?: boolean };
  previousValue?: { state?: number } | null;
}

export interface MondayMovePulseIntoGroup extends MondayWebhookCommon {
  type: 'move_pulse_into_group';
  pulseId: number;
  sourceGroupId: string;
  destGroupId: string;
  destGroup?: { id: string; title?: string; color?: string; is_top_group?: boolean };
}

/** create_update, edit_update and delete_update share one shape. */
export interface MondayItemUpdatePost extends MondayWebhookCommon {
  type: 'create_update' | 'edit_update' | 'delete_update';
  pulseId: number;
  updateId: number;
  body?: string;
  textBody?: string;
  replyId?: number | null;
}

export interface MondayCreateColumn extends MondayWebhookCommon {
  type: 'create_column';
  columnId: string;
  columnTitle?: string;
  columnType: string;
  createdAt?: number;
}

/** A payload whose `type` we do not model: stored as received so nothing is lost. */
export interface MondayUnknownWebhook {
  type: string;
  triggerUuid?: string;
  [key: string]: unknown;
}

/** The monday events that concern one item. */
export type MondayItemEvent = EventOfType<
  | 'monday.item_created'
  | 'monday.column_changed'
  | 'monday.item_renamed'
  | 'monday.item_deleted'
  | 'monday.item_archived'
  | 'monday.item_restored'
  | 'monday.item_moved'
  | 'monday.item_update_posted'
  | 'monday.item_snapshot'
>;

/**
 * The item an event concerns, from the field its type really carries (reference monday.md 7.4/7.5):
 * `pulseId` for create/update/rename/move/updates, `itemId` for delete/archive/restore (which carry
 * no `pulseId` for top-level items) and for our own item reads. The one place that knows this.
 */
export function mondayItemIdOf(event: MondayItemEvent): string {
  switch (event.type) {
    case 'monday.item_created':
    case 'monday.column_changed':
    case 'monday.item_renamed':
    case 'monday.item_moved':
    case 'monday.item_update_posted':
      return String(event.payload.pulseId);
    case 'monday.item_deleted':
    case 'monday.item_archived':
    case 'monday.item_restored':
      return String(event.payload.itemId);
    case 'monday.item_snapshot':
      return event.payload.itemId;
    default:
      return unhandled(event);
  }
}

function unhandled(event: never): never {
  throw new Error(`mondayItemIdOf: not an item event: ${(event as { type?: unknown }).type as string}`);
}

/**
 * Who made a monday change: our integration user (an echo of our own write; monday attributes API
 * writes to the token's user) or a person; unknown when either id is missing.
 */
export function mondayOrigin(userId: number | string | null, ownUserId: number | string | null): 'user' | 'own_echo' | 'unknown' {
  if (userId === null || ownUserId === null) return 'unknown';
  return String(userId) === String(ownUserId) ? 'own_echo' : 'user';
}
