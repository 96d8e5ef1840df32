import type { MondayBulkImport } from './bulk-import.port';
import type { MondayError } from './monday.error';
import type { MondayApiUsage } from './monday-call-counter';

export type { MondayApiUsage } from './monday-call-counter';

/**
 * What the sync service needs from monday.com. Every id is a string (GraphQL `ID`); column values
 * travel as monday's own JSON (reads: the `value` JSON string; writes: the per-column write value),
 * converting them is the mapping's job. Failures throw MondayError (see monday.error.ts), except
 * applyMutations, which reports one outcome per mutation.
 */
export interface MondayPort {
  /** Calls counted today and the daily-limit state (optional: test doubles need not count). */
  apiUsage?(): MondayApiUsage;
  /** Bulk item import, present when the configured API version has it (2026-07 or later). */
  readonly bulkImport?: MondayBulkImport;
  /** The user behind the token (echo suppression compares webhook `userId` with this id). */
  me(): Promise<MondayUser>;
  /** The account behind the token (its country is the default country of phone numbers). */
  account(): Promise<MondayAccount>;
  /**
   * The account's daily call limit and today's calls by all its apps and users (`platform_api`;
   * admins only: others get a MondayError). Optional: test doubles need not report it.
   */
  dailyCalls?(): Promise<MondayDailyCalls>;
  users(): Promise<MondayUser[]>;
  /** Boards with columns and groups. Unknown or inaccessible ids are left out (monday returns no error). */
  boards(boardIds: readonly string[]): Promise<MondayBoard[]>;
  /** Items by id, any board, in batches of 100; archived and deleted items come back with their `state`. */
  itemsByIds(itemIds: readonly string[], options?: { columnIds?: readonly string[] }): Promise<MondayItem[]>;
  /**
   * Every active item of a board, each exactly once, page by page (items_page, next_items_page).
   * When a cursor expires mid-way the stream restarts the query and skips what it already yielded.
   */
  streamBoardItems(boardId: string, options?: StreamBoardItemsOptions): AsyncIterable<MondayItem>;
  /** Items whose column holds one of `values` (items_page_by_column_values; values are OR-ed). */
  findItemsByColumnValue(boardId: string, columnId: string, values: readonly string[]): Promise<MondayItem[]>;
  /**
   * Items that hold, in every one of `columns`, one of that column's values (items_page_by_column_values:
   * values of a column OR-ed, columns AND-ed, compared with the cell text; `name` is the item name).
   * `columnIds` narrows the column values read (and the query's complexity).
   */
  findItemsByColumnValues(boardId: string, columns: readonly ColumnValuesFilter[], options?: { columnIds?: readonly string[] }): Promise<MondayItem[]>;

  /**
   * Items `userId` created on the board between `window.from` and `window.to`, deleted ones included
   * (the board's `activity_logs`, its `create_pulse` entries), newest first, reading at most
   * `maxEntries` entries of that user's log (entries of every kind count; monday serves at most 10,000).
   */
  itemsCreatedBy(boardId: string, userId: string, window: { from: Date; to: Date }, options?: { maxEntries?: number }): Promise<MondayCreatedItems>;

  /**
   * Items deleted or archived on the board since `window.from` (until `window.to`, or now) by anyone (the
   * board's `activity_logs`, its `delete_pulse` and `archive_pulse` entries), each item once with its
   * latest removal, reading at most `maxEntries` entries of the board's log.
   */
  itemsRemoved(boardId: string, window: { from: Date; to?: Date }, options?: { maxEntries?: number }): Promise<MondayRemovedItems>;

  createItem(boardId: string, groupId: string | null, name: string, columnValues: MondayColumnWrites, options?: WriteOptions): Promise<{ id: string }>;
  changeColumnValues(boardId: string, itemId: string, columnValues: MondayColumnWrites, options?: WriteOptions): Promise<{ id: string }>;
  renameItem(boardId: string, itemId: string, name: string): Promise<{ id: string }>;
  deleteItem(boardId: string, itemId: string): Promise<{ id: string }>;
  archiveItem(boardId: string, itemId: string): Promise<{ id: string }>;
  /**
   * Several writes to one board in as few requests as the batch size allows (aliased mutations).
   * Returns one outcome per mutation, in order; a request-level failure (throttling, 5xx) becomes the
   * outcome of every mutation that request carried and of those not sent after it.
   */
  applyMutations(boardId: string, mutations: readonly MondayMutation[], options?: ApplyMutationsOptions): Promise<MutationOutcome[]>;

  createWebhook(boardId: string, url: string, event: MondayWebhookEvent, config?: Record<string, unknown>): Promise<MondayWebhook>;
  deleteWebhook(boardId: string, webhookId: string): Promise<void>;
  webhooks(boardId: string): Promise<MondayWebhook[]>;
  createColumn(boardId: string, title: string, type: string): Promise<MondayColumn>;
}

/** What a board's activity log says one user created (MondayPort.itemsCreatedBy). */
export interface MondayCreatedItems {
  items: MondayCreatedItem[];
  /** False when the window held more entries than were read: an item created in it may be missing. */
  complete: boolean;
  /** API requests it took (pages). */
  requests: number;
}

export interface MondayCreatedItem {
  itemId: string;
  /** The name the item was created with. */
  name: string;
  /** When it was created (monday's clock); null when the entry's time could not be read. */
  createdAt: Date | null;
}

