import type { Pool, PoolClient } from 'pg';
import type { RecordedEvent } from './events';
import type { EventNotifications } from './event-notifications';
import { lockCheckpoint, readCheckpoint, saveCheckpoint } from './checkpoints';
import { readBatch, START } from './read-batch';
import type { LeaderLock } from './leader-lock';

/** A named consumer of the event log. `handle` runs inside the transaction that stores the checkpoint. */
export interface Subscriber {
  name: string;
  handle(events: RecordedEvent[], tx: PoolClient): Promise<void>;
}

export interface SubscriptionOptions {
  batchSize?: number;
  /** Slow poll: the most a lost notification or a dropped LISTEN connection can delay progress. */
  pollIntervalMs?: number;
  /** How often a runner that is not the leader tries to take over. */
  takeoverIntervalMs?: number;
  /** Called when a batch fails; the batch is rolled back and retried after `retryDelayMs`. */
  onError?: (error: unknown, subscriber: string) => void;
  retryDelayMs?: number;
}

export interface SubscriptionStatus {
  subscriber: string;
  running: boolean;
  leader: boolean;
  lastBatchAt: Date | null;
  eventsHandled: number;
  lastError: string | null;
}

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
  private readonly options: Required<Omit<SubscriptionOptions, 'onError'>> & Pick<SubscriptionOptions, 'onError'>;

  constructor(
    private readonly pool: Pool,
    private readonly notifications: EventNotifications | null,
    private readonly subscriber: Subscriber,
    private readonly lock: LeaderLock,
    options: SubscriptionOptions = {},
  ) {
    this.options = { batchSize: 500, pollIntervalMs: 1_000, takeoverIntervalMs: 1_000, retryDelayMs: 500, ...options };
    this.state = { subscriber: subscriber.name, running: false, leader: false, lastBatchAt: null, eventsHandled: 0, lastError: null };
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
      if (!this.lock.held && !(await this.lock.tryAcquire())) {
        await this.sleep(this.options.takeoverIntervalMs);
        continue;
      }
      let handled: number;
      try {
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

  private async processBatch(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const checkpoint = await lockCheckpoint(client, this.subscriber.name);
      const events = await readBatch(client, checkpoint, this.options.batchSize);
      if (events.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      await this.subscriber.handle(events, client);
      const last = events[events.length - 1];
      await saveCheckpoint(client, this.subscriber.name, { transactionId: last.transactionId, position: last.position });
      await client.query('COMMIT');
      this.state.eventsHandled += events.length;
      this.state.lastBatchAt = new Date();
      return events.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
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
