import { Module, type DynamicModule } from '@nestjs/common';
import type { Pool } from 'pg';
import { createParkedEventAlerts } from '../alerts/parked-event-alert';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { DATABASE_POOL } from '../database/database.module';
import { DATABASE_URL } from '../database/database.tokens';
import { EventNotifications } from '../event-store/event-notifications';
import type { Logger } from '../observability/logger';
import { SERVICE_LOGGER } from '../observability/observability.tokens';
import { LinkIndex } from './link-index';
import type { SyncContext } from './sync-context';
import { SYNC_CONTEXT } from './sync-context.tokens';
import { SyncProjectorService } from './sync-projector-service';

/**
 * The projectors of a running service: today the sync projector (SyncProjectorService), built from
 * the context's pool, notifications, SYNC_CONTEXT and LinkIndex.
 */
@Module({})
export class SyncProjectorModule {
  static forSync(): DynamicModule {
    return {
      module: SyncProjectorModule,
      providers: [
        {
          provide: SyncProjectorService,
          inject: [APP_CONFIG, DATABASE_URL, DATABASE_POOL, SERVICE_LOGGER, EventNotifications, SYNC_CONTEXT, LinkIndex],
          useFactory: (config: AppConfig, databaseUrl: string, pool: Pool, logger: Logger, notifications: EventNotifications, context: SyncContext, links: LinkIndex) =>
            new SyncProjectorService({ pool, databaseUrl, notifications, context, links, logger, parkedAlerts: createParkedEventAlerts(config, logger) }),
        },
      ],
      exports: [SyncProjectorService],
    };
  }
}
