import type { BayeuxMessage, FayeExtension } from './faye-client';
import type { ReplayFrom } from './change-event-stream.port';

/**
 * Replay extension for ONE channel (reference 0.6 and 5.7, like jsforce's StreamingExtension.Replay):
 * remembers the replay id of the last message received on the channel and writes
 * `ext.replay = {channel: id}` on every /meta/subscribe, so faye's automatic re-handshake after
 * `403::Unknown client` resumes where delivery stopped.
 */
export class ReplayExtension implements FayeExtension {
  constructor(
    private readonly channel: string,
    private replayId: ReplayFrom,
  ) {}

  incoming(message: BayeuxMessage, callback: (message: BayeuxMessage) => void): void {
    if (message.channel === this.channel) {
      const replayId = replayIdOf(message.data);
      if (replayId !== null) this.replayId = replayId;
    }
    callback(message);
  }

  outgoing(message: BayeuxMessage, callback: (message: BayeuxMessage) => void): void {
    if (message.channel === '/meta/subscribe' && message.subscription === this.channel) {
      message.ext = { ...message.ext, replay: { [this.channel]: this.replayId } };
    }
    callback(message);
  }
}

export type MetaEvent =
  | { kind: 'subscribed' }
  | { kind: 'subscribe_failed'; error: string }
  | { kind: 'connected' }
  | { kind: 'auth_failed'; error: string }
  /** `during: 'subscribe'`: faye has dropped the channel (see MetaWatchExtension), no re-handshake resubscribes it. */
  | { kind: 'unknown_client'; error: string; during: 'subscribe' | 'connect' };

const UNKNOWN_CLIENT = /^403::Unknown client/i;

/**
 * Reports the meta replies that matter (reference 5.4) to the channel subscription. faye only
 * surfaces the first /meta/subscribe outcome through the Subscription promise; re-subscribes after a
 * re-handshake, 401s on connect and handshake are only visible here.
 *
 * A reply is matched to what it answers by its `id` (the client has one channel, so every
 * /meta/subscribe it sends is for that channel): Salesforce's `403::Unknown client` carries neither
 * `channel` nor `subscription` (reference 5.4's example). faye removes a channel whose subscribe
 * failed from its own list, so after a subscribe answered `Unknown client` its automatic
 * re-handshake resubscribes nothing: the client stays connected and receives no event (seed 123
 * of the fault campaign: two channels never subscribed again).
 */
export class MetaWatchExtension implements FayeExtension {
  private readonly sent = new Map<string, string>();

  constructor(
    private readonly channel: string,
    private readonly report: (event: MetaEvent) => void,
  ) {}

  outgoing(message: BayeuxMessage, callback: (message: BayeuxMessage) => void): void {
    if (message.id !== undefined && message.channel?.startsWith('/meta/')) this.sent.set(message.id, message.channel);
    callback(message);
  }

  incoming(message: BayeuxMessage, callback: (message: BayeuxMessage) => void): void {
    const answers = this.answered(message);
    const error = describeError(message);
    if (message.successful === false && UNKNOWN_CLIENT.test(message.error ?? '')) {
      this.report({ kind: 'unknown_client', error, during: answers === '/meta/subscribe' ? 'subscribe' : 'connect' });
    } else if (answers === '/meta/subscribe' && (message.subscription === undefined || message.subscription === this.channel)) {
      this.report(message.successful ? { kind: 'subscribed' } : { kind: 'subscribe_failed', error });
    } else if ((answers === '/meta/connect' || answers === '/meta/handshake') && message.successful === false) {
      if (isAuthFailure(message)) this.report({ kind: 'auth_failed', error });
    } else if (answers === '/meta/connect' && message.successful === true) {
      this.report({ kind: 'connected' });
    }
    callback(message);
  }

  /** The meta channel a reply answers: its own `channel`, else the one its `id` was sent on. */
  private answered(message: BayeuxMessage): string | undefined {
    const sentOn = message.id === undefined ? undefined : this.sent.get(message.id);
    if (message.id !== undefined && message.successful !== undefined) this.sent.delete(message.id);
    return message.channel ?? sentOn;
  }
}

/** `401::Authentication invalid` on connect, or a handshake denied with a 401 failure reason. */
function isAuthFailure(message: BayeuxMessage): boolean {
  if (/^401::/.test(message.error ?? '')) return true;
  return /^401::/.test(failureReason(message) ?? '');
}

function failureReason(message: BayeuxMessage): string | undefined {
  const sfdc = message.ext?.sfdc;
  if (typeof sfdc !== 'object' || sfdc === null) return undefined;
  const reason = (sfdc as { failureReason?: unknown }).failureReason;
  return typeof reason === 'string' ? reason : undefined;
}

function describeError(message: BayeuxMessage): string {
  const reason = failureReason(message);
  return [message.error, reason].filter((part): part is string => typeof part === 'string' && part !== '').join(' / ');
}

export function replayIdOf(data: unknown): number | null {
  if (typeof data !== 'object' || data === null) return null;
  const event = (data as { event?: { replayId?: unknown } }).event;
  return typeof event?.replayId === 'number' ? event.replayId : null;
}
