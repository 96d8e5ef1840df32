import type {
  BoardRecord,
  ColumnRecord,
  IdCounters,
  ItemRecord,
  StateSnapshot,
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
  private readonly tokens = new Map<string, number>();
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
    list.push(item.id);
    this.reserveId('item', item.id);
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

  snapshot(): StateSnapshot {
    return structuredClone({
      version: 1 as const,
      counters: this.counters,
      users: [...this.users.values()],
      boards: [...this.boards.values()],
      items: [...this.items.values()],
      updates: [...this.updates.values()],
      webhooks: [...this.webhooks.values()],
    });
  }

  restore(snapshot: StateSnapshot): void {
    const copy = structuredClone(snapshot);
    this.users.clear();
    this.tokens.clear();
    this.boards.clear();
    this.boardItems.clear();
    this.items.clear();
    this.updates.clear();
    this.webhooks.clear();
    this.counters = { ...copy.counters };
    copy.users.forEach((u) => this.addUser(u));
    copy.boards.forEach((b) => this.addBoard(b));
    copy.items.sort((a, b) => a.createdAt - b.createdAt || a.id - b.id).forEach((i) => this.addItem(i));
    copy.updates.forEach((u) => this.addUpdate(u));
    copy.webhooks.forEach((w) => this.addWebhook(w));
  }
}
