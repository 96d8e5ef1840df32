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

/** delete_pulse and archive_pulse share one shape. */
export interface MondayItemRemoved extends MondayWebhookCommon {
  type: 'delete_pulse' | 'archive_pulse';
  itemId: number;
  itemName?: string;
  pulseId?: number;
  parentItemId?: string;
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
