/**
 * Change Data Capture over CometD as the rest of crm-sync sees it (reference 5). The ingest (src/ingest)
 * subscribes with a listener; nothing outside src/salesforce sees faye or jsforce.
 *
 * Delivery contract:
 * - Messages of one channel reach the listener in replay-id order, one delivery at a time: the next
 *   delivery starts only after the previous promise resolved. The ingest awaits its own commit
 *   (events + replay id in one transaction, invariant 5) before returning, and that is the backpressure.
 * - With `onEvents`, a delivery is every message queued on the channel at that moment (at least one,
 *   at most `maxBatch`), so a burst is stored in a few transactions instead of one per message.
 *   Without it, `onEvent` gets one message per delivery.
 * - If a delivery rejects, nothing later is delivered; the channel resubscribes (after backoff) from
 *   the last replay id of the last delivery that resolved, so the failed message or whole batch comes
 *   again. Delivery is at-least-once across failures and restarts; the ingest's idempotency key
 *   (channel + replay id) makes it effectively once.
 * - Problems are values (`StreamIssue`) reported to `onIssue`, and reflected in `states()` for /health.
 *   A rejected replay id is never silent (jsforce#1061): `onReplayIdInvalid` decides where to resume.
 * - Limitation: a channel subscribed from -1 has no position until its first event. If its client must
 *   be rebuilt before then (CometD 401, refused subscribe), it resumes from -1 again and changes made
 *   during the rebuild are not delivered. Replaying -2 instead would deliver 72 h of history the
 *   ingest never asked for, so the gap is left to the ingest's catch-up by SystemModstamp.
 */
export interface ChangeEventStream {
  subscribe(channel: string, from: ReplayFrom, listener: ChannelListener): ChannelHandle;
  states(): ChannelState[];
  /** Disconnects every channel (waits for in-flight deliveries). */
  close(): Promise<void>;
}

/** -1: only new events; -2: everything retained (72 h); N: events after replay id N (reference 5.3). */
export type ReplayFrom = number;

/** Give `onEvents` (batches) or `onEvent` (one message at a time); `subscribe` refuses a listener with neither. */
export interface ChannelListener {
  /** Every message queued on the channel, oldest first; resolve once all of them are durably handled. */
  onEvents?(messages: ChangeEventMessage[]): Promise<void>;
  onEvent?(message: ChangeEventMessage): Promise<void>;
  /**
   * The stored replay id was refused (expired or unknown, reference 5.4). Record the gap, then return
   * where to resume (-1 or -2). Nothing is delivered on the channel until this resolves. Default: -1.
   */
  onReplayIdInvalid?(issue: Extract<StreamIssue, { kind: 'replay_id_invalid' }>): Promise<ReplayFrom>;
  onIssue?(issue: StreamIssue): void;
}

export interface ChannelHandle {
  readonly channel: string;
  state(): ChannelState;
  /** Stops this channel only. */
  close(): Promise<void>;
}

/** What one CDC delivery carries (the `data` of the Bayeux message, reference 5.6). */
export interface ChangeEventMessage {
  channel: string;
  replayId: number;
  payload: ChangeEventPayload;
}

export interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  changeType: string;
  changeOrigin?: string;
  transactionKey?: string;
  sequenceNumber?: number;
  commitTimestamp?: number;
  commitNumber?: number;
  commitUser?: string;
  changedFields?: string[];
  nulledFields?: string[];
  diffFields?: string[];
}

export interface ChangeEventPayload {
  ChangeEventHeader: ChangeEventHeader;
  [field: string]: unknown;
}

export type StreamIssue =
  | { kind: 'replay_id_invalid'; channel: string; replayId: ReplayFrom; message: string }
  /** CometD said 401 (token expired or revoked). `gaveUp` once the bounded re-authentication stopped. */
  | { kind: 'auth_failed'; channel: string; attempt: number; gaveUp: boolean; message: string }
  /** 403::Unknown client: the server forgot the client; faye re-handshakes and resubscribes. */
  | { kind: 'unknown_client'; channel: string; message: string }
  /** The subscription was refused for another reason (permissions, channel not enabled, ...). */
  | { kind: 'subscribe_failed'; channel: string; message: string }
  /** Transport down; faye retries with backoff and jitter. */
  | { kind: 'network'; channel: string; message: string }
  /** A delivery rejected (`replayId`: its first message); redelivery from the last handled replay id follows. */
  | { kind: 'handler_failed'; channel: string; replayId: number; message: string };

export type StreamIssueKind = StreamIssue['kind'];

export interface ChannelState {
  channel: string;
  status: 'connecting' | 'subscribed' | 'failed' | 'closed';
  /** Why the channel is failed or reconnecting (null while healthy). */
  reason: StreamIssueKind | null;
  message: string | null;
  /** Epoch ms at which the last event was handled. */
  lastEventAt: number | null;
  /** Replay id of the last message of the last delivery that resolved. */
  lastReplayId: number | null;
  /** Client rebuilds and re-handshakes so far. */
  reconnects: number;
}
