import { Module, type DynamicModule } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Pool } from 'pg';
import { createDriftAlerts } from '../alerts';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { DATABASE_POOL } from '../database/database.module';
import { DATABASE_URL } from '../database/database.tokens';
import type { Mapping } from '../mapping';
import { SYNC_MAPPING } from '../mapping/mapping.module';
import { MONDAY_CLIENT } from '../monday/monday.module';
import type { MondayPort } from '../monday/monday.port';
import type { Logger } from '../observability/logger';
import { SERVICE_LOGGER } from '../observability/observability.tokens';
import type { SyncContext } from '../sync-projector/sync-context';
import type { CachedContext } from '../sync-projector/sync-context-cache';
import { LIVE_SCHEMAS, SYNC_CONTEXT } from '../sync-projector/sync-context.tokens';
import { JsforceSalesforceClient } from '../salesforce/jsforce-salesforce.client';
import type { MigrationScheduleOptions } from './backfill.scheduler';
import { MigrationSchedulesService } from './migration-schedules.service';
import { UserDirectoryRefreshService } from './user-directory-refresh';

interface MigrationSyncParts {
  config: AppConfig;
  databaseUrl: string;
  pool: Pool;
  logger: Logger;
  salesforce: JsforceSalesforceClient;
  monday: MondayPort;
  mapping: Mapping;
  context: SyncContext;
  live: CachedContext;
  registry: SchedulerRegistry;
}

/**
 * Scheduled backfills (backfill.schedule), the monday catch-up after webhook outages, serving CDC gap
 * catch-up requests and RECONCILE_SCHEDULE: each run takes a Postgres lock, so one instance does it.
 */
function schedulesService(parts: MigrationSyncParts, scheduleOptions: MigrationScheduleOptions | undefined): MigrationSchedulesService {
  const { config, databaseUrl, pool, salesforce, monday, mapping, context, live, registry } = parts;
  const logger = parts.logger.child({ component: 'migration' });
  const { schedule, fix } = config.reconcile;
  if (schedule) {
    logger.info({ schedule, fix, timeZone: mapping.timeZone }, fix ? 'scheduled reconcile on: drift is reported and repaired' : 'scheduled reconcile on: drift is reported only (RECONCILE_FIX=false)');
  }
  return new MigrationSchedulesService({
    schedules: { pool, databaseUrl, salesforce, monday, logger, mapping, live: async () => live, registry },
    scheduleOptions,
    reconcile: schedule
      ? {
          deps: { db: pool, salesforce, monday, mapping, context },
          options: { schedule, fix, databaseUrl, logger, alerts: createDriftAlerts(config, logger), registry },
        }
      : null,
  });
}

/**
 * Backfill, catch-up, reconcile and replay; in a running service, their schedules
 * (MigrationSchedulesService) and the refresh of the user lists read at start
 * (UserDirectoryRefreshService), from the context's parts. `scheduleOptions`: test settings.
 */
@Module({})
export class MigrationModule {
  static forSync(scheduleOptions?: MigrationScheduleOptions): DynamicModule {
    return {
      module: MigrationModule,
      providers: [
        {
          provide: MigrationSchedulesService,
          inject: [APP_CONFIG, DATABASE_URL, DATABASE_POOL, SERVICE_LOGGER, JsforceSalesforceClient, MONDAY_CLIENT, SYNC_MAPPING, SYNC_CONTEXT, LIVE_SCHEMAS, SchedulerRegistry],
          useFactory: (
            config: AppConfig,
            databaseUrl: string,
            pool: Pool,
            logger: Logger,
            salesforce: JsforceSalesforceClient,
            monday: MondayPort,
            mapping: Mapping,
            context: SyncContext,
            live: CachedContext,
            registry: SchedulerRegistry,
          ) => schedulesService({ config, databaseUrl, pool, logger, salesforce, monday, mapping, context, live, registry }, scheduleOptions),
        },
        {
          provide: UserDirectoryRefreshService,
          inject: [APP_CONFIG, DATABASE_POOL, SERVICE_LOGGER, JsforceSalesforceClient, MONDAY_CLIENT, SYNC_CONTEXT, LIVE_SCHEMAS, SchedulerRegistry],
          useFactory: (config: AppConfig, pool: Pool, logger: Logger, salesforce: JsforceSalesforceClient, monday: MondayPort, context: SyncContext, live: CachedContext, registry: SchedulerRegistry) => {
            const intervalMs = scheduleOptions?.userDirectoryRefreshMs === undefined ? config.userDirectoryRefreshMs : (scheduleOptions.userDirectoryRefreshMs ?? 0);
            return new UserDirectoryRefreshService({ db: pool, salesforce, monday, context, live, logger, registry }, intervalMs);
          },
        },
      ],
      exports: [MigrationSchedulesService, UserDirectoryRefreshService],
    };
  }
}
