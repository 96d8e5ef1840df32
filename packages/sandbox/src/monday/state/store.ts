import { ColumnTextIndex } from './column-text-index';
import type {
  ActivityLogRecord,
  BoardRecord,
  ColumnRecord,
  IdCounters,
  ItemRecord,
  StateSnapshot,
  StoredValue,
  UpdateRecord,
  UserRecord,
  WebhookRecord,
} from './model';

const INITIAL_COUNTERS: IdCounters = { board: 9_378_100_000, item: 9_400_000_000, update: 1_190_600_000, webhook: 466_700_000 };

/** In-memory state with the indexes the API needs; no rules live here (see item-actions / board-actions). */
export class MondayStore {
  readonly users = new Map<number, UserRecord>();
  readonly boards = new Map<number, BoardRecord>();
  readonly items = new Map<number, ItemRecord>();
  readonly updates = new Map<number, UpdateRecord>();
  readonly webhooks = new Map<number, WebhookRecord>();
  /** Item ids per board in creation order (all states). */
  private readonly boardItems = new Map<number, number[]>();
  /** Each item's place in its board's creation order (the order every items query answers in). */
  private readonly creationRank = new Map<number, number>();
  /** Cell text -> item ids, for items_page_by_column_values; every cell and name write goes through here. */
  private readonly texts = new ColumnTextIndex(this);
  private readonly tokens = new Map<string, number>();
  /** Activity log entries per board, oldest first. */
  private readonly activityLogs = new Map<number, ActivityLogRecord[]>();
  private counters: IdCounters = { ...INITIAL_COUNTERS };

  nextId(kind: keyof IdCounters): number {
    this.counters[kind] += 1;
    return this.counters[kind];
  }

  /** Keeps generated ids above a fixed id someone seeded, so they never collide. */
  reserveId(kind: keyof IdCounters, id: number): void {
    if (id > this.counters[kind] && id < this.counters[kind] + 1_000_000_000) this.counters[kind] = id;
  }

  addUser(user: UserRecord): void {
    this.users.set(user.id, user);
    this.tokens.set(user.token, user.id);
  }

  userByToken(token: string): UserRecord | undefined {
    const id = this.tokens.get(token);
    return id === undefined ? undefined : this.users.get(id);
  }

  addBoard(board: BoardRecord): void {
    this.boards.set(board.id, board);
    if (!this.boardItems.has(board.id)) this.boardItems.set(board.id, []);
    this.reserveId('board', board.id);
  }

  column(board: BoardRecord, columnId: string): ColumnRecord | undefined {
    return board.columns.find((c) => c.id === columnId);
  }

  addItem(item: ItemRecord): void {
    this.items.set(item.id, item);
    let list = this.boardItems.get(item.boardId);
    if (!list) {
      list = [];
      this.boardItems.set(item.boardId, list);
    }
    this.creationRank.set(item.id, list.length);
    list.push(item.id);
    this.reserveId('item', item.id);
    this.texts.added(item, this.boards.get(item.boardId));
  }

  /** Writes one cell (undefined clears it); returns what it held before. */
  setValue(item: ItemRecord, column: ColumnRecord, current: StoredValue | undefined): StoredValue | undefined {
    const previous = item.values[column.id];
    this.texts.valueChanged(item, column, previous, current);
    if (current) item.values[column.id] = current;
    else delete item.values[column.id];
    return previous;
  }

  /** Renames an item; returns the previous name. */
  setName(item: ItemRecord, name: string): string {
    const previous = item.name;
    item.name = name;
    this.texts.renamed(item, previous);
    return previous;
  }

  /**
   * Items of the board (any state) whose cell in `column` shows one of `texts` (the cell text or one
   * of its ", " parts), in creation order; undefined when the column's type is not indexed.
   */
  itemsWithCellText(board: BoardRecord, column: ColumnRecord, texts: readonly string[]): ItemRecord[] | undefined {
    if (!ColumnTextIndex.indexes(column)) return undefined;
    const ids = [...this.texts.lookup(board.id, column, texts, () => this.itemsOfBoard(board.id, false))];
    ids.sort((a, b) => (this.creationRank.get(a) ?? 0) - (this.creationRank.get(b) ?? 0));
    const out: ItemRecord[] = [];
    for (const id of ids) {
      const item = this.items.get(id);
      if (item) out.push(item);
    }
    return out;
  }

  /** Items of a board in creation order; `activeOnly` drops archived and deleted ones. */
  itemsOfBoard(boardId: number, activeOnly = true): ItemRecord[] {
    const ids = this.boardItems.get(boardId) ?? [];
    const out: ItemRecord[] = [];
    for (const id of ids) {
      const item = this.items.get(id);
      if (item && (!activeOnly || item.state === 'active')) out.push(item);
    }
    return out;
  }

  addUpdate(update: UpdateRecord): void {
    this.updates.set(update.id, update);
  }

  updatesOfItem(itemId: number): UpdateRecord[] {
    const out: UpdateRecord[] = [];
    for (const u of this.updates.values()) if (u.itemId === itemId) out.push(u);
    return out.sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
  }

  addWebhook(webhook: WebhookRecord): void {
    this.webhooks.set(webhook.id, webhook);
  }

  webhooksOfBoard(boardId: number): WebhookRecord[] {
    const out: WebhookRecord[] = [];
    for (const w of this.webhooks.values()) if (w.boardId === boardId) out.push(w);
    return out;
  }

  /** Keeps a board's newest `keep` entries (dropping the oldest in batches, so a write stays cheap). */
  addActivityLog(entry: ActivityLogRecord, keep = Number.POSITIVE_INFINITY): void {
    const list = this.activityLogs.get(entry.boardId);
    if (!list) {
      this.activityLogs.set(entry.boardId, [entry]);
      return;
    }
    list.push(entry);
    if (list.length > keep * 1.1) list.splice(0, list.length - keep);
  }

  /** A board's activity log, oldest first (the caller must not change it). */
  activityLogsOfBoard(boardId: number): readonly ActivityLogRecord[] {
    return this.activityLogs.get(boardId) ?? [];
  }

  snapshot(): StateSnapshot {
    return structuredClone({
      version: 1 as const,
      counters: this.counters,
      users: [...this.users.values()],
      boards: [...this.boards.values()],
      items: [...this.items.values()],
      updates: [...this.updates.values()],
      webhooks: [...this.webhooks.values()],
      activityLogs: [...this.activityLogs.values()].flat(),
    });
  }

  restore(snapshot: StateSnapshot): void {
    const copy = structuredClone(snapshot);
    this.users.clear();
    this.tokens.clear();
    this.boards.clear();
    this.boardItems.clear();
    this.creationRank.clear();
    this.texts.clear();
    this.items.clear();
    this.updates.clear();
    this.webhooks.clear();
    this.activityLogs.clear();
    this.counters = { ...copy.counters };
    copy.users.forEach((u) => this.addUser(u));
    copy.boards.forEach((b) => this.addBoard(b));
    copy.items.sort((a, b) => a.createdAt - b.createdAt || a.id - b.id).forEach((i) => this.addItem(i));
    copy.updates.forEach((u) => this.addUpdate(u));
    copy.webhooks.forEach((w) => this.addWebhook(w));
    (copy.activityLogs ?? []).forEach((entry) => this.addActivityLog(entry));
  }
}
