import { Module, type DynamicModule } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { AppConfig } from '../../config';
import { APP_CONFIG } from '../../config/config.tokens';
import { DATABASE_POOL } from '../../database/database.module';
import { DATABASE_URL } from '../../database/database.tokens';
import type { Mapping } from '../../mapping';
import { SYNC_MAPPING } from '../../mapping/mapping.module';
import { SERVICE_LOGGER } from '../../observability/observability.tokens';
import { JsforceSalesforceClient } from '../../salesforce/jsforce-salesforce.client';
import { CdcSubscriber } from './cdc-subscriber';

/**
 * The Salesforce CDC subscriber, for the sync's context (started once the mapping is bound to the
 * live schemas, after HTTP listens; see src/app/sync.module.ts), from the context's pool, Salesforce
 * client and mapping. A module of its own, apart from IngestModule (the webhook intake the HTTP app
 * composes), so the HTTP app's module graph does not load the Salesforce client (jsforce, ~10 MiB)
 * or the mapping loader: only the sync's context, which needs them, does.
 */
@Module({})
export class SalesforceCdcModule {
  static forSync(): DynamicModule {
    return {
      module: SalesforceCdcModule,
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
