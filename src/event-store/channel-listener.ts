import createSubscriber, { type Subscriber } from 'pg-listen';

/** Where the listener says that its connection was lost and came back (a pino logger fits). */
export interface ConnectionLog {
  warn(details: Record<string, unknown>, message: string): void;
  info(details: Record<string, unknown>, message: string): void;
}

/** Reconnect attempts wait 0.5 s, then twice as long each time, at most 10 s (a restart lasting minutes costs few attempts). */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(500 * 2 ** Math.max(0, attempt), 10_000);
}

/**
 * LISTEN on one Postgres channel through pg-listen, which reconnects a dropped connection. A
 * notification only says "look now": whoever listens also polls, so a lost notification or a
 * LISTEN connection that is down delays it by at most its poll interval, never stalls it. Every
 * (re)connect also wakes the listeners: anything notified while nobody listened gets looked at.
 */
export class ChannelListener {
  private readonly subscriber: Subscriber;
  private readonly listeners = new Set<() => void>();
  private connectedNow = false;
  /** When the connection was lost (null while connected or before the first connect). */
  private lostAt: number | null = null;

  /** Unique per instance so an operator (or a test) can find this connection in pg_stat_activity. */
  readonly applicationName: string;

  constructor(
    connectionString: string,
    private readonly channel: string,
    role: string,
    private readonly log?: ConnectionLog,
  ) {
    this.applicationName = `crm-sync ${role} ${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.subscriber = createSubscriber(
      { connectionString, application_name: this.applicationName },
      { parse: (payload: string) => payload, retryLimit: Infinity, retryInterval: reconnectDelayMs, retryTimeout: Infinity, paranoidChecking: 5_000 },
    );
    this.subscriber.notifications.on(channel, () => this.emit());
    this.subscriber.events.on('connected', () => {
      this.connectedNow = true;
      if (this.lostAt !== null) this.log?.info({ channel, downMs: Date.now() - this.lostAt }, 'LISTEN connection restored');
      this.lostAt = null;
      this.emit();
    });
    this.subscriber.events.on('reconnect', (attempt: number) => this.lost(attempt === 1 ? 'connection ended' : null));
    this.subscriber.events.on('error', (error: Error) => this.lost(error.message));
  }

  get connected(): boolean {
    return this.connectedNow;
  }

  async start(): Promise<void> {
    await this.subscriber.connect();
    this.connectedNow = true;
    await this.subscriber.listenTo(this.channel);
  }

  /** Returns an unsubscribe function. */
  onNotified(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.listeners.clear();
    await this.subscriber.close().catch(() => undefined);
  }

  /** Logged once per outage (pg-listen says "reconnect" on every attempt). */
  private lost(reason: string | null): void {
    this.connectedNow = false;
    if (this.lostAt !== null) return;
    this.lostAt = Date.now();
    this.log?.warn({ channel: this.channel, reason }, 'LISTEN connection lost; reconnecting with backoff (work is still found by polling)');
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
