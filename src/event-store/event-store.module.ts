import { Module, type DynamicModule } from '@nestjs/common';
import { BatchingAppender } from './batching-appender';
import { EventNotifications } from './event-notifications';
import type { Queryable } from './queryable';

/** Injection token of the pool the event log is read and appended through (explicit SQL, the hot path). */
export const EVENT_STORE_DB = Symbol('EVENT_STORE_DB');

export interface EventStoreParts {
  db: Queryable;
  /** Appends webhook and CDC events in batches (one INSERT per batch, at most 2 in flight). */
  appender: BatchingAppender;
  /** The LISTEN connection subscriptions wake on (`events` channel). */
  notifications: EventNotifications;
}

/**
 * The event log's public surface in a Nest context: the appender, the notifications subscriptions
 * wake on, and the pool for reads (readBatch, checkpoints, SubscriptionRunner take it as a
 * Queryable). The parts are opened before Nest starts (the service's LISTEN connection and pool
 * outlive the sync's context) and closed by the service's shutdown.
 */
@Module({})
export class EventStoreModule {
  static forParts(parts: EventStoreParts): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        { provide: EVENT_STORE_DB, useValue: parts.db },
        { provide: BatchingAppender, useValue: parts.appender },
        { provide: EventNotifications, useValue: parts.notifications },
      ],
      exports: [EVENT_STORE_DB, BatchingAppender, EventNotifications],
    };
  }
}
