import createSubscriber, { type Subscriber } from 'pg-listen';

/** The channel migration 0004's trigger notifies after every INSERT into outbox. */
export const OUTBOX_CHANNEL = 'crm_sync_outbox';

/** Something that can wake a dispatcher: `onInserted` returns an unsubscribe function. */
export interface OutboxWake {
  onInserted(listener: () => void): () => void;
}

/**
 * LISTEN for new outbox rows (pg-listen reconnects). A notification only says "look now": the
 * dispatcher also polls, so a lost notification costs at most one poll interval.
 */
export class OutboxNotifications implements OutboxWake {
  private readonly subscriber: Subscriber;
  private readonly listeners = new Set<() => void>();

  constructor(connectionString: string) {
    this.subscriber = createSubscriber(
      { connectionString, application_name: `crm-sync outbox listen ${process.pid}` },
      { parse: (payload: string) => payload, retryLimit: Infinity, retryInterval: 500, retryTimeout: Infinity },
    );
    this.subscriber.notifications.on(OUTBOX_CHANNEL, () => this.emit());
    this.subscriber.events.on('connected', () => this.emit());
    this.subscriber.events.on('error', () => undefined);
  }

  async start(): Promise<void> {
    await this.subscriber.connect();
    await this.subscriber.listenTo(OUTBOX_CHANNEL);
  }

  onInserted(listener: () => void): () => void {
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
