import type { Pool, PoolClient } from 'pg';
import type { RecordedEvent } from './events';
import { RollbackTransaction, withTransaction } from '../database/transaction';
import type { EventNotifications } from './event-notifications';
import { lockCheckpoint, readCheckpoint, saveCheckpoint } from './checkpoints';
import { readBatch, readEventAt, START } from './read-batch';
import type { LeaderLock } from './leader-lock';
import {
  findParkedEvent,
  markParkedResolved,
  markParkedRetryFailed,
  parkedErrorOf,
  parkEvent,
  requestedRetries,
  type ParkedEvent,
} from './parked-events';
import { isTransientDatabaseError } from './transient-error';

/** A named consumer of the event log. `handle` runs inside the transaction that stores the checkpoint. */
export interface Subscriber {
  name: string;
  handle(events: RecordedEvent[], tx: PoolClient): Promise<void>;
  /** The records an event concerns, in the subscriber's words (shown with a parked event). */
  recordKeysOf?(event: RecordedEvent): string[];
  /**
   * Called each time this instance takes the lead, before its first batch: what the subscriber keeps
   * in memory between batches is brought up to what the instances that led meanwhile committed.
   */
  leading?(db: Pool): Promise<void>;
}

/** What a retry of a parked event came to. */
export type ParkedRetryResult =
  | { position: number; outcome: 'resolved' }
  | { position: number; outcome: 'failed'; error: { message: string; stack: string | null } }
  | { position: number; outcome: 'not_parked' };

export interface SubscriptionOptions {
  batchSize?: number;
  /** Slow poll: the most a lost notification or a dropped LISTEN connection can delay progress. */
  pollIntervalMs?: number;
  /** How often a runner that is not the leader tries to take over. */
  takeoverIntervalMs?: number;
  /** Called when a batch fails; the batch is rolled back and retried after `retryDelayMs`. */
  onError?: (error: unknown, subscriber: string) => void;
  retryDelayMs?: number;
  /**
   * Called after an event was parked (committed): one event whose handling throws, alone, for a reason
   * other than the database (see parkOrRetry). Alerts and logs hang here.
   */
  onParked?: (parked: ParkedEvent) => void;
  /**
   * Events parked in a row, with none handled between, after which the fault is taken to be systemic
   * (a broken table, a bug every event meets), not the events': the runner stops parking and retries
   * the batch as before, its error on /health, until a restart or the fault goes (default 100).
   */
  maxConsecutiveParked?: number;
}

export interface SubscriptionStatus {
  subscriber: string;
  running: boolean;
  leader: boolean;
  lastBatchAt: Date | null;
  eventsHandled: number;
  /** Events this runner parked since it started (all unresolved ones: parked_events). */
  eventsParked?: number;
  lastError: string | null;
}

type BatchAttempt = { ok: true; handled: number } | { ok: false; error: unknown; events: RecordedEvent[] };
type ParkedRetryAttempt = { outcome: 'not_parked' } | { outcome: 'resolved' } | { outcome: 'failed'; failure: unknown };

/**
 * Runs one subscriber: waits to be the leader (one instance at a time), then reads batches after
 * its checkpoint and hands them to the subscriber; the subscriber's writes and the new checkpoint
 * commit together (invariant 4). Wakes on NOTIFY, re-reads quickly while events are still hidden
 * behind an open older transaction, and otherwise polls every `pollIntervalMs`.
 */
export class SubscriptionRunner {
  private running = false;
  private wake: (() => void) | null = null;
  private pendingWake = false;
  private loop: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;
  private lastNotifiedAt = 0;
  private readonly state: SubscriptionStatus;
  private lastRetryCheck = 0;
  private consecutiveParked = 0;
  /** The lock was taken and the subscriber's `leading` has not run since. */
  private toLead = false;
  private readonly options: Required<Omit<SubscriptionOptions, 'onError' | 'onParked'>> & Pick<SubscriptionOptions, 'onError' | 'onParked'>;

  constructor(
    private readonly pool: Pool,
    private readonly notifications: EventNotifications | null,
    private readonly subscriber: Subscriber,
    private readonly lock: LeaderLock,
    options: SubscriptionOptions = {},
  ) {
    this.options = { batchSize: 500, pollIntervalMs: 1_000, takeoverIntervalMs: 1_000, retryDelayMs: 500, maxConsecutiveParked: 100, ...options };
    this.state = { subscriber: subscriber.name, running: false, leader: false, lastBatchAt: null, eventsHandled: 0, eventsParked: 0, lastError: null };
    lock.onLost(() => this.nudge());
  }

