import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AdminModule } from '../admin';
import { ConsoleModule } from '../console';
import { DatabaseModule } from '../database/database.module';
import { EventStoreModule } from '../event-store/event-store.module';
import { HealthModule } from '../health/health.module';
import { IngestModule } from '../ingest/ingest.module';
import { ObservabilityModule } from '../observability/observability.module';
import type { ServiceRuntime } from './service-runtime';
import { ServiceShutdown } from './service-shutdown';

/** The composition root: every module of the service, over the parts start-service.ts built. */
@Module({})
export class AppModule {
  static forRuntime(runtime: Omit<ServiceRuntime, 'scheduler'>, shutdown: ServiceShutdown): DynamicModule {
    const { config } = runtime;
    return {
      module: AppModule,
      imports: [
        // Every schedule (backfill crons, monday catch-up, CDC gap catch-ups, reconcile) is a job in its SchedulerRegistry.
        ScheduleModule.forRoot(),
        // The DataSource start-service opened (and migrated) before the app: one pool for Nest and the hot path.
        DatabaseModule.forDataSource(runtime.dataSource),
        // The appender, LISTEN notifications and pool of the event log start-service opened.
        EventStoreModule.forParts({ db: runtime.pool, appender: runtime.appender, notifications: runtime.notifications }),
        ObservabilityModule,
        HealthModule.forRoot(runtime.health),
        IngestModule.forRoot(runtime),
        AdminModule.forRoot({ db: runtime.pool, adminToken: config.adminToken }),
        ConsoleModule.forRoot({
          db: runtime.pool,
          adminToken: config.adminToken,
          health: runtime.health,
          bindings: runtime.operator,
          logger: runtime.logger.child({ component: 'console' }),
          secureCookie: config.http.publicUrl?.startsWith('https:') ?? false,
        }),
      ],
      // Its hooks run the graceful stop when the app closes (SIGTERM).
      providers: [{ provide: ServiceShutdown, useValue: shutdown }],
    };
  }
}
