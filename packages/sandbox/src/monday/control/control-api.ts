import type { BoardSpec } from '../board-actions';
import { INTEGRATION_USER_ID, personalToken } from '../account-users';
import type { EmulatorCore } from '../emulator-core';
import { MondayApiError } from '../errors';
import type { DailyAnalytics } from '../http/daily-analytics';
import type { IdempotencyCache } from '../http/idempotency-cache';
import type { RateLimiter } from '../http/rate-limiter';
import type { DeliveryRecord, DeliveryStats } from '../webhooks/delivery-queue';
import type { BoardRecord, ItemRecord, StateSnapshot, UpdateRecord, UserRecord, WebhookRecord } from '../state/model';
import type { FaultSpec } from './faults';
import type { RequestLog, RequestLogEntry } from './request-log';

/** Who acts: a human user id (default: the first human of the account). */
export interface Actor {
  asUserId?: number;
}

export interface SeedItem {
  id?: number;
  name: string;
  groupId?: string;
  columnValues?: Record<string, unknown>;
  creatorId?: number;
}

/**
 * The emulator's control surface (tests, demo, `/__sandbox/` routes): act as a human in the UI
 * (changes fire webhooks with that user's id), seed data without webhooks, snapshot/restore, request
 * log, faults, clock, webhook delivery switches.
 */
export class MondayControl {
  constructor(
    private readonly core: EmulatorCore,
    private readonly limiter: RateLimiter,
    private readonly log: RequestLog,
    private readonly analytics: DailyAnalytics,
    private readonly idempotency: IdempotencyCache,
  ) {}

  users(): UserRecord[] {
    return [...this.core.store.users.values()];
  }

  humanUsers(): UserRecord[] {
    return this.users().filter((u) => u.id !== INTEGRATION_USER_ID);
  }

  /**
   * A person joins the account (an admin invited them and they accepted): a new user id, served by
   * the `users` query and usable in people columns from now on. An e-mail the account already has is
   * refused, as monday does.
   */
  addUser(input: { name: string; email: string; title?: string; isAdmin?: boolean }): UserRecord {
    const email = input.email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new MondayApiError('InvalidArgumentException', `Invalid email: ${email}`, { email });
    if (this.users().some((u) => u.email.toLowerCase() === email.toLowerCase())) {
      throw new MondayApiError('InvalidArgumentException', 'A user with this email already exists in the account', { email });
    }
    const id = Math.max(...this.users().map((u) => u.id)) + 1;
    const user: UserRecord = { id, name: input.name, email, title: input.title ?? '', isAdmin: input.isAdmin ?? false, token: personalToken(id, this.core.account.id), createdAt: this.core.clock.now() };
    this.core.store.addUser(user);
    return { ...user };
  }

  createItem(input: { boardId: number; name: string; groupId?: string; columnValues?: Record<string, unknown>; createLabelsIfMissing?: boolean } & Actor): ItemRecord {
    return this.core.items.createItem(
      { boardId: input.boardId, name: input.name, groupId: input.groupId, columnValues: input.columnValues ?? {} },
      this.actor(input),
      { createLabelsIfMissing: input.createLabelsIfMissing },
    );
  }

  changeColumnValues(input: { itemId: number; columnValues: Record<string, unknown>; createLabelsIfMissing?: boolean } & Actor): ItemRecord {
    const item = this.item(input.itemId);
    return this.core.items.changeValues(
      { boardId: item.boardId, itemId: item.id, values: input.columnValues, syntax: 'json' },
      this.actor(input),
      { createLabelsIfMissing: input.createLabelsIfMissing },
    );
  }

  renameItem(input: { itemId: number; name: string } & Actor): ItemRecord {
    return this.core.items.rename(input.itemId, input.name, this.actor(input));
  }

  deleteItem(input: { itemId: number } & Actor): ItemRecord {
    return this.core.items.setState(input.itemId, 'deleted', this.actor(input));
  }

  archiveItem(input: { itemId: number } & Actor): ItemRecord {
    return this.core.items.setState(input.itemId, 'archived', this.actor(input));
  }

  restoreItem(input: { itemId: number } & Actor): ItemRecord {
    return this.core.items.setState(input.itemId, 'active', this.actor(input));
  }

  moveItem(input: { itemId: number; groupId: string } & Actor): ItemRecord {
    return this.core.items.moveToGroup(input.itemId, input.groupId, this.actor(input));
  }

  /** Sets a board_relation cell to exactly these items (an empty list clears it). */
  linkItems(input: { itemId: number; columnId: string; linkedItemIds: number[] } & Actor): ItemRecord {
    return this.changeColumnValues({ itemId: input.itemId, columnValues: { [input.columnId]: { item_ids: input.linkedItemIds } }, asUserId: input.asUserId });
  }

  createUpdate(input: { itemId: number; body: string } & Actor): UpdateRecord {
    return this.core.items.createUpdate(input.itemId, input.body, this.actor(input));
  }

  /** The updates (comments) posted on an item, oldest first. */
  listUpdates(itemId: number): UpdateRecord[] {
    return this.core.store.updatesOfItem(itemId);
  }

