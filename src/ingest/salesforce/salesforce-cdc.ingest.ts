import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { withTransaction } from '../../database/transaction';
import { appendEvents, LeaderLock, type NewEvent } from '../../event-store';
import { counter } from '../../observability/metrics-registry';
import type { ChangeEventMessage, ChangeEventStream, ChannelHandle, ChannelState, ReplayFrom, StreamIssue } from '../../salesforce';
import { changeGapEvents } from './change-gap.events';
import { storeChangeBatch } from './change-batch.store';
import { markTipSubscription, readReplayPositions, resetReplayPosition, TIP_REPLAY_ID } from './cdc-positions';
import { countPendingTipCatchUps } from './catch-up-queue';

/**
 * How far before a tip subscription's time (this service's clock) the catch-up reads: Salesforce's
 * SystemModstamp is its own clock (both NTP-synced: milliseconds apart). Not more: what was modified
 * before the first subscription is not synced by contract (-1; the backfill's business), and a wide
 * margin would make each such record an item.
 */
const CLOCK_SKEW_MARGIN_MS = 1_000;

const received = counter('crm_sync_cdc_events_total', 'CDC messages received, by channel and origin', ['channel', 'origin']);
const gaps = counter('crm_sync_cdc_gaps_total', 'CDC gaps recorded (expired replay id, gap and overflow events)', ['channel', 'reason']);
const issues = counter('crm_sync_cdc_issues_total', 'CDC stream issues (reconnects, auth failures, ...)', ['channel', 'kind']);

export interface CdcIngestOptions {
  /** Where a channel with no stored replay id starts: -1 new events only (default), -2 all retained. */
  firstStart?: -1 | -2;
  /** How often a non-leader instance tries to take over. */
  takeoverIntervalMs?: number;
  /** After a delivery is stored: follow-up of its deletes that were merges (merge-follow-up.ts). */
  afterStore?: (events: readonly NewEvent[]) => Promise<void>;
}

/**
 * Salesforce CDC into the event store. One channel per mapped object (`/data/LeadChangeEvent`, ...):
 * each has its own replay position, so an expired id or a gap concerns one object only, and the
 * adapter gives each channel its own faye client and Replay extension (reference 0.6).
 * The adapter hands over everything queued on a channel at once (`onEvents`); a delivery's events and
 * its last replay id commit together in one transaction (invariant 5); one instance
 * subscribes at a time (leader lock), another takes over when it dies.
 */
export class SalesforceCdcIngest {
  private readonly lock: LeaderLock;
  private handles: ChannelHandle[] = [];
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly tipChecks = new Map<string, Promise<void>>();

  constructor(
    private readonly pool: Pool,
    connectionString: string,
    private readonly stream: ChangeEventStream,
    private readonly objects: readonly string[],
    private readonly clientName: string,
    private readonly logger: Logger,
    private readonly options: CdcIngestOptions = {},
  ) {
    this.lock = new LeaderLock(connectionString, 'salesforce-cdc');
    this.lock.onLost(() => {
      this.logger.warn('lost the salesforce-cdc leader lock (its Postgres connection ended): unsubscribing until it is taken again');
      this.unsubscribeAll().catch((error: unknown) => this.logger.warn({ err: error }, 'closing CDC channels after losing the lock failed'));
    });
  }

  static channelFor(object: string): string {
    return object.endsWith('__c') ? `/data/${object.slice(0, -3)}__ChangeEvent` : `/data/${object}ChangeEvent`;
  }

  get channels(): string[] {
    return this.objects.map(SalesforceCdcIngest.channelFor);
  }

  async start(): Promise<void> {
    this.running = true;
    await this.tryLead();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.unsubscribeAll();
    await Promise.all(this.tipChecks.values());
    await this.lock.release();
  }

  isLeader(): boolean {
    return this.lock.held;
  }

  states(): ChannelState[] {
    return this.handles.map((h) => h.state());
  }

  private async tryLead(): Promise<void> {
    if (!this.running) return;
    try {
      if (this.handles.length === 0 && (await this.lock.tryAcquire())) await this.subscribeAll();
      // The lock was lost (or stop() ran) while subscribing: onLost closed the channels subscribed by
      // then, not the ones subscribed after; without this they would stay open with no lock held.
      if (!this.lock.held || !this.running) await this.unsubscribeAll();
    } catch (error) {
      // Postgres went away between taking the lock and reading the replay ids: start over next time.
      this.logger.warn({ err: error }, 'subscribing to Salesforce change events failed; retrying');
      await this.unsubscribeAll().catch(() => undefined);
      await this.lock.release();
    }
    if (!this.running) return;
    this.timer = setTimeout(() => void this.tryLead(), this.options.takeoverIntervalMs ?? 2_000);
    this.timer.unref();
  }

  private async subscribeAll(): Promise<void> {
    const positions = await readReplayPositions(this.pool);
    for (const object of this.objects) {
      const channel = SalesforceCdcIngest.channelFor(object);
      const stored = positions.get(channel);
      const atTip = !stored || stored.replayId === TIP_REPLAY_ID;
      const from: ReplayFrom = atTip ? (this.options.firstStart ?? -1) : stored.replayId;
      if (atTip && from === TIP_REPLAY_ID) await this.subscribingFromTip(object, channel, stored?.lastCommitAt ?? null);
      this.logger.info({ channel, from }, 'subscribing to Salesforce change events');
      this.handles.push(
        this.stream.subscribe(channel, from, {
          onEvents: (messages) => this.store(messages),
          onReplayIdInvalid: (issue) => this.recordGap(object, issue, stored?.lastCommitAt ?? null),
          onIssue: (issue) => this.onIssue(issue),
        }),
      );
    }
  }

