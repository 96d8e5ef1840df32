import { Module, type DynamicModule } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import type { BatchingAppender } from '../event-store';
import { MondayWebhookIngest } from './monday/monday-webhook.ingest';
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
 * The Salesforce CDC subscriber is SalesforceCdcModule (salesforce/salesforce-cdc.module.ts), in the sync's context.
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
}
