/**
 * ChangeEventStream over CometD with faye 1.4 (the transport jsforce 3 uses for streaming).
 *
 * Channels: one faye client per subscribed channel. jsforce's Replay extension (and ours) keeps one
 * replay map entry per client (reference 0.6); a client per channel also keeps a rejected replay id
 * or a 401 on one channel from disturbing the others. Most orgs should subscribe once to
 * `/data/ChangeEvents` (every CDC-enabled object, one client, one replay id): each CometD client
 * counts against the org's concurrent-client limit (20 on Developer Edition) and the daily event
 * delivery allocation is counted per subscriber (reference 8). Per-object channels
 * (`/data/LeadChangeEvent`) work the same way when replay positions must be independent.
 *
 * Backpressure: see ChannelListener in change-event-stream.port.ts. A channel's messages are handed
 * over in deliveries (everything queued, up to `maxBatch`, to `onEvents`; one message to `onEvent`),
 * the next only after the previous resolved; when more than `maxBuffered` messages wait, the faye
 * client is stopped and rebuilt from the last handled replay id once the queue has drained.
 *
 * Authentication: every new access token (a REST 401 refresh) is written into the live clients'
 * `Authorization: OAuth` header (reference 0.5). A CometD 401 (`401::Authentication invalid`,
 * `reconnect: none`) makes the channel refresh the token through the shared bounded session refresh,
 * build a new client and resubscribe from the last handled replay id, up to `maxAuthAttempts` times.
 */
import type { StreamingSession } from '../streaming-session';
import type { BackoffOptions } from './backoff';
import type { ChangeEventStream, ChannelHandle, ChannelListener, ChannelState, ReplayFrom } from './change-event-stream.port';
import { ChannelSubscription } from './channel-subscription';

export interface ChangeEventStreamOptions {
  /** Reconnect backoff with jitter (default 1 s doubling to 60 s). */
  backoff?: BackoffOptions;
  /** CometD 401s in a row before a channel gives up (default 3). */
  maxAuthAttempts?: number;
  /** Received-but-unhandled messages per channel before receiving pauses (default 5 000). */
  maxBuffered?: number;
  /** Most messages in one `onEvents` delivery (default 500). */
  maxBatch?: number;
  now?: () => number;
}

export class FayeChangeEventStream implements ChangeEventStream {
  private readonly channels = new Map<string, ChannelSubscription>();
  private readonly stopTokenUpdates: () => void;

  constructor(
    private readonly session: StreamingSession,
    private readonly options: ChangeEventStreamOptions = {},
  ) {
    this.stopTokenUpdates = session.onAccessToken((token) => {
      for (const channel of this.channels.values()) channel.setToken(token);
    });
  }

  subscribe(channel: string, from: ReplayFrom, listener: ChannelListener): ChannelHandle {
    if (!channel.startsWith('/')) throw new Error(`CDC channel must be a full name like /data/ChangeEvents, got "${channel}"`);
    if (this.channels.has(channel)) throw new Error(`already subscribed to ${channel}`);
    if (!listener.onEvents && !listener.onEvent) throw new Error(`the listener for ${channel} has neither onEvents nor onEvent`);
    const subscription = new ChannelSubscription(channel, from, listener, this.session, {
      backoff: this.options.backoff ?? {},
      maxAuthAttempts: this.options.maxAuthAttempts ?? 3,
      maxBuffered: this.options.maxBuffered ?? 5000,
      maxBatch: Math.max(1, this.options.maxBatch ?? 500),
      now: this.options.now ?? Date.now,
    });
    this.channels.set(channel, subscription);
    subscription.start();
    return {
      channel,
      state: () => subscription.state(),
      close: async () => {
        this.channels.delete(channel);
        await subscription.close();
      },
    };
  }

  states(): ChannelState[] {
    return [...this.channels.values()].map((c) => c.state());
  }

  async close(): Promise<void> {
    this.stopTokenUpdates();
    const all = [...this.channels.values()];
    this.channels.clear();
    await Promise.all(all.map((c) => c.close()));
  }
}

export function createChangeEventStream(session: StreamingSession, options?: ChangeEventStreamOptions): ChangeEventStream {
  return new FayeChangeEventStream(session, options);
}