  private async unsubscribeAll(): Promise<void> {
    const handles = this.handles;
    this.handles = [];
    await Promise.all(handles.map((h) => h.close()));
  }

  private async store(messages: ChangeEventMessage[]): Promise<void> {
    const events = await storeChangeBatch(this.pool, messages, this.clientName);
    // The delivery is stored either way: a failed follow-up costs only the catch-up it would request.
    await this.options.afterStore?.(events).catch((error: unknown) => this.logger.warn({ err: error }, 'merge follow-up of CDC deletes failed'));
    const channel = messages[0]?.channel ?? '';
    for (const event of events) {
      received.inc({ channel, origin: event.origin });
      if (event.type === 'salesforce.change_gap') gaps.inc({ channel, reason: event.payload.reason });
    }
  }

  /**
   * The stored replay id expired (over 72 h down) or was refused: changes were missed. Record a gap
   * naming the object and the time range, ask for a targeted catch-up since the last event we have,
   * and resume from -1, so the subscription is never silently dead (a public integration ran 16 days so).
   */
  private async recordGap(object: string, issue: Extract<StreamIssue, { kind: 'replay_id_invalid' }>, lastCommitAt: Date | null): Promise<ReplayFrom> {
    const now = new Date();
    const key = `${issue.channel}:expired:${issue.replayId}:${now.getTime()}`;
    const since = lastCommitAt ? lastCommitAt.toISOString() : null;
    const events = changeGapEvents({ object, channel: issue.channel, key, reason: 'replay_id_expired', from: since, to: now });
    await withTransaction(this.pool, async (client) => {
      await appendEvents(client, events);
      await resetReplayPosition(client, issue.channel, now);
    });
    gaps.inc({ channel: issue.channel, reason: 'replay_id_expired' });
    this.logger.warn({ channel: issue.channel, replayId: issue.replayId, since }, 'stored replay id was refused: gap recorded, catch-up requested, resubscribing from -1');
    return -1;
  }

  /**
   * -1 delivers only what is committed after the subscription. On the very first start that is the
   * contract (the backfill covers the past); but when an earlier subscription from the tip never
   * stored an event (its instance died, a takeover or restart follows), every change committed since
   * that subscription is delivered to no one: request a catch-up since then (minus the clock margin).
   */
  private async subscribingFromTip(object: string, channel: string, earlierTipSubscription: Date | null): Promise<void> {
    const now = new Date();
    await withTransaction(this.pool, async (client) => {
      if (earlierTipSubscription) await appendEvents(client, this.tipGap(object, channel, earlierTipSubscription, now, 'subscribing from the tip again before any event was stored'));
      await markTipSubscription(client, channel, now);
    });
  }

  /**
   * The adapter rebuilt or re-handshook a channel's client (unknown client, re-authentication, a
   * refused subscribe, transport down, a failed delivery): it resumes after the last message it
   * received, and a channel that has received none resumes from -1, so what was committed meanwhile
   * is never delivered (the port's documented limitation). While the channel's row is still at the
   * tip, request a catch-up since its subscription, unless one is already waiting to be served.
   */
  private async resubscribedAtTip(channel: string): Promise<void> {
    const object = this.objects.find((o) => SalesforceCdcIngest.channelFor(o) === channel);
    const stored = (await readReplayPositions(this.pool)).get(channel);
    if (!object || !stored || stored.replayId !== TIP_REPLAY_ID || !stored.lastCommitAt) return;
    if ((await countPendingTipCatchUps(this.pool, object)) > 0) return;
    await appendEvents(this.pool, this.tipGap(object, channel, stored.lastCommitAt, new Date(), 'the client of a channel with no event yet resubscribed from the tip'));
  }

  private tipGap(object: string, channel: string, subscribedAt: Date, now: Date, why: string): NewEvent[] {
    const since = new Date(subscribedAt.getTime() - CLOCK_SKEW_MARGIN_MS).toISOString();
    const key = `${channel}:tip:${subscribedAt.getTime()}:${now.getTime()}`;
    gaps.inc({ channel, reason: 'resubscribed_from_tip' });
    this.logger.warn({ channel, since }, `${why}: catch-up requested since the tip subscription`);
    return changeGapEvents({ object, channel, key, reason: 'resubscribed_from_tip', from: since, to: now });
  }

  private onIssue(issue: StreamIssue): void {
    issues.inc({ channel: issue.channel, kind: issue.kind });
    this.logger.warn({ channel: issue.channel, kind: issue.kind, message: issue.message }, 'Salesforce change event stream issue');
    if (issue.kind === 'replay_id_invalid') return;
    // One check at a time per channel: an issue often comes in a burst (unknown client, then auth).
    const previous = this.tipChecks.get(issue.channel) ?? Promise.resolve();
    const next = previous
      .then(() => this.resubscribedAtTip(issue.channel))
      .catch((error: unknown) => this.logger.warn({ err: error, channel: issue.channel }, 'requesting the catch-up of a channel resubscribed from the tip failed'));
    this.tipChecks.set(issue.channel, next);
  }
}
