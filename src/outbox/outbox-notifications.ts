import { ChannelListener } from '../event-store/channel-listener';

/** The channel migration 0004's trigger notifies after every INSERT into outbox. */
export const OUTBOX_CHANNEL = 'crm_sync_outbox';

/** Something that can wake a dispatcher: `onInserted` returns an unsubscribe function. */
export interface OutboxWake {
  onInserted(listener: () => void): () => void;
}

/** New outbox rows: wakes the dispatcher, which also polls (a lost notification costs one poll). */
export class OutboxNotifications extends ChannelListener implements OutboxWake {
  constructor(connectionString: string) {
    super(connectionString, OUTBOX_CHANNEL, 'outbox listen');
  }

  onInserted(listener: () => void): () => void {
    return this.onNotified(listener);
  }
}
