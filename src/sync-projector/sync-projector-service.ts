import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { ParkedEventNotifier } from '../alerts/parked-event-alert';
import { LeaderLock, SubscriptionRunner, type EventNotifications } from '../event-store';
import type { LinkIndex } from './link-index';
import { ParkedEventsMonitor } from './parked-events-monitor';
import type { SyncContext } from './sync-context';
import { SyncProjector, SYNC_PROJECTOR } from './sync-projector';

export interface SyncProjectorServiceOptions {
  pool: Pool;
  databaseUrl: string;
  notifications: EventNotifications;
  /** The mapping bound to the live schemas, and the links loaded at start (sync-engine prepares both). */
  context: SyncContext;
  links: LinkIndex;
  logger: Logger;
  parkedAlerts: ParkedEventNotifier | null;
}

/**
 * The sync projector of a running service: its runner (one instance leads, by a Postgres lock) and
 * what happens around an event it parks. Nest starts it when the sync's context boots and stops it
 * (the batch in flight finishes, the lock is released) before that context closes.
 */
export class SyncProjectorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly runner: SubscriptionRunner;
  readonly parked: ParkedEventsMonitor;

  constructor(options: SyncProjectorServiceOptions) {
    const { logger } = options;
    this.parked = new ParkedEventsMonitor(options.pool, logger.child({ component: 'parked-events' }), options.parkedAlerts);
    this.runner = new SubscriptionRunner(
      options.pool,
      options.notifications,
      new SyncProjector(() => options.context, options.links),
      new LeaderLock(options.databaseUrl, `projector:${SYNC_PROJECTOR}`),
      { onError: (error) => logger.error({ err: error, projector: SYNC_PROJECTOR }, 'sync projector batch failed; retrying'), onParked: this.parked.onParked },
    );
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.parked.close();
  }
}
