import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { Mapping } from '../../mapping';
import { createChangeEventStream, type JsforceSalesforceClient } from '../../salesforce';
import { mergeFollowUp } from './merge-follow-up';
import { SalesforceCdcIngest } from './salesforce-cdc.ingest';

export interface CdcSubscriberOptions {
  pool: Pool;
  databaseUrl: string;
  salesforce: JsforceSalesforceClient;
  mapping: Mapping;
  clientName: string;
  logger: Logger;
}

/**
 * The Salesforce CDC subscriber of a running service: one channel per mapped object, the follow-up
 * of deletes that were merges. Nest subscribes it (on the instance that gets the lock) when the
 * sync's context boots and unsubscribes it, releasing the lock, before that context closes.
 */
export class CdcSubscriber implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly ingest: SalesforceCdcIngest;

  constructor(options: CdcSubscriberOptions) {
    const { pool, salesforce, mapping, logger } = options;
    this.ingest = new SalesforceCdcIngest(
      pool,
      options.databaseUrl,
      createChangeEventStream(salesforce),
      mapping.objects.map((o) => o.salesforce),
      options.clientName,
      logger.child({ component: 'salesforce-cdc' }),
      { afterStore: mergeFollowUp(pool, salesforce, mapping, logger.child({ component: 'salesforce-merges' })) },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ingest.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.ingest.stop();
  }
}
