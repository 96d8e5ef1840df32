import { EVENTS_CHANNEL } from './append';
import { ChannelListener, type ConnectionLog } from './channel-listener';

/** "Events were appended" (NOTIFY from append): wakes the subscription runners. */
export class EventNotifications extends ChannelListener {
  constructor(connectionString: string, log?: ConnectionLog) {
    super(connectionString, EVENTS_CHANNEL, 'listen', log);
  }

  onAppended(listener: () => void): () => void {
    return this.onNotified(listener);
  }
}
