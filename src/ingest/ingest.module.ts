import { Module, type DynamicModule } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import type { BatchingAppender } from '../event-store';
import { MondayWebhookIngest } from './monday/monday-webhook.ingest';
import { CdcSubscriber } from './salesforce/cdc-subscriber';
import { APP_CONFIG } from '../config/config.tokens';
import { DATABASE_POOL } from '../database/database.module';
import { DATABASE_URL } from '../database/database.tokens';
import type { Mapping } from '../mapping';
import { SYNC_MAPPING } from '../mapping/mapping.module';
import { SERVICE_LOGGER } from '../observability/observability.tokens';
import { JsforceSalesforceClient } from '../salesforce/jsforce-salesforce.client';
import { OwnIdentity } from './own-identity';
import { ServiceLifecycle } from './service-lifecycle';

export interface IngestParts {
  config: AppConfig;
  pool: Pool;
  appender: BatchingAppender;
  identity: OwnIdentity;
  lifecycle: ServiceLifecycle;
  logger: Logger;
}

/**
 * forRoot: the monday webhook intake (a plain Fastify route the app registers over MondayWebhookIngest, see
 * monday-webhook.route.ts), who "we" are (own echoes) and whether the service still takes work.
 */
@Module({})
export class IngestModule {
  static forRoot(parts: IngestParts): DynamicModule {
    const { config } = parts;
    return {
      module: IngestModule,
      providers: [
        { provide: OwnIdentity, useValue: parts.identity },
        { provide: ServiceLifecycle, useValue: parts.lifecycle },
        {
          provide: MondayWebhookIngest,
          useFactory: () =>
            new MondayWebhookIngest(
              parts.appender,
              parts.pool,
              {
                signingSecret: config.monday.signingSecret,
                webhookToken: config.monday.webhookToken,
                expectedAudience: config.http.publicUrl ? new URL('/webhooks/monday', config.http.publicUrl).toString() : null,
              },
              parts.identity,
              parts.lifecycle,
              parts.logger.child({ component: 'monday-webhook' }),
            ),
        },
      ],
      exports: [MondayWebhookIngest, OwnIdentity, ServiceLifecycle],
    };
  }

  /**
   * The Salesforce CDC subscriber, for the sync's context (started once the mapping is bound to the
   * live schemas, after HTTP listens; see src/app/sync.module.ts), from the context's pool,
   * Salesforce client and mapping.
   */
  static forSalesforceCdc(): DynamicModule {
    return {
      module: IngestModule,
      providers: [
        {
          provide: CdcSubscriber,
          inject: [APP_CONFIG, DATABASE_URL, DATABASE_POOL, SERVICE_LOGGER, JsforceSalesforceClient, SYNC_MAPPING],
          useFactory: (config: AppConfig, databaseUrl: string, pool: Pool, logger: Logger, salesforce: JsforceSalesforceClient, mapping: Mapping) =>
            new CdcSubscriber({ pool, databaseUrl, salesforce, mapping, clientName: config.salesforce.clientName, logger }),
        },
      ],
      exports: [CdcSubscriber],
    };
  }
}
