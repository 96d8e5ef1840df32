import { counter } from '../../observability/metrics-registry';
import { SalesforceError } from '../salesforce.error';
import type { StreamingSession } from '../streaming-session';
import { backoffDelay, type BackoffOptions } from './backoff';
import type { ChangeEventMessage, ChangeEventPayload, ChannelHandle, ChannelListener, ChannelState, ReplayFrom, StreamIssue, StreamIssueKind } from './change-event-stream.port';
import { MetaWatchExtension, ReplayExtension, replayIdOf, type MetaEvent } from './cometd-extensions';
import { createFayeClient, shutdownFayeClient, type FayeClient } from './faye-client';

const messages = counter('crm_sync_salesforce_cdc_messages_total', 'CDC messages handled by channel', ['channel']);
const issues = counter('crm_sync_salesforce_cdc_issues_total', 'CDC stream problems by channel and kind', ['channel', 'kind']);
const reconnects = counter('crm_sync_salesforce_cdc_reconnects_total', 'CDC client rebuilds and re-handshakes by channel and reason', ['channel', 'reason']);

export interface ChannelSubscriptionOptions {
  backoff: BackoffOptions;
  /** CometD 401s in a row (without a successful /meta/connect between) before giving up (default 3). */
  maxAuthAttempts: number;
  /** Messages received but not yet handled before the client is stopped until the queue drains. */
  maxBuffered: number;
  /** Most messages in one `onEvents` delivery. */
  maxBatch: number;
  now: () => number;
}

interface RebuildPlan {
  reason: StreamIssueKind | 'backpressure';
  delayMs: number;
  /** Runs before the new client is built (token refresh, the ingest's gap decision); may throw. */
  before?: () => Promise<void>;
}

/**
 * One CDC channel on its own faye client (reference 0.6: the Replay extension handles one channel
 * per client; it also isolates failures: a rejected replay id on one channel leaves the others alone).
 * Each client gets a `generation`; callbacks from a discarded client are ignored, so a rebuild never
 * mixes two clients' deliveries.
 */
export class ChannelSubscription implements ChannelHandle {
  private status: ChannelState['status'] = 'connecting';
  private reason: StreamIssueKind | null = null;
  private message: string | null = null;
  private lastEventAt: number | null = null;
  private lastReplayId: number | null = null;
  private reconnectCount = 0;

  private client: FayeClient | null = null;
  private generation = 0;
  private subscribedInGeneration = false;
  private resumeFrom: ReplayFrom;
  private queue: ChangeEventMessage[] = [];
  private lastQueued: number | null = null;
  private handling: Promise<void> | null = null;
  private paused = false;
  private rebuilding = false;
  private authAttempts = 0;
  private failures = 0;
  private closed = false;
  private wake: (() => void) | null = null;

  constructor(
    readonly channel: string,
    from: ReplayFrom,
    private readonly listener: ChannelListener,
    private readonly session: StreamingSession,
    private readonly options: ChannelSubscriptionOptions,
  ) {
    this.resumeFrom = from;
  }

  start(): void {
    this.connect();
  }

  /** A new access token (REST refresh): live requests from now on carry it (reference 0.5). */
  setToken(token: string): void {
    this.client?.setHeader('Authorization', `OAuth ${token}`);
  }

