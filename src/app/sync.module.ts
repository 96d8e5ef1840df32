import { Module, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { createDriftAlerts, type OperatorAlertOptions } from '../alerts';
import { AlertsModule } from '../alerts/alerts.module';
import { OperationalAlertsService } from '../alerts/operational-alerts.service';
import { createParkedEventAlerts } from '../alerts/parked-event-alert';
import { registerHealth } from '../health/sync-checks';
import { EventStoreModule } from '../event-store/event-store.module';
import { IngestModule } from '../ingest/ingest.module';
import { CdcSubscriber } from '../ingest/salesforce/cdc-subscriber';
import type { Mapping } from '../mapping';
import { MappingModule } from '../mapping/mapping.module';
import { MondayModule } from '../monday/monday.module';
import { SalesforceModule } from '../salesforce/salesforce.module';
import type { MigrationScheduleOptions } from '../migration/backfill.scheduler';
import { MigrationModule } from '../migration/migration.module';
import { OutboxModule } from '../outbox/outbox.module';
import type { LinkIndex } from '../projectors/link-index';
import { linkedItems } from '../projectors/linked-items';
import { ProjectorsModule } from '../projectors/projectors.module';
import type { SyncContext } from '../projectors/sync-context';
import type { CachedContext } from '../projectors/sync-context-cache';
import { SyncProjectorService } from '../projectors/sync-projector-service';
import { apiUsageOf, lendToConsole, operationalSnapshotSource } from './operator-wiring';
import type { MondayPort } from '../monday';
import type { JsforceSalesforceClient } from '../salesforce';
import type { ServiceRuntime } from './service-runtime';

export interface SyncClients {
  salesforce: JsforceSalesforceClient;
  monday: MondayPort;
}

export interface SyncParts {
  runtime: ServiceRuntime;
  mapping: Mapping;
  clients: SyncClients;
  /** The live schemas the mapping was bound to at start, the links, and the context built from them. */
  cached: CachedContext;
  links: LinkIndex;
  context: SyncContext;
  alerts?: OperatorAlertOptions;
  schedules?: MigrationScheduleOptions;
}

/**
 * The sync's /health checks and what it lends the operator console: added once the parts below are
 * running, taken back first when the sync stops (before the alerts, which AlertsModule stops).
 */
class SyncOperatorBinding implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private lent: { stop(): void } | null = null;

  constructor(
    private readonly parts: SyncParts,
    private readonly projector: SyncProjectorService,
    private readonly cdc: CdcSubscriber,
    private readonly alerts: OperationalAlertsService,
  ) {}

  onApplicationBootstrap(): void {
    const { runtime, mapping, context, clients } = this.parts;
    registerHealth(runtime, this.projector.runner, this.cdc.ingest, clients.salesforce);
    runtime.health.register('parked_events', () => this.projector.parked.check());
    this.lent = lendToConsole(runtime, { mapping, context, projector: this.projector.runner, cdc: this.cdc.ingest, ...clients }, () => this.alerts.openIncidents());
  }

  beforeApplicationShutdown(): void {
    this.lent?.stop();
  }
}

/**
 * The sync of a running service as one Nest application context, built once HTTP listens and the
 * mapping is bound to the live schemas (sync-engine.ts): each long-running part is a provider of its
 * module, started by Nest's bootstrap hooks and stopped by its shutdown hooks. Nest boots the
 * deepest modules first and stops in the reverse order, so the imports' order below is the order
 * of the stop, after the operator binding: alerts, schedules, CDC, projector, dispatcher.
 */
@Module({})
export class SyncModule {
  static forRoot(parts: SyncParts): DynamicModule {
    const { runtime, mapping, clients, cached, links, context } = parts;
    const { pool, databaseUrl, config, logger } = runtime;
    const migrationLogger = logger.child({ component: 'migration' });
    const { schedule, fix } = config.reconcile;
    if (schedule) {
      migrationLogger.info({ schedule, fix, timeZone: mapping.timeZone }, fix ? 'scheduled reconcile on: drift is reported and repaired' : 'scheduled reconcile on: drift is reported only (RECONCILE_FIX=false)');
    }
    return {
      module: SyncModule,
      imports: [
        // The public surfaces the parts below are built from (no hooks: the service opened and closes them).
        EventStoreModule.forParts({ db: pool, appender: runtime.appender, notifications: runtime.notifications }),
        MappingModule.forMapping(mapping),
        SalesforceModule.forClient(clients.salesforce),
        MondayModule.forClient(clients.monday),
        OutboxModule.forRoot({ config, databaseUrl, pool, logger, salesforce: clients.salesforce, monday: clients.monday, mapping: context.mapping, linkedItems: (itemIds) => linkedItems(pool, itemIds), health: runtime.health }),
        ProjectorsModule.forRoot({
          pool,
          databaseUrl,
          notifications: runtime.notifications,
          context,
          links,
          logger,
          parkedAlerts: createParkedEventAlerts(config, logger),
        }),
        IngestModule.forSalesforceCdc({ pool, databaseUrl, salesforce: clients.salesforce, mapping, clientName: config.salesforce.clientName, logger }),
        // Scheduled backfills (backfill.schedule), the monday catch-up after webhook outages, serving
        // CDC gap catch-up requests and RECONCILE_SCHEDULE: each run takes a Postgres lock, so one instance does it.
        MigrationModule.forRoot({
          schedules: { pool, databaseUrl, salesforce: clients.salesforce, monday: clients.monday, logger: migrationLogger, mapping, live: async () => cached, registry: runtime.scheduler },
          scheduleOptions: parts.schedules,
          reconcile: schedule
            ? {
                deps: { db: pool, salesforce: clients.salesforce, monday: clients.monday, mapping, context },
                options: { schedule, fix, databaseUrl, logger: migrationLogger, alerts: createDriftAlerts(config, migrationLogger), registry: runtime.scheduler },
              }
            : null,
        }),
        // Operational alerts and API usage sampling, reading the parts above once they run.
        AlertsModule.forRoot({
          config,
          db: pool,
          logger,
          registry: runtime.scheduler,
          usage: apiUsageOf(clients),
          options: parts.alerts,
          snapshot: (resolve) =>
            operationalSnapshotSource(
              runtime,
              { mapping, context, projector: resolve(SyncProjectorService).runner, cdc: resolve(CdcSubscriber).ingest, ...clients },
              parts.alerts?.mondayUsageRefreshMs,
            ),
        }),
      ],
      providers: [
        {
          provide: SyncOperatorBinding,
          inject: [SyncProjectorService, CdcSubscriber, OperationalAlertsService],
          useFactory: (projector: SyncProjectorService, cdc: CdcSubscriber, alerts: OperationalAlertsService) => new SyncOperatorBinding(parts, projector, cdc, alerts),
        },
      ],
    };
  }
}