  status(): SubscriptionStatus {
    return { ...this.state, leader: this.lock.held };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.state.running = true;
    this.unsubscribe =
      this.notifications?.onAppended(() => {
        this.lastNotifiedAt = Date.now();
        this.nudge();
      }) ?? null;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.state.running = false;
    this.unsubscribe?.();
    this.nudge();
    await this.loop;
    await this.lock.release();
  }

  /**
   * Processes every event committed before the call (used by replay, the backfill and tests).
   * Events hidden behind an open older transaction anywhere on the server (the xmin guard) are
   * waited for, up to `timeoutMs`. Returns the count handled.
   */
  async drain(timeoutMs = 120_000): Promise<number> {
    const { rows } = await this.pool.query<{ max: string | null }>('SELECT max(position) AS max FROM events');
    const target = Number(rows[0]?.max ?? 0);
    const deadline = Date.now() + timeoutMs;
    let total = 0;
    for (;;) {
      const handled = await this.processBatch();
      total += handled;
      if (handled >= this.options.batchSize) continue;
      if (!(await this.hasUnread(target))) return total;
      if (Date.now() > deadline) throw new Error(`drain of ${this.subscriber.name} timed out: events up to ${target} still unread`);
      await new Promise((r) => setTimeout(r, handled > 0 ? 0 : 10));
    }
  }

