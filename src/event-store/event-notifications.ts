import createSubscriber, { type Subscriber } from 'pg-listen';
import { EVENTS_CHANNEL } from './append';

/**
 * LISTEN for "events were appended" through pg-listen, which reconnects a dropped connection.
 * A notification only says "look now": subscribers also poll slowly, so a lost notification or a
 * LISTEN connection that is down delays them by at most the poll interval, never stalls them.
 */
export class EventNotifications {
  private readonly subscriber: Subscriber;
  private readonly listeners = new Set<() => void>();
  private connectedNow = false;

  /** Unique per instance so an operator (or a test) can find this connection in pg_stat_activity. */
  readonly applicationName = `crm-sync listen ${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(connectionString: string) {
    this.subscriber = createSubscriber(
      { connectionString, application_name: this.applicationName },
      { parse: (payload: string) => payload, retryLimit: Infinity, retryInterval: 500, retryTimeout: Infinity, paranoidChecking: 5_000 },
    );
    this.subscriber.notifications.on(EVENTS_CHANNEL, () => this.emit());
    this.subscriber.events.on('connected', () => {
      this.connectedNow = true;
      // Anything appended while we were not listening: let everyone look.
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
    await this.subscriber.listenTo(EVENTS_CHANNEL);
  }

  onAppended(listener: () => void): () => void {
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
