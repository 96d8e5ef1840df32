import { Module, type DynamicModule } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Pool } from 'pg';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { DATABASE_POOL } from '../database/database.module';
import type { Logger } from '../observability/logger';
import { SERVICE_LOGGER } from '../observability/observability.tokens';
import type { ApiUsageSources } from './api-usage-sampler';
import type { OperatorAlertOptions } from './operational-alerts';
import { OperationalAlertsService, type AlertsModuleOptions } from './operational-alerts.service';

/** Injection token of each CRM's API usage as its client last saw it (ApiUsageSources; alerts may not import the CRM clients). */
export const API_USAGE_SOURCES = Symbol('API_USAGE_SOURCES');

/** Injection token of the snapshot the checks read (AlertsModuleOptions['snapshot']): the composition knows the parts it watches. */
export const OPERATIONAL_SNAPSHOT = Symbol('OPERATIONAL_SNAPSHOT');

/**
 * The operational alerts and API usage sampling of a running sync (OperationalAlertsService), from
 * the context's configuration, pool, logger and SchedulerRegistry, API_USAGE_SOURCES and
 * OPERATIONAL_SNAPSHOT. `options`: test settings (check interval, Telegram URL, rate limit).
 */
@Module({})
export class AlertsModule {
  static forSync(options?: OperatorAlertOptions): DynamicModule {
    return {
      module: AlertsModule,
      providers: [
        {
          provide: OperationalAlertsService,
          inject: [APP_CONFIG, DATABASE_POOL, SERVICE_LOGGER, SchedulerRegistry, API_USAGE_SOURCES, OPERATIONAL_SNAPSHOT, ModuleRef],
          useFactory: (
            config: AppConfig,
            db: Pool,
            logger: Logger,
            registry: SchedulerRegistry,
            usage: ApiUsageSources,
            snapshot: AlertsModuleOptions['snapshot'],
            moduleRef: ModuleRef,
          ) => new OperationalAlertsService({ config, db, logger, registry, usage, snapshot, options }, (token) => moduleRef.get(token, { strict: false })),
        },
      ],
      exports: [OperationalAlertsService],
    };
  }
}