  private async hasUnread(upTo: number): Promise<boolean> {
    const checkpoint = (await readCheckpoint(this.pool, this.subscriber.name)) ?? START;
    const { rows } = await this.pool.query<{ unread: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM events WHERE (transaction_id, position) > ($1::xid8, $2::bigint) AND position <= $3) AS unread',
      [checkpoint.transactionId, checkpoint.position, upTo],
    );
    return rows[0]?.unread ?? false;
  }

  private async run(): Promise<void> {
    let quickRetryMs = 2;
    while (this.running) {
      if (!this.lock.held) {
        if (!(await this.lock.tryAcquire())) {
          await this.sleep(this.options.takeoverIntervalMs);
          continue;
        }
        this.toLead = true;
      }
      let handled: number;
      try {
        if (this.toLead) {
          await this.subscriber.leading?.(this.pool);
          this.toLead = false;
        }
        await this.serveRetryRequests();
        handled = await this.processBatch();
        this.state.lastError = null;
      } catch (error) {
        this.state.lastError = error instanceof Error ? error.message : String(error);
        this.options.onError?.(error, this.subscriber.name);
        await this.sleep(this.options.retryDelayMs);
        continue;
      }
      if (handled >= this.options.batchSize) continue;
      if (handled > 0) {
        quickRetryMs = 2;
        continue;
      }
      // Nothing readable. Right after a notification the new rows may still sit behind an older open
      // transaction anywhere on the server (the xmin guard): look again soon, backing off to 100 ms,
      // for a few seconds before falling back to the slow poll.
      if (Date.now() - this.lastNotifiedAt < 5_000) {
        await this.sleep(quickRetryMs);
        quickRetryMs = Math.min(quickRetryMs * 2, 100);
      } else {
        quickRetryMs = 2;
        await this.sleep(this.options.pollIntervalMs);
      }
    }
  }

  /**
   * One batch after the checkpoint. A batch that fails for a reason other than the database is
   * handled again event by event, each in its own transaction, so the other events' decisions are
   * kept and only the one that fails alone is parked (issue 13: a poison event never stops the pipeline).
   */
  private async processBatch(limit = this.options.batchSize): Promise<number> {
    const attempt = await this.handleBatch(limit);
    if (attempt.ok) {
      if (attempt.handled > 0) this.consecutiveParked = 0;
      return attempt.handled;
    }
    const { error, events } = attempt;
    if (!(await this.isEventsFault(error))) throw error;
    if (this.consecutiveParked >= this.options.maxConsecutiveParked) {
      throw new SystemicFailureError(this.consecutiveParked, error);
    }
    if (events.length === 1) return this.park(events[0], error);
    let handled = 0;
    for (let i = 0; i < events.length; i++) handled += await this.processBatch(1);
    return handled;
  }

  private async handleBatch(limit: number): Promise<BatchAttempt> {
    const attempt = await withTransaction(this.pool, async (client): Promise<BatchAttempt> => {
      const checkpoint = await lockCheckpoint(client, this.subscriber.name);
      const events = await readBatch(client, checkpoint, limit);
      if (events.length === 0) return { ok: true, handled: 0 };
      try {
        await this.subscriber.handle(events, client);
      } catch (error) {
        throw new RollbackTransaction<BatchAttempt>({ ok: false, error, events });
      }
      const last = events[events.length - 1];
      await saveCheckpoint(client, this.subscriber.name, { transactionId: last.transactionId, position: last.position });
      return { ok: true, handled: events.length };
    });
    if (attempt.ok && attempt.handled > 0) {
      this.state.eventsHandled += attempt.handled;
      this.state.lastBatchAt = new Date();
    }
    return attempt;
  }

  /**
   * Whether a failed handle is the events' fault, not the database's: never park an event because
   * Postgres went away (the error says so, or Postgres does not answer right after it).
   */
  private async isEventsFault(error: unknown): Promise<boolean> {
    if (isTransientDatabaseError(error)) return false;
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /** Sets one event aside with its error and moves the checkpoint past it, in one transaction. */
  private async park(event: RecordedEvent, error: unknown): Promise<number> {
    const parkedNow = await withTransaction(this.pool, async (client) => {
      const checkpoint = await lockCheckpoint(client, this.subscriber.name);
      const [next] = await readBatch(client, checkpoint, 1);
      // Someone moved the checkpoint meanwhile (a second runner during a leadership change).
      if (next?.position !== event.position) return false;
      await parkEvent(client, this.subscriber.name, event, this.recordKeysOf(event), parkedErrorOf(error));
      await saveCheckpoint(client, this.subscriber.name, { transactionId: event.transactionId, position: event.position });
      return true;
    });
    if (!parkedNow) return 0;
    this.state.eventsParked = (this.state.eventsParked ?? 0) + 1;
    this.consecutiveParked++;
    this.state.lastBatchAt = new Date();
    const parked = await findParkedEvent(this.pool, this.subscriber.name, event.position);
    if (parked) this.options.onParked?.(parked);
    return 1;
  }

  private recordKeysOf(event: RecordedEvent): string[] {
    try {
      return this.subscriber.recordKeysOf?.(event) ?? [];
    } catch {
      return []; // the event may be malformed enough to break this too
    }
  }

  /**
   * Re-handles one parked event, alone, in a transaction that holds the checkpoint lock (so never
   * beside a batch); the checkpoint is already past it and stays where it is. Resolved when it now
   * succeeds; otherwise the new error is stored and the event stays parked.
   */
  async retryParked(position: number): Promise<ParkedRetryResult> {
    const attempt = await withTransaction(this.pool, async (client): Promise<ParkedRetryAttempt> => {
      await lockCheckpoint(client, this.subscriber.name);
      const parked = await findParkedEvent(client, this.subscriber.name, position);
      const event = parked && !parked.resolvedAt ? await readEventAt(client, position) : null;
      if (!event) return { outcome: 'not_parked' };
      try {
        await this.subscriber.handle([event], client);
      } catch (failure) {
        throw new RollbackTransaction<ParkedRetryAttempt>({ outcome: 'failed', failure });
      }
      await markParkedResolved(client, this.subscriber.name, position);
      return { outcome: 'resolved' };
    });
    if (attempt.outcome === 'not_parked') return { position, outcome: 'not_parked' };
    if (attempt.outcome === 'resolved') {
      this.state.eventsHandled++;
      return { position, outcome: 'resolved' };
    }
    const { failure } = attempt;
    if (!(await this.isEventsFault(failure))) throw failure;
    const error = parkedErrorOf(failure);
    await markParkedRetryFailed(this.pool, this.subscriber.name, position, error);
    return { position, outcome: 'failed', error };
  }

  /** Retries operators asked for (POST /admin/parked-events/:position/retry), looked for at most every 200 ms. */
  private async serveRetryRequests(): Promise<void> {
    if (Date.now() - this.lastRetryCheck < 200) return;
    this.lastRetryCheck = Date.now();
    for (const position of await requestedRetries(this.pool, this.subscriber.name)) await this.retryParked(position);
  }

  private nudge(): void {
    if (this.wake) {
      const wake = this.wake;
      this.wake = null;
      wake();
    } else {
      this.pendingWake = true;
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.pendingWake || !this.running) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** Too many events failed in a row for the events to be at fault: nothing more is parked until one succeeds. */
export class SystemicFailureError extends Error {
  readonly code = 'SYSTEMIC_FAILURE';
  constructor(
    readonly parkedInARow: number,
    readonly lastError: unknown,
  ) {
    super(
      `${parkedInARow} events in a row failed and were parked; not parking more (the fault looks systemic): ` +
        (lastError instanceof Error ? lastError.message : String(lastError)),
    );
  }
}
