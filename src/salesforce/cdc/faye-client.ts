import { createRequire } from 'node:module';
import { backoffDelay, type BackoffOptions } from './backoff';

/**
 * The few faye 1.4 client features the CDC adapter uses, typed (faye ships no types). The client is
 * built here rather than by `conn.streaming.createClient()` because jsforce passes no options to
 * `new faye.Client(url, {})`, and we need one: a scheduler that retries failed Bayeux requests with
 * exponential backoff and jitter instead of faye's fixed interval. Everything else matches jsforce
 * (reference 5.7): `{instanceUrl}/cometd/{version}`, `Authorization: OAuth <token>`.
 */
export interface BayeuxMessage {
  /** Absent in some Salesforce error replies (`403::Unknown client`): match them by `id`. */
  channel?: string;
  id?: string;
  clientId?: string;
  subscription?: string;
  successful?: boolean;
  error?: string;
  advice?: { reconnect?: string; interval?: number; timeout?: number };
  ext?: Record<string, unknown>;
  data?: unknown;
}

export interface FayeExtension {
  incoming?(message: BayeuxMessage, callback: (message: BayeuxMessage) => void): void;
  outgoing?(message: BayeuxMessage, callback: (message: BayeuxMessage) => void): void;
}

export interface FayeSubscription {
  then(onFulfilled: () => void, onRejected: (error: { message?: string }) => void): unknown;
  cancel(): void;
}

export interface FayeClient {
  setHeader(name: string, value: string): void;
  addExtension(extension: FayeExtension): void;
  subscribe(channel: string, listener: (data: unknown) => void): FayeSubscription;
  disconnect(): void;
  bind(event: 'transport:up' | 'transport:down', callback: () => void): void;
}

interface FayeModule {
  Client: new (url: string, options?: Record<string, unknown>) => FayeClient;
}

const faye = createRequire(__filename)('faye') as FayeModule;

/** faye's per-message scheduler interface (faye/src/protocol/scheduler.js), with backoff in getInterval. */
function backoffScheduler(backoff: BackoffOptions) {
  return class BackoffScheduler {
    private attempts = 0;
    constructor(
      readonly message: unknown,
      private readonly options: { timeout: number; interval: number; attempts?: number; deadline?: number },
    ) {}
    getTimeout(): number {
      return this.options.timeout;
    }
    /** Seconds before resending a failed message. */
    getInterval(): number {
      return backoffDelay(this.attempts, backoff) / 1000;
    }
    isDeliverable(): boolean {
      if (this.options.attempts !== undefined && this.attempts >= this.options.attempts) return false;
      return this.options.deadline === undefined || Date.now() <= this.options.deadline;
    }
    send(): void {
      this.attempts += 1;
    }
    succeed(): void {}
    fail(): void {}
    abort(): void {}
  };
}

export function createFayeClient(cometdUrl: string, accessToken: string, backoff: BackoffOptions): FayeClient {
  const client = new faye.Client(cometdUrl, {
    scheduler: backoffScheduler(backoff),
    // Seconds between handshake attempts after an unsuccessful handshake reply.
    retry: Math.max(1, Math.round((backoff.initialMs ?? 1000) / 1000)),
  });
  client.setHeader('Authorization', `OAuth ${accessToken}`);
  return client;
}

interface FayeInternals {
  _advice?: { reconnect?: string };
  _state?: number;
  _dispatcher?: {
    close(): void;
    _envelopes?: Map<string, { timer?: ReturnType<typeof setTimeout> | null; request?: PromiseLike<unknown> | null }>;
  };
}

interface Publication {
  callback(fn: () => void): void;
  errback(fn: () => void): void;
}

/** faye's Client DISCONNECTED state. */
const DISCONNECTED = 4;

/**
 * Stops a faye client for good. Sends /meta/disconnect when connected (frees the org's concurrent
 * CometD client slot), then, when that answers or after `graceMs`, closes the transport and clears
 * faye's retry timers and in-flight requests. Without this a discarded client (e.g. one told
 * `reconnect: none`, which cannot disconnect) keeps re-sending its last message forever.
 */
export function shutdownFayeClient(client: FayeClient, graceMs = 2000): Promise<void> {
  const internals = client as unknown as FayeInternals;
  if (internals._advice) internals._advice.reconnect = 'none';
  let publication: Publication | undefined;
  try {
    publication = (client.disconnect as () => Publication | undefined)();
  } catch {
    publication = undefined;
  }
  const forceClose = () => {
    internals._state = DISCONNECTED;
    const dispatcher = internals._dispatcher;
    if (!dispatcher) return;
    for (const envelope of dispatcher._envelopes?.values() ?? []) {
      if (envelope.timer) clearTimeout(envelope.timer);
      envelope.timer = null;
      envelope.request?.then((request) => destroyRequest(request));
    }
    dispatcher._envelopes?.clear();
    dispatcher.close();
  };
  if (!publication) {
    forceClose();
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      forceClose();
      resolve();
    };
    const timer = setTimeout(finish, graceMs);
    publication.callback(finish);
    publication.errback(finish);
  });
}

function destroyRequest(request: unknown): void {
  const r = request as { destroy?: () => void; abort?: () => void } | null;
  if (r?.destroy) r.destroy();
  else r?.abort?.();
}
