import type { ChangeEventLog, RetainedChangeEvent } from './change-event-log';
import type { ChannelScope } from './cdc-channel';
import type { BayeuxReply } from './bayeux-message';

/** Events read from the log per scan step; filtered channels may scan several steps per response. */
const SCAN_CHUNK = 1000;
const MAX_SCANS_PER_COLLECT = 20;

interface ChannelSubscription {
  channel: string;
  scope: ChannelScope;
  /** Replay id of the last event this subscription has looked at (-2: nothing yet, replay everything retained). */
  cursor: number;
}

interface HeldConnect {
  /** `null`: the session is gone, answer `403::Unknown client`. */
  respond(events: BayeuxReply[] | null): void;
  timer: NodeJS.Timeout;
}

/** One handshaken CometD client: its subscriptions with their replay cursors and its held /meta/connect. */
export class CometdSession {
  private readonly subscriptions = new Map<string, ChannelSubscription>();
  private held: HeldConnect | null = null;
  /** Emulated time of the last message received or reply sent; idle expiry counts from here. */
  lastActivityAt: number;
  hasConnected = false;

  constructor(
    readonly clientId: string,
    readonly userId: string,
    now: number,
  ) {
    this.lastActivityAt = now;
  }

  subscribe(channel: string, scope: ChannelScope, cursor: number): void {
    this.subscriptions.set(channel, { channel, scope, cursor });
  }

  unsubscribe(channel: string): void {
    this.subscriptions.delete(channel);
  }

  get isHolding(): boolean {
    return this.held !== null;
  }

  get hasSubscriptions(): boolean {
    return this.subscriptions.size > 0;
  }

  isIdleSince(now: number, idleTimeoutMs: number): boolean {
    return this.held === null && now - this.lastActivityAt > idleTimeoutMs;
  }

  hold(respond: (events: BayeuxReply[] | null) => void, realDelayMs: number, onTimeout: () => void): void {
    this.held = { respond, timer: setTimeout(onTimeout, realDelayMs) };
  }

  /** Answers the held connect (if any) with `events`, or with `403::Unknown client` when `events` is null. */
  release(events: BayeuxReply[] | null, now: number): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    clearTimeout(held.timer);
    this.lastActivityAt = now;
    held.respond(events);
  }

  /**
   * Delivery messages for every subscription, oldest first per channel, at most `max` in all, each stamped with
   * the subscribed channel (reference 5.5). Advances the cursors past what was read, so a new session (after a
   * re-handshake) only gets older events again if the client asks for them with a replay id.
   */
  collect(log: ChangeEventLog, enabledEntities: ReadonlySet<string>, max: number, heldChannels: ReadonlySet<string> = new Set()): BayeuxReply[] {
    const out: BayeuxReply[] = [];
    for (const subscription of this.subscriptions.values()) {
      // A held channel's events wait while the other channels' flow (no order across channels, reference 5.3).
      if (heldChannels.has(subscription.channel)) continue;
      for (let scan = 0; scan < MAX_SCANS_PER_COLLECT && out.length < max; scan += 1) {
        const chunk = readFrom(log, subscription.cursor);
        if (chunk.length === 0) break;
        for (const event of chunk) {
          if (out.length >= max) break;
          subscription.cursor = event.replayId;
          if (matches(subscription.scope, event, enabledEntities)) out.push(toDelivery(subscription.channel, event));
        }
      }
    }
    return out;
  }

  /**
   * CDC is at-least-once: moves every cursor back so that the last `count` events each subscription
   * was sent come again, in order (fault injection: redelivery without a reconnect).
   */
  rewind(log: ChangeEventLog, enabledEntities: ReadonlySet<string>, count: number): void {
    const retained = log.readAfter(-2, Number.MAX_SAFE_INTEGER);
    if (retained === 'invalid') return;
    for (const subscription of this.subscriptions.values()) {
      const sent = retained.filter((e) => e.replayId <= subscription.cursor && matches(subscription.scope, e, enabledEntities));
      if (sent.length === 0) continue;
      subscription.cursor = sent.length > count ? sent[sent.length - count - 1].replayId : -2;
    }
  }
}

/**
 * A cursor is always an id the log issued, so 'invalid' here means it expired while the client was subscribed
 * (or it was 0 on an empty log): everything still retained is newer than it.
 */
function readFrom(log: ChangeEventLog, cursor: number): RetainedChangeEvent[] {
  const events = log.readAfter(cursor, SCAN_CHUNK);
  if (events !== 'invalid') return events;
  const retained = log.readAfter(-2, SCAN_CHUNK);
  return retained === 'invalid' ? [] : retained;
}

function matches(scope: ChannelScope, event: RetainedChangeEvent, enabledEntities: ReadonlySet<string>): boolean {
  const entityName = event.payload.ChangeEventHeader.entityName;
  return scope.kind === 'all' ? enabledEntities.has(entityName) : scope.entityName === entityName;
}

function toDelivery(channel: string, event: RetainedChangeEvent): BayeuxReply {
  return { channel, data: { schema: event.schema, payload: event.payload, event: { replayId: event.replayId } } };
}
