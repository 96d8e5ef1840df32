import createSubscriber, { type Subscriber } from 'pg-listen';

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

  /** Unique per instance so an operator (or a test) can find this connection in pg_stat_activity. */
  readonly applicationName: string;

  constructor(
    connectionString: string,
    private readonly channel: string,
    role: string,
  ) {
    this.applicationName = `crm-sync ${role} ${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.subscriber = createSubscriber(
      { connectionString, application_name: this.applicationName },
      { parse: (payload: string) => payload, retryLimit: Infinity, retryInterval: 500, retryTimeout: Infinity, paranoidChecking: 5_000 },
    );
    this.subscriber.notifications.on(channel, () => this.emit());
    this.subscriber.events.on('connected', () => {
      this.connectedNow = true;
      this.emit();
    });
    this.subscriber.events.on('reconnect', () => {
      this.connectedNow = false;
    });
    this.subscriber.events.on('error', () => {
      this.connectedNow = false;
    });
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

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