  state(): ChannelState {
    return {
      channel: this.channel,
      status: this.status,
      reason: this.reason,
      message: this.message,
      lastEventAt: this.lastEventAt,
      lastReplayId: this.lastReplayId,
      reconnects: this.reconnectCount,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const stopped = this.discardClient();
    this.wake?.();
    this.queue = [];
    await Promise.all([this.handling, stopped]);
    this.setStatus('closed', null, null);
  }

  // --- client lifecycle ---------------------------------------------------------------------------

  private connect(): void {
    if (this.closed) return;
    const generation = ++this.generation;
    this.subscribedInGeneration = false;
    const client = createFayeClient(this.session.cometdUrl(), this.session.accessToken(), this.options.backoff);
    client.addExtension(new ReplayExtension(this.channel, this.resumeFrom));
    client.addExtension(new MetaWatchExtension(this.channel, (event) => this.onMeta(generation, event)));
    client.bind('transport:down', () => this.onTransportDown(generation));
    this.client = client;
    if (this.status !== 'failed') this.setStatus('connecting', this.reason, this.message);
    // Outcomes (including re-subscribes after a re-handshake) arrive through MetaWatchExtension.
    client.subscribe(this.channel, (data) => this.receive(generation, data)).then(
      () => undefined,
      () => undefined,
    );
  }

  /** Invalidates the current client's callbacks and shuts it down (awaitable for close()). */
  private discardClient(): Promise<void> {
    this.generation += 1;
    const client = this.client;
    this.client = null;
    return client ? shutdownFayeClient(client) : Promise.resolve();
  }

  private onMeta(generation: number, event: MetaEvent): void {
    if (generation !== this.generation || this.closed) return;
    switch (event.kind) {
      case 'subscribed':
        this.subscribedInGeneration = true;
        this.failures = 0;
        this.setStatus('subscribed', null, null);
        return;
      case 'connected':
        this.authAttempts = 0;
        if (this.subscribedInGeneration && this.status === 'connecting') this.setStatus('subscribed', null, null);
        return;
      case 'unknown_client':
        if (event.during === 'subscribe') {
          this.subscribeForgotten(event.error);
          return;
        }
        // faye re-handshakes and re-subscribes by itself; the Replay extension resumes after the last received id.
        this.countReconnect('unknown_client');
        this.setStatus('connecting', 'unknown_client', event.error);
        this.report({ kind: 'unknown_client', channel: this.channel, message: event.error });
        return;
      case 'auth_failed':
        this.recoverAuth(event.error);
        return;
      case 'subscribe_failed':
        if (/replay ?id/i.test(event.error)) this.replayIdRejected(event.error);
        else this.subscribeRefused(event.error);
        return;
    }
  }

  private onTransportDown(generation: number): void {
    if (generation !== this.generation || this.closed || this.status !== 'subscribed') return;
    this.countReconnect('network');
    this.setStatus('connecting', 'network', 'transport down; retrying with backoff');
    this.report({ kind: 'network', channel: this.channel, message: 'transport down; retrying with backoff' });
  }

  private recoverAuth(error: string): void {
    this.authAttempts += 1;
    const gaveUp = this.authAttempts > this.options.maxAuthAttempts || !this.session.healthy();
    this.report({ kind: 'auth_failed', channel: this.channel, attempt: this.authAttempts, gaveUp, message: error });
    if (gaveUp) {
      void this.discardClient();
      this.setStatus('failed', 'auth_failed', `gave up after ${this.authAttempts - 1} re-authentications: ${error}`);
      return;
    }
    this.setStatus('connecting', 'auth_failed', error);
    void this.rebuild({
      reason: 'auth_failed',
      delayMs: this.authAttempts === 1 ? 0 : backoffDelay(this.authAttempts - 1, this.options.backoff),
      // The faye client captured the old token in its Authorization header: refresh, then build anew.
      before: async () => {
        await this.session.refreshAccessToken();
      },
    });
  }

  private replayIdRejected(error: string): void {
    const issue = { kind: 'replay_id_invalid' as const, channel: this.channel, replayId: this.lastQueued ?? this.resumeFrom, message: error };
    this.setStatus('failed', 'replay_id_invalid', error);
    this.report(issue);
    void this.rebuild({
      reason: 'replay_id_invalid',
      delayMs: this.failures === 0 ? 0 : backoffDelay(this.failures, this.options.backoff),
      before: async () => {
        const next = this.listener.onReplayIdInvalid ? await this.listener.onReplayIdInvalid(issue) : -1;
        this.lastReplayId = null;
        this.resumeFrom = next;
      },
    });
  }

  /**
   * The server forgot the client before its subscribe arrived (it idled past the server's timeout, or a
   * Salesforce restart dropped it). faye re-handshakes on the advice but has removed the channel whose
   * subscribe failed, so nothing would subscribe it again: build a new client (handshake, then
   * subscribe from the last handled replay id): at once the first time, with backoff if it repeats.
   */
  private subscribeForgotten(error: string): void {
    this.failures += 1;
    this.setStatus('connecting', 'unknown_client', error);
    this.report({ kind: 'unknown_client', channel: this.channel, message: error });
    void this.rebuild({ reason: 'unknown_client', delayMs: this.failures === 1 ? 0 : backoffDelay(this.failures - 1, this.options.backoff) });
  }

  private subscribeRefused(error: string): void {
    this.failures += 1;
    this.setStatus('failed', 'subscribe_failed', error);
    this.report({ kind: 'subscribe_failed', channel: this.channel, message: error });
    void this.rebuild({ reason: 'subscribe_failed', delayMs: backoffDelay(this.failures, this.options.backoff) });
  }

  /**
   * Replaces the client: unhandled messages are dropped (they come again), the in-flight delivery
   * finishes first so the resume point is the last replay id the listener really handled.
   */
  private async rebuild(plan: RebuildPlan): Promise<void> {
    if (this.rebuilding || this.closed) return;
    this.rebuilding = true;
    let outcome: { failed: unknown } | null;
    try {
      outcome = await this.rebuildSteps(plan);
    } catch (error) {
      outcome = { failed: error };
    }
    this.rebuilding = false;
    if (outcome && !this.closed) this.rebuildStepFailed(plan, outcome.failed);
  }

  private async rebuildSteps(plan: RebuildPlan): Promise<{ failed: unknown } | null> {
    void this.discardClient();
    this.queue = [];
    await this.handling;
    await this.sleep(plan.delayMs);
    if (this.closed) return null;
    this.resumeFrom = this.lastReplayId ?? this.resumeFrom;
    try {
      await plan.before?.();
    } catch (error) {
      return { failed: error };
    }
    if (this.closed) return null;
    this.lastQueued = null;
    this.countReconnect(plan.reason);
    this.connect();
    return null;
  }

  private rebuildStepFailed(plan: RebuildPlan, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (plan.reason === 'auth_failed') {
      const expired = error instanceof SalesforceError && (error.code === 'SESSION_EXPIRED' || error.code === 'AUTH_FAILED');
      if (expired && !this.session.healthy()) {
        this.authAttempts = this.options.maxAuthAttempts;
      }
      this.recoverAuth(`token refresh failed: ${message}`);
      return;
    }
    this.failures += 1;
    this.setStatus('failed', plan.reason === 'backpressure' ? 'handler_failed' : plan.reason, message);
    void this.rebuild({ ...plan, delayMs: backoffDelay(this.failures, this.options.backoff) });
  }

  // --- delivery -----------------------------------------------------------------------------------

  private receive(generation: number, data: unknown): void {
    if (generation !== this.generation || this.closed) return;
    const replayId = replayIdOf(data);
    const payload = (data as { payload?: ChangeEventPayload }).payload;
    if (replayId === null || !payload) return;
    // Already queued or handled (a re-handshake may replay the tail): never deliver twice in one process.
    if (this.lastQueued !== null && replayId <= this.lastQueued) return;
    if (this.lastReplayId !== null && replayId <= this.lastReplayId) return;
    this.lastQueued = replayId;
    this.queue.push({ channel: this.channel, replayId, payload });
    if (this.queue.length >= this.options.maxBuffered && !this.paused) {
      // Backpressure: stop receiving until the listener has caught up, then resume from its position.
      this.paused = true;
      void this.discardClient();
    }
    this.drain();
  }

  private drain(): void {
    if (this.handling) return;
    // Starts on the next turn, so the rest of the same CometD reply is queued and goes in the first delivery.
    const nextTurn = new Promise<void>((resolve) => setImmediate(resolve));
    this.handling = nextTurn.then(() => this.drainLoop()).finally(() => {
      this.handling = null;
    });
  }

  private async drainLoop(): Promise<void> {
    while (this.queue.length > 0 && !this.closed) {
      const batch = this.queue.slice(0, this.listener.onEvents ? this.options.maxBatch : 1);
      try {
        await this.deliver(batch);
      } catch (error) {
        this.handlerFailed(batch[0]!, error);
        return;
      }
      // A rebuild may have emptied the queue meanwhile; drop only what is still at its head.
      if (this.queue[0] === batch[0]) this.queue.splice(0, batch.length);
      this.lastReplayId = batch[batch.length - 1]!.replayId;
      this.lastEventAt = this.options.now();
      messages.inc({ channel: this.channel }, batch.length);
    }
    if (this.paused && !this.closed) {
      this.paused = false;
      this.resumeFrom = this.lastReplayId ?? this.resumeFrom;
      this.lastQueued = null;
      this.countReconnect('backpressure');
      this.connect();
    }
  }

  private deliver(batch: ChangeEventMessage[]): Promise<void> {
    if (this.listener.onEvents) return this.listener.onEvents(batch);
    if (this.listener.onEvent) return this.listener.onEvent(batch[0]!);
    return Promise.reject(new Error('listener has neither onEvents nor onEvent'));
  }

  private handlerFailed(first: ChangeEventMessage, error: unknown): void {
    this.queue = [];
    this.failures += 1;
    const text = error instanceof Error ? error.message : String(error);
    this.setStatus('connecting', 'handler_failed', text);
    this.report({ kind: 'handler_failed', channel: this.channel, replayId: first.replayId, message: text });
    this.paused = false;
    // Runs after this drain loop has returned (rebuild awaits `handling`).
    setImmediate(() => void this.rebuild({ reason: 'handler_failed', delayMs: backoffDelay(this.failures, this.options.backoff) }));
  }

  // --- helpers ------------------------------------------------------------------------------------

  private setStatus(status: ChannelState['status'], reason: StreamIssueKind | null, message: string | null): void {
    this.status = status;
    this.reason = reason;
    this.message = message;
  }

  private report(issue: StreamIssue): void {
    issues.inc({ channel: this.channel, kind: issue.kind });
    try {
      this.listener.onIssue?.(issue);
    } catch {
      // a listener's logging problem must not break the stream
    }
  }

  private countReconnect(reason: string): void {
    this.reconnectCount += 1;
    reconnects.inc({ channel: this.channel, reason });
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }
}