/** What a board's activity log says was deleted or archived (MondayPort.itemsRemoved). */
export interface MondayRemovedItems {
  items: MondayRemovedItem[];
  /** False when the window held more entries than were read: a removal in it may be missing. */
  complete: boolean;
  /** API requests it took (pages). */
  requests: number;
}

export interface MondayRemovedItem {
  itemId: string;
  /** The item's name when it was removed. */
  name: string;
  removal: 'deleted' | 'archived';
  /** Who removed it; null when the entry does not say. */
  userId: string | null;
  /** When (monday's clock); null when the entry's time could not be read. */
  at: Date | null;
}

/** One column of an items_page_by_column_values search: its id and the texts it may show. */
export interface ColumnValuesFilter {
  columnId: string;
  values: readonly string[];
}

export interface MondayAccount {
  id: string;
  /** `country_code`: ISO 3166-1 alpha-2, upper-case; null when the account has none. */
  countryCode: string | null;
}

export interface MondayDailyCalls {
  /** Calls allowed per UTC day (plan plus add-ons); null when monday gave none. */
  limit: number | null;
  /** Calls counted today (UTC) as of `lastUpdated`; null when monday has no figure for today yet. */
  usedToday: number | null;
  lastUpdated: string | null;
}

export interface MondayUser {
  id: string;
  name: string;
  email: string;
}

export interface MondayColumn {
  id: string;
  title: string;
  /** `ColumnType` of the API: text, status, dropdown, board_relation, ... */
  type: string;
  /** `settings_str` parsed (`{}` when empty or unreadable). */
  settings: Record<string, unknown>;
}

export interface MondayGroup {
  id: string;
  title: string;
}

export interface MondayBoard {
  id: string;
  name: string;
  columns: MondayColumn[];
  groups: MondayGroup[];
}

export interface MondayColumnValue {
  id: string;
  type: string;
  /** The API's `value`: a JSON string, `null` when empty (and always for board_relation from 2025-04). */
  value: string | null;
  text: string | null;
  /** board_relation only. */
  linkedItemIds?: string[];
}

export type MondayItemState = 'active' | 'archived' | 'deleted';

export interface MondayItem {
  id: string;
  name: string;
  boardId: string;
  groupId: string | null;
  state: MondayItemState;
  createdAt: string | null;
  updatedAt: string | null;
  columnValues: MondayColumnValue[];
}

/** Column id -> write value (monday.md 5.1); `null` clears the column. JSON-encoded by the client. */
export type MondayColumnWrites = Readonly<Record<string, unknown>>;

export interface WriteOptions {
  /** Create missing status/dropdown labels instead of failing with a VALIDATION error. */
  createLabelsIfMissing?: boolean;
}

export type MondayMutation =
  | { kind: 'create_item'; groupId: string | null; name: string; columnValues: MondayColumnWrites; createLabelsIfMissing?: boolean }
  | { kind: 'change_column_values'; itemId: string; columnValues: MondayColumnWrites; createLabelsIfMissing?: boolean }
  | { kind: 'rename_item'; itemId: string; name: string }
  | { kind: 'archive_item'; itemId: string }
  | { kind: 'delete_item'; itemId: string }
  /** An update (a comment) on the item; its outcome's `itemId` is the item's. */
  | { kind: 'create_update'; itemId: string; body: string };

export interface ApplyMutationsOptions {
  /**
   * The intent's id (e.g. the outbox command id): each request carries `Idempotency-Key: <key>:<range>`,
   * so a retry after a timeout gets monday's cached answer instead of writing twice (monday.md 1.5).
   * Keep it stable across retries of the same mutations; monday caches answers for 30 minutes.
   */
  idempotencyKey?: string;
}

/** `replayed`: monday answered from its Idempotency-Key cache; the mutation did not run again. */
export type MutationOutcome = { ok: true; itemId: string; replayed?: boolean } | { ok: false; error: MondayError };

export interface StreamBoardItemsOptions {
  /** monday `ItemsQuery` (rules, operator, groups, ids, order_by) for the first page. */
  queryParams?: MondayItemsQuery;
  /** Items per page, 1..500 (default 500). */
  pageSize?: number;
  /** Read only these column values (default: all). */
  columnIds?: readonly string[];
}

export interface MondayItemsQueryRule {
  column_id: string;
  compare_value: unknown;
  compare_attribute?: string;
  operator?: string;
}

export interface MondayItemsQueryGroup {
  rules?: MondayItemsQueryRule[];
  groups?: MondayItemsQueryGroup[];
  operator?: 'and' | 'or';
}

export interface MondayItemsQuery extends MondayItemsQueryGroup {
  ids?: string[];
  order_by?: Array<{ column_id: string; direction?: 'asc' | 'desc' }>;
}

/** `WebhookEventType` values of the API (monday.md 7.1). */
export type MondayWebhookEvent =
  | 'change_column_value'
  | 'change_name'
  | 'change_specific_column_value'
  | 'change_status_column_value'
  | 'change_subitem_column_value'
  | 'change_subitem_name'
  | 'create_column'
  | 'create_item'
  | 'create_subitem'
  | 'create_subitem_update'
  | 'create_update'
  | 'delete_update'
  | 'edit_update'
  | 'item_archived'
  | 'item_deleted'
  | 'item_moved_to_any_group'
  | 'item_moved_to_specific_group'
  | 'item_restored'
  | 'move_subitem'
  | 'subitem_archived'
  | 'subitem_deleted';

export interface MondayWebhook {
  id: string;
  boardId: string;
  event: string;
  /** `config` as monday returns it (a JSON string) parsed, or null. */
  config: Record<string, unknown> | null;
}
