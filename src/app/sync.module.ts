import { Module, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationBootstrap, type Provider } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { OperatorAlertOptions } from '../alerts';
import { AlertsModule, API_USAGE_SOURCES, OPERATIONAL_SNAPSHOT } from '../alerts/alerts.module';
import { OperationalAlertsService, type ResolveProvider } from '../alerts/operational-alerts.service';
import { APP_CONFIG } from '../config';
import { DATABASE_POOL } from '../database/database.module';
import { DATABASE_URL } from '../database/database.tokens';
import { registerHealth } from '../health/sync-checks';
import { EventStoreModule } from '../event-store/event-store.module';
import { CdcSubscriber } from '../ingest/salesforce/cdc-subscriber';
import { SalesforceCdcModule } from '../ingest/salesforce/salesforce-cdc.module';
import type { Mapping } from '../mapping';
import { MappingModule, RESOLVED_MAPPING } from '../mapping/mapping.module';
import { MondayModule } from '../monday/monday.module';
import { SalesforceModule } from '../salesforce/salesforce.module';
import type { MigrationScheduleOptions } from '../migration/backfill.scheduler';
import { MigrationModule } from '../migration/migration.module';
import { HealthRegistry } from '../observability/health-registry';
import { SERVICE_LOGGER } from '../observability/observability.tokens';
import { OUTBOX_LINKED_ITEMS, OutboxModule } from '../outbox/outbox.module';
import { LinkIndex } from '../sync-projector/link-index';
import { linkedItems } from '../sync-projector/linked-items';
import { SyncProjectorModule } from '../sync-projector/sync-projector.module';
import type { SyncContext } from '../sync-projector/sync-context';
import type { CachedContext } from '../sync-projector/sync-context-cache';
import { LIVE_SCHEMAS, SYNC_CONTEXT } from '../sync-projector/sync-context.tokens';
import { SyncProjectorService } from '../sync-projector/sync-projector-service';
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
 * The values the sync's parts are built from, global in the sync's context so each part's module
 * injects what it needs: configuration, database, logger, health, scheduler, event store, mapping
 * (as loaded and as bound to the live schemas), links, both CRM clients, and what the outbox and the
 * alerts take from parts they may not import (linked items, API usage, the snapshot). No hooks: the
 * service opened these and closes them.
 */
@Module({})
class SyncFoundationModule {
  static forParts(parts: SyncParts): DynamicModule {
    const { runtime, mapping, clients, cached, links, context } = parts;
    const { pool } = runtime;
    const imports = [
      EventStoreModule.forParts({ db: pool, appender: runtime.appender, notifications: runtime.notifications }),
      MappingModule.forMapping(mapping),
      SalesforceModule.forClient(clients.salesforce),
      MondayModule.forClient(clients.monday),
    ];
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: runtime.config },
      { provide: DATABASE_URL, useValue: runtime.databaseUrl },
      { provide: DATABASE_POOL, useValue: pool },
      { provide: SERVICE_LOGGER, useValue: runtime.logger },
      { provide: HealthRegistry, useValue: runtime.health },
      { provide: SchedulerRegistry, useValue: runtime.scheduler },
      { provide: SYNC_CONTEXT, useValue: context },
      { provide: RESOLVED_MAPPING, useValue: context.mapping },
      { provide: LinkIndex, useValue: links },
      { provide: LIVE_SCHEMAS, useValue: cached },
      { provide: OUTBOX_LINKED_ITEMS, useValue: (itemIds: readonly string[]) => linkedItems(pool, itemIds) },
      { provide: API_USAGE_SOURCES, useValue: apiUsageOf(clients) },
      {
        provide: OPERATIONAL_SNAPSHOT,
        useValue: (resolve: ResolveProvider) =>
          operationalSnapshotSource(
            runtime,
            { mapping, context, projector: resolve(SyncProjectorService).runner, cdc: resolve(CdcSubscriber).ingest, ...clients },
            parts.alerts?.mondayUsageRefreshMs,
          ),
      },
    ];
    return { module: SyncFoundationModule, global: true, imports, providers, exports: [...providers, ...imports] };
  }
}

/**
 * The sync of a running service as one Nest application context, built once HTTP listens and the
 * mapping is bound to the live schemas (sync-engine.ts): each long-running part is a provider of its
 * module, built from what it injects (SyncFoundationModule), started by Nest's bootstrap hooks and
 * stopped by its shutdown hooks. Nest boots the deepest modules first and stops in the reverse
 * order, so the imports' order below is the order of the stop, after the operator binding: alerts,
 * schedules, CDC, projector, dispatcher.
 */
@Module({})
export class SyncModule {
  static forRoot(parts: SyncParts): DynamicModule {
    return {
      module: SyncModule,
      imports: [
        SyncFoundationModule.forParts(parts),
        OutboxModule.forSync(),
        SyncProjectorModule.forSync(),
        SalesforceCdcModule.forSync(),
        MigrationModule.forSync(parts.schedules),
        // Operational alerts and API usage sampling, reading the parts above once they run.
        AlertsModule.forSync(parts.alerts),
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