  seedBoard(spec: BoardSpec): BoardRecord {
    return this.core.silently(() => this.core.boards.seedBoard(spec));
  }

  /** Items written straight into the board (labels created as needed), no webhooks. */
  seedItems(boardId: number, items: SeedItem[]): ItemRecord[] {
    return this.core.silently(() =>
      items.map((seed) => {
        if (seed.id !== undefined) this.core.store.reserveId('item', seed.id - 1);
        const item = this.core.items.createItem(
          { boardId, name: seed.name, groupId: seed.groupId, columnValues: seed.columnValues ?? {} },
          seed.creatorId ?? this.humanUsers()[0]?.id ?? INTEGRATION_USER_ID,
          { createLabelsIfMissing: true },
        );
        return item;
      }),
    );
  }

  board(boardId: number): BoardRecord | undefined {
    return this.core.store.boards.get(boardId);
  }

  boards(): BoardRecord[] {
    return [...this.core.store.boards.values()];
  }

  getItem(itemId: number): ItemRecord | undefined {
    return this.core.store.items.get(itemId);
  }

  listItems(boardId: number, includeInactive = false): ItemRecord[] {
    return this.core.store.itemsOfBoard(boardId, !includeInactive);
  }

  webhooks(): WebhookRecord[] {
    return [...this.core.store.webhooks.values()];
  }

  snapshot(): StateSnapshot {
    return this.core.store.snapshot();
  }

  restore(snapshot: StateSnapshot): void {
    this.core.store.restore(snapshot);
    this.core.cursors.clear();
    this.core.notifyChanged();
  }

  requestLog(): RequestLogEntry[] {
    return this.log.list();
  }

  clearRequestLog(): void {
    this.log.clear();
  }

  addFault(spec: FaultSpec): void {
    this.core.faults.add(spec);
  }

  clearFaults(): void {
    this.core.faults.clear();
  }

  faults(): FaultSpec[] {
    return this.core.faults.list();
  }

  now(): number {
    return this.core.clock.now();
  }

  /** Moves emulated time forward (cursor expiry, budget windows, webhook retries). */
  advanceClock(ms: number): void {
    this.core.clock.advance(ms);
    this.core.queue.clockAdvanced();
  }

  /** Stops sending webhooks (they queue up) — monday's side of an outage. A receiver outage is a receiver answering 5xx. */
  pauseWebhooks(): void {
    this.core.queue.pause();
  }

  resumeWebhooks(): void {
    this.core.queue.resume();
  }

  webhookDeliveries(): DeliveryRecord[] {
    return this.core.queue.deliveries();
  }

  clearWebhookDeliveries(): void {
    this.core.queue.clearLog();
  }

  webhookStats(): DeliveryStats {
    return this.core.queue.snapshotStats();
  }

  /** Every delivery waiting for its once-a-minute retry is retried now; no clock moves. */
  retryWebhooksNow(): void {
    this.core.queue.retryNow();
  }

  /**
   * Every delivery waiting for a retry goes through its remaining retries now and, if the receiver
   * still refuses, monday gives up on it (`gave_up`), as after 30 minutes of once-a-minute retries;
   * no clock moves. Resolves when no retry is pending.
   */
  exhaustWebhookRetries(): Promise<void> {
    return this.core.queue.exhaustRetries();
  }

  /**
   * Every cached Idempotency-Key answer expires, as 30 minutes after it was given; no clock moves.
   * A retry under such a key runs its mutation again.
   */
  expireIdempotencyKeys(): void {
    this.idempotency.expireAll();
  }

  /** Resolves when no delivery is queued or in flight (scheduled retries excluded). */
  waitForWebhooks(): Promise<void> {
    return this.core.queue.idle();
  }

  resetRateLimits(): void {
    this.limiter.reset();
    this.analytics.invalidate();
  }

  /** Calls counted today by the account (all its apps and users) and its daily allocation. */
  dailyCalls(): { used: number; limit: number } {
    return { used: this.limiter.dailyCallsUsed(), limit: this.core.limits.dailyCalls };
  }

  /**
   * Fault: other apps and users of the account spent calls, or the plan changed. `used` replaces
   * today's count (reaching `limit` makes every request DAILY_LIMIT_EXCEEDED until 00:00 UTC);
   * `platform_api` shows the change at once instead of at its next refresh.
   */
  setDailyCalls(update: { used?: number; limit?: number }): void {
    if (update.limit !== undefined) this.limiter.setDailyCallLimit(update.limit);
    if (update.used !== undefined) this.limiter.setDailyCallsUsed(update.used);
    this.analytics.invalidate();
  }

  private item(itemId: number): ItemRecord {
    const item = this.core.store.items.get(Number(itemId));
    if (!item) throw new MondayApiError('ResourceNotFoundException', 'Item not found in board', { item_id: itemId }, 404);
    return item;
  }

  private actor(actor: Actor): number {
    const id = actor.asUserId ?? this.humanUsers()[0]?.id ?? INTEGRATION_USER_ID;
    if (!this.core.store.users.has(id)) throw new MondayApiError('InvalidUserIdException', 'User not found', { user_id: id });
    return id;
  }
}
