import { NestFactory } from '@nestjs/core';
import type { OperatorAlertOptions } from '../alerts';
import { appendEvent, type SubscriptionRunner } from '../event-store';
import { CdcSubscriber } from '../ingest/salesforce/cdc-subscriber';
import type { SalesforceCdcIngest } from '../ingest/salesforce/salesforce-cdc.ingest';
import { formatProblem, MappingError, validateAgainstLive, type Mapping } from '../mapping';
import type { MigrationScheduleOptions } from '../migration/backfill.scheduler';
import { readLiveContext } from '../migration/read-live-context';
import { UserDirectoryRefreshService } from '../migration/user-directory-refresh';
import { userDirectoryChangedEvent, userListChanges } from '../migration/user-directory-changes';
import { OutboxDispatchService } from '../outbox/outbox.module';
import type { RunningOutboxDispatch } from '../outbox';
import { activePersonalData } from '../personal-data/active';
import { personalFieldPolicy } from '../personal-data/personal-fields';
import { buildSyncContext } from '../sync-projector/build-sync-context';
import { LinkIndex } from '../sync-projector/link-index';
import type { SyncContext } from '../sync-projector/sync-context';
import { loadCachedContext, saveCachedContext } from '../sync-projector/sync-context-cache';
import { SyncProjectorService } from '../sync-projector/sync-projector-service';
import { loadLinks } from '../sync-projector/sync-records.repository';
import { retryAtStart } from './retry-at-start';
import type { ServiceRuntime } from './service-runtime';
import { SyncModule, type SyncClients, type SyncParts } from './sync.module';

export type { SyncClients } from './sync.module';

export interface SyncEngine {
  context: SyncContext;
  projector: SubscriptionRunner;
  cdc: SalesforceCdcIngest;
  outbox: RunningOutboxDispatch;
  /** The user lists read again (every USER_DIRECTORY_REFRESH_MINUTES, or now). */
  userDirectory: { refreshNow(): Promise<boolean> };
  stop(): Promise<void>;
}

/**
 * The sync itself, on top of the HTTP service: learns who "we" are on each side and binds the
 * mapping to the live schemas (every problem reported at once; transient CRM errors retried for up
 * to 2 minutes while HTTP already answers), then builds the sync's Nest context (SyncModule), whose
 * bootstrap hooks start the dispatcher, the projector, the CDC ingest and the schedules, each on one
 * instance at a time. `stop` closes that context: its shutdown hooks stop them in reverse order.
 */
export async function startSyncEngine(runtime: ServiceRuntime, mapping: Mapping, clients: SyncClients, options: { alerts?: OperatorAlertOptions; schedules?: MigrationScheduleOptions } = {}): Promise<SyncEngine> {
  const prepared = await prepareSync(runtime, mapping, clients);
  const sync = await NestFactory.createApplicationContext(SyncModule.forRoot({ runtime, mapping, clients, ...prepared, ...options }), { abortOnError: false });
  return {
    context: prepared.context,
    projector: sync.get(SyncProjectorService).runner,
    cdc: sync.get(CdcSubscriber).ingest,
    outbox: sync.get(OutboxDispatchService).running,
    userDirectory: sync.get(UserDirectoryRefreshService),
    stop: () => sync.close(),
  };
}

async function prepareSync(runtime: ServiceRuntime, mapping: Mapping, clients: SyncClients): Promise<Pick<SyncParts, 'cached' | 'links' | 'context'>> {
  const { pool, logger, config } = runtime;
  const [me, sfIdentity] = await Promise.all([
    retryAtStart('reading the monday integration user', () => clients.monday.me(), logger),
    retryAtStart('reading the Salesforce integration user', () => clients.salesforce.identity(), logger),
  ]);
  runtime.identity.mondayUserId = Number(me.id);
  runtime.identity.salesforceUserId = sfIdentity.userId;
  logger.info({ mondayUserId: me.id, salesforceUserId: sfIdentity.userId }, 'integration users identified (their changes are own echoes)');

  const cached = await retryAtStart('reading the live schemas (monday boards, Salesforce describe)', () => readLiveContext(mapping, clients.salesforce, clients.monday), logger);
  const problems = validateAgainstLive(mapping, cached.live);
  for (const problem of problems.filter((p) => p.severity !== 'error')) logger.warn(formatProblem(problem, config.syncConfigPath));
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new MappingError(config.syncConfigPath, errors);
  const before = await loadCachedContext(pool);
  await saveCachedContext(pool, cached);
  // Users added while no instance read the lists: the values waiting for them are converted again.
  const usersAdded = before && userDirectoryChangedEvent(userListChanges(before, cached), cached, 'start', new Date());
  if (usersAdded) await appendEvent(pool, usersAdded);
  const personalData = activePersonalData();
  if (personalData) personalData.policy = personalFieldPolicy(mapping);

  const links = new LinkIndex();
  for (const link of await loadLinks(pool)) links.add(link.objectKey, link.salesforceId, link.itemId);
  return { cached, links, context: buildSyncContext(mapping, cached, links) };
}
