/** The emulator's stored state: plain JSON-serialisable records (snapshot/restore/persist copy them as is). */

export type ColumnTypeName =
  | 'name'
  | 'text'
  | 'long_text'
  | 'numbers'
  | 'status'
  | 'dropdown'
  | 'date'
  | 'timeline'
  | 'people'
  | 'email'
  | 'phone'
  | 'link'
  | 'checkbox'
  | 'board_relation'
  | 'country';

export type ItemState = 'active' | 'archived' | 'deleted';

export interface UserRecord {
  id: number;
  name: string;
  email: string;
  title: string;
  /** Personal V2 token of this user (the integration user's is handed to the service). */
  token: string;
  isAdmin: boolean;
  createdAt: number;
}

export interface ColumnRecord {
  id: string;
  title: string;
  type: ColumnTypeName;
  description: string | null;
  width: number | null;
  archived: boolean;
  /** The object `settings_str` serialises (shape per type, see reference 3.1). */
  settings: Record<string, unknown>;
  revision: number;
}

export interface GroupRecord {
  id: string;
  title: string;
  color: string;
  position: number;
  archived: boolean;
  deleted: boolean;
}

export interface BoardRecord {
  id: number;
  name: string;
  kind: 'public' | 'private' | 'share';
  state: 'active' | 'archived' | 'deleted';
  description: string | null;
  workspaceId: number | null;
  ownerId: number;
  createdAt: number;
  updatedAt: number;
  columns: ColumnRecord[];
  groups: GroupRecord[];
}

/** One cell: type-specific normalised data (see each column-types module) and when it last changed. */
export interface StoredValue {
  data: unknown;
  changedAt: number;
}

export interface ItemRecord {
  id: number;
  boardId: number;
  groupId: string;
  name: string;
  state: ItemState;
  creatorId: number;
  createdAt: number;
  updatedAt: number;
  values: Record<string, StoredValue>;
}

export interface UpdateRecord {
  id: number;
  itemId: number;
  body: string;
  textBody: string;
  creatorId: number;
  createdAt: number;
}

export interface WebhookRecord {
  id: number;
  boardId: number;
  url: string;
  event: string;
  config: Record<string, unknown> | null;
  createdAt: number;
}

/**
 * One entry of a board's activity log (board `activity_logs`, `ActivityLogType`): what happened
 * (`event`, e.g. `create_pulse`), to which kind of thing (`entity`: `pulse` = item), by whom, when
 * (`createdAt`: monday's 17-digit time, 10^-7 s units, as a string) and `data` (a JSON string).
 */
export interface ActivityLogRecord {
  id: string;
  boardId: number;
  event: string;
  entity: string;
  userId: number;
  accountId: number;
  createdAt: string;
  data: string;
}

export interface StateSnapshot {
  version: 1;
  counters: IdCounters;
  users: UserRecord[];
  boards: BoardRecord[];
  items: ItemRecord[];
  updates: UpdateRecord[];
  webhooks: WebhookRecord[];
  /** Every board's activity log, oldest first (absent in snapshots saved before it existed). */
  activityLogs?: ActivityLogRecord[];
}

export interface IdCounters {
  board: number;
  item: number;
  update: number;
  webhook: number;
}
