import type { Clock } from '../../clock';
import type { FaultInjector } from '../control/faults';
import type { WebhookOptions } from '../emulator-options';
import { isoMillis } from '../time-format';
import { postJson } from './http-post';
import type { EnvelopeFields } from './webhook-payloads';
import { envelope } from './webhook-payloads';
import { signWebhookJwt } from './webhook-jwt';

export interface Delivery {
  webhookId: number;
  url: string;
  fields: EnvelopeFields;
  attempts: number;
  firstAttemptAt: number | null;
  nextAttemptAt: number;
}

export interface DeliveryRecord {
  triggerUuid: string;
  webhookId: number;
  url: string;
  type: string;
  attempt: number;
  isRetry: boolean;
  outcome: 'delivered' | 'failed' | 'dropped' | 'gave_up';
  status: number | null;
  error?: string;
  at: string;
}

export interface DeliveryStats {
  delivered: number;
  failed: number;
  dropped: number;
  gaveUp: number;
  queued: number;
  inFlight: number;
  pendingRetries: number;
  paused: boolean;
}

const LOG_SIZE = 2_000;

/**
 * Asynchronous delivery: a ready queue drained by up to `maxConcurrentDeliveries` concurrent POSTs,
 * and one timer for the earliest due retry (no timer per delivery). Failed attempts (non-2xx,
 * network error, timeout) are retried every `retryIntervalMs` of emulated time for `retryWindowMs`.
 */
export class DeliveryQueue {
  private ready: Delivery[] = [];
  private head = 0;
  private retries: Delivery[] = [];
  private inFlight = 0;
  private paused = false;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly urls = new Map<string, URL>();
  private readonly log: DeliveryRecord[] = [];
  private readonly stats = { delivered: 0, failed: 0, dropped: 0, gaveUp: 0 };
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly clock: Clock,
    private readonly options: WebhookOptions,
    private readonly signingSecret: string,
    private readonly accountId: number,
    private readonly faults: FaultInjector,
  ) {}

  enqueue(delivery: Delivery): void {
    if (this.closed) return;
    if (this.faults.take('drop_webhook')) {
      this.stats.dropped += 1;
      this.record(delivery, 'dropped', null);
      return;
    }
    this.ready.push(delivery);
    const duplicate = this.faults.take('duplicate_webhook');
    for (let copy = 0; copy < (duplicate ? (duplicate.copies ?? 1) : 0); copy++) this.ready.push({ ...delivery });
    this.pump();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  /** Re-evaluates due retries after the emulated clock jumped. */
  clockAdvanced(): void {
    this.promoteDueRetries();
    this.pump();
  }

  /** Every delivery waiting for its retry is attempted now, without moving the clock. */
  retryNow(): void {
    if (this.retries.length === 0) return;
    for (const d of this.retries) this.ready.push(d);
    this.retries = [];
    this.scheduleRetryTimer();
    this.pump();
  }

  /**
   * Runs every delivery waiting for a retry through its remaining retries now, one round after
   * another, until each is delivered or has made its last attempt and is given up: what 30 minutes
   * of once-a-minute retries do, without moving the clock. Resolves when no retry is left (at once
   * while paused), or after as many rounds as a delivery has retries.
   */
  async exhaustRetries(): Promise<void> {
    for (let round = 0; round <= this.maxRetries(); round++) {
      await this.idle();
      if (this.paused || this.closed || this.retries.length === 0) return;
      this.retryNow();
    }
    await this.idle();
  }

  /** Resolves when nothing is queued or in flight (scheduled retries do not count). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  snapshotStats(): DeliveryStats {
    return { ...this.stats, queued: this.ready.length - this.head, inFlight: this.inFlight, pendingRetries: this.retries.length, paused: this.paused };
  }

  deliveries(): DeliveryRecord[] {
    return [...this.log];
  }

  clearLog(): void {
    this.log.length = 0;
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.ready = [];
    this.head = 0;
    this.retries = [];
    this.notifyIdle();
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && (this.paused || this.ready.length - this.head === 0);
  }

  private pump(): void {
    while (!this.paused && !this.closed && this.inFlight < this.options.maxConcurrentDeliveries && this.head < this.ready.length) {
      const delivery = this.ready[this.head++];
      this.inFlight += 1;
      void this.attempt(delivery).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
    if (this.head > 1024 && this.head * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.head);
      this.head = 0;
    }
    if (this.isIdle()) this.notifyIdle();
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const now = this.clock.now();
    delivery.firstAttemptAt ??= now;
    delivery.attempts += 1;
    const isRetry = delivery.attempts > 1;
    const token = signWebhookJwt(this.signingSecret, { accountId: this.accountId, userId: delivery.fields.userId, aud: delivery.url }, now, this.options.jwtTtlSeconds);
    const body = JSON.stringify(envelope(delivery.fields, isRetry));
    try {
      const result = await postJson(this.url(delivery.url), body, { authorization: token }, this.options.requestTimeoutMs);
      if (result.status >= 200 && result.status < 300) {
        this.stats.delivered += 1;
        this.record(delivery, 'delivered', result.status);
        return;
      }
      this.fail(delivery, result.status);
    } catch (error) {
      this.fail(delivery, null, error instanceof Error ? error.message : String(error));
    }
  }

  private fail(delivery: Delivery, status: number | null, error?: string): void {
    if (this.closed) return;
    this.stats.failed += 1;
    const now = this.clock.now();
    const next = now + this.options.retryIntervalMs;
    if (delivery.attempts - 1 >= this.maxRetries()) {
      this.stats.gaveUp += 1;
      this.record(delivery, 'gave_up', status, error);
      return;
    }
    this.record(delivery, 'failed', status, error);
    delivery.nextAttemptAt = next;
    this.retries.push(delivery);
    this.scheduleRetryTimer();
  }

  /** Counted in attempts, not elapsed time, so scheduling drift never costs the last retry. */
  private maxRetries(): number {
    return Math.floor(this.options.retryWindowMs / this.options.retryIntervalMs);
  }

  private promoteDueRetries(): void {
    const now = this.clock.now();
    const due = this.retries.filter((d) => d.nextAttemptAt <= now);
    if (due.length === 0) return this.scheduleRetryTimer();
    this.retries = this.retries.filter((d) => d.nextAttemptAt > now);
    for (const d of due) this.ready.push(d);
    this.scheduleRetryTimer();
  }

  private scheduleRetryTimer(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.retries.length === 0 || this.closed) return;
    const earliest = this.retries.reduce((min, d) => Math.min(min, d.nextAttemptAt), Number.POSITIVE_INFINITY);
    const realDelay = Math.max(0, Math.ceil((earliest - this.clock.now()) / this.clock.scale));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.promoteDueRetries();
      this.pump();
    }, realDelay);
    this.retryTimer.unref();
  }

  private url(raw: string): URL {
    let url = this.urls.get(raw);
    if (!url) {
      url = new URL(raw);
      this.urls.set(raw, url);
    }
    return url;
  }

  private record(delivery: Delivery, outcome: DeliveryRecord['outcome'], status: number | null, error?: string): void {
    this.log.push({
      triggerUuid: delivery.fields.triggerUuid,
      webhookId: delivery.webhookId,
      url: delivery.url,
      type: delivery.fields.type,
      attempt: delivery.attempts,
      isRetry: delivery.attempts > 1,
      outcome,
      status,
      ...(error ? { error } : {}),
      at: isoMillis(this.clock.now()),
    });
    if (this.log.length > LOG_SIZE) this.log.splice(0, this.log.length - LOG_SIZE);
  }
}
