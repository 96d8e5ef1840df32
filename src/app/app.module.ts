import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AdminModule } from '../admin';
import { ConsoleModule } from '../console';
import { BatchingAppender } from '../event-store';
import { HealthController } from '../health/health.controller';
import { HealthRegistry } from '../health/health-registry';
import { MondayWebhookIngest } from '../ingest/monday/monday-webhook.ingest';
import { loggingModule } from '../observability/logging.module';
import { MetricsController } from '../observability/metrics.controller';
import { OwnIdentity } from '../ingest/own-identity';
import { ServiceLifecycle } from '../ingest/service-lifecycle';
import type { ServiceRuntime } from './service-runtime';
import { ServiceShutdown } from './service-shutdown';
import { APP_CONFIG, LOGGER, PG_POOL } from './tokens';

@Module({})
export class AppModule {
  static forRuntime(runtime: Omit<ServiceRuntime, 'scheduler'>, shutdown: ServiceShutdown): DynamicModule {
    const { config } = runtime;
    return {
      module: AppModule,
      imports: [
        // Every schedule (backfill crons, monday catch-up, CDC gap catch-ups, reconcile) is a job in its SchedulerRegistry.
        ScheduleModule.forRoot(),
        loggingModule(runtime.logger),
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
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: PG_POOL, useValue: runtime.pool },
        { provide: LOGGER, useValue: runtime.logger },
        { provide: BatchingAppender, useValue: runtime.appender },
        { provide: OwnIdentity, useValue: runtime.identity },
        { provide: ServiceLifecycle, useValue: runtime.lifecycle },
        { provide: HealthRegistry, useValue: runtime.health },
        { provide: ServiceShutdown, useValue: shutdown },
        {
          provide: MondayWebhookIngest,
          useFactory: () =>
            new MondayWebhookIngest(
              runtime.appender,
              runtime.pool,
              {
                signingSecret: config.monday.signingSecret,
                webhookToken: config.monday.webhookToken,
                expectedAudience: config.http.publicUrl ? new URL('/webhooks/monday', config.http.publicUrl).toString() : null,
              },
              runtime.identity,
              runtime.lifecycle,
              runtime.logger.child({ component: 'monday-webhook' }),
            ),
        },
      ],
    };
  }
}
