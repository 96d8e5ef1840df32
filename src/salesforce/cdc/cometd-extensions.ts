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
  | { kind: 'unknown_client'; error: string };

/**
 * Reports the meta replies that matter (reference 5.4) to the channel subscription. faye only
 * surfaces the first /meta/subscribe outcome through the Subscription promise; re-subscribes after a
 * re-handshake, 401s on connect and handshake are only visible here.
 */
export class MetaWatchExtension implements FayeExtension {
  constructor(
    private readonly channel: string,
    private readonly report: (event: MetaEvent) => void,
  ) {}

  incoming(message: BayeuxMessage, callback: (message: BayeuxMessage) => void): void {
    const error = describeError(message);
    if (message.channel === '/meta/subscribe' && message.subscription === this.channel) {
      this.report(message.successful ? { kind: 'subscribed' } : { kind: 'subscribe_failed', error });
    } else if ((message.channel === '/meta/connect' || message.channel === '/meta/handshake') && message.successful === false) {
      if (isAuthFailure(message)) this.report({ kind: 'auth_failed', error });
      else if (/^403::Unknown client/i.test(message.error ?? '')) this.report({ kind: 'unknown_client', error });
    } else if (message.channel === '/meta/connect' && message.successful === true) {
      this.report({ kind: 'connected' });
    }
    callback(message);
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
