import { Module, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { DATABASE_POOL } from '../database/database.module';
import { DATABASE_URL } from '../database/database.tokens';
import { RESOLVED_MAPPING } from '../mapping/mapping.module';
import type { ResolvedMapping } from '../mapping/resolved-mapping';
import { MONDAY_CLIENT } from '../monday/monday.module';
import type { MondayPort } from '../monday/monday.port';
import { HealthRegistry } from '../observability/health-registry';
import type { Logger } from '../observability/logger';
import { SERVICE_LOGGER } from '../observability/observability.tokens';
import { JsforceSalesforceClient } from '../salesforce/jsforce-salesforce.client';
import type { OutboxDispatcherDeps } from './dispatcher';
import { startOutboxDispatch, type OutboxDispatchInput, type RunningOutboxDispatch } from './index';

/**
 * Injection token of which monday items the sync already links (OutboxDispatcherDeps['linkedItems']):
 * the projectors keep the links, and the outbox may not import them, so the composition provides it.
 */
export const OUTBOX_LINKED_ITEMS = Symbol('OUTBOX_LINKED_ITEMS');

/**
 * The dispatcher of a running service as a provider: Nest starts it (LISTEN for outbox inserts, the
 * claim loop, its /health check) when the sync's context boots, and stops it (the batch in flight
 * finishes, leases are given back) before that context closes.
 */
export class OutboxDispatchService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private dispatch: RunningOutboxDispatch | null = null;

  constructor(private readonly input: OutboxDispatchInput) {}

  /** The running dispatch (its dispatcher: tests wait for it to be idle). */
  get running(): RunningOutboxDispatch {
    if (!this.dispatch) throw new Error('the outbox dispatcher has not started (its Nest context is not initialised)');
    return this.dispatch;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.dispatch = await startOutboxDispatch(this.input);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.dispatch?.stop();
    this.dispatch = null;
  }
}

/**
 * The outbox of a running service: its dispatcher (OutboxDispatchService), built from the context's
 * configuration, pool, CRM clients, resolved mapping, health registry and OUTBOX_LINKED_ITEMS.
 */
@Module({})
export class OutboxModule {
  static forSync(): DynamicModule {
    return {
      module: OutboxModule,
      providers: [
        {
          provide: OutboxDispatchService,
          inject: [APP_CONFIG, DATABASE_URL, DATABASE_POOL, SERVICE_LOGGER, JsforceSalesforceClient, MONDAY_CLIENT, RESOLVED_MAPPING, OUTBOX_LINKED_ITEMS, HealthRegistry],
          useFactory: (
            config: AppConfig,
            databaseUrl: string,
            pool: Pool,
            logger: Logger,
            salesforce: JsforceSalesforceClient,
            monday: MondayPort,
            mapping: ResolvedMapping,
            linkedItems: OutboxDispatcherDeps['linkedItems'],
            health: HealthRegistry,
          ) => new OutboxDispatchService({ config, databaseUrl, pool, logger, salesforce, monday, mapping, linkedItems, health }),
        },
      ],
      exports: [OutboxDispatchService],
    };
  }
}
