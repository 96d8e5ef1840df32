import { EVENTS_CHANNEL } from './append';
import { ChannelListener } from './channel-listener';

/** "Events were appended" (NOTIFY from append): wakes the subscription runners. */
export class EventNotifications extends ChannelListener {
  constructor(connectionString: string) {
    super(connectionString, EVENTS_CHANNEL, 'listen');
  }

  onAppended(listener: () => void): () => void {
    return this.onNotified(listener);
  }
}
