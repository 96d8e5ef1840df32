import { SalesforceCdcIngest } from '../ingest/salesforce/salesforce-cdc.ingest';
import { mergeFollowUp } from '../ingest/salesforce/merge-follow-up';
import { LeaderLock, SubscriptionRunner } from '../event-store';
import { formatProblem, MappingError, validateAgainstLive, type Mapping } from '../mapping';
import type { MondayPort } from '../monday';
import { LinkIndex } from '../projectors/link-index';
import type { SyncContext } from '../projectors/sync-context';
import { saveCachedContext } from '../projectors/sync-context-cache';
import { SyncProjector, SYNC_PROJECTOR } from '../projectors/sync-projector';
import { loadLinks } from '../projectors/sync-records.repository';
import { buildSyncContext } from '../projectors/build-sync-context';
import { startMigrationSchedules, type MigrationScheduleOptions } from '../migration/backfill.scheduler';
import { startScheduledReconcile, type ScheduledReconcile } from '../migration/reconcile-schedule';
import { createDriftAlerts } from '../alerts';
import { activePersonalData } from '../personal-data/active';
import { personalFieldPolicy } from '../personal-data/personal-fields';
import { createParkedEventAlerts } from '../alerts/parked-event-alert';
import { ParkedEventsMonitor } from '../projectors/parked-events-monitor';
import { startOutboxDispatch, type RunningOutboxDispatch } from '../outbox';
import { registerHealth } from '../health/sync-checks';
import { createChangeEventStream, type JsforceSalesforceClient } from '../salesforce';
import type { OperatorAlertOptions } from '../alerts';
import { bindOperatorParts } from './operator-wiring';
import { readLiveContext } from '../migration/read-live-context';
import { retryAtStart } from './retry-at-start';
import type { ServiceRuntime } from './service-runtime';

export interface SyncEngine {
  context: SyncContext;
  projector: SubscriptionRunner;
  cdc: SalesforceCdcIngest;
  outbox: RunningOutboxDispatch;
  stop(): Promise<void>;
}

export interface SyncClients {
  salesforce: JsforceSalesforceClient;
  monday: MondayPort;
}

/**
 * The sync itself, on top of the HTTP service: learns who "we" are on each side, binds the mapping
 * to the live schemas (every problem reported at once), and starts the CDC ingest and the sync
 * projector, each on one instance at a time.
 */
export async function startSyncEngine(runtime: ServiceRuntime, mapping: Mapping, clients: SyncClients, options: { alerts?: OperatorAlertOptions; schedules?: MigrationScheduleOptions } = {}): Promise<SyncEngine> {
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
  await saveCachedContext(pool, cached);
  const personalData = activePersonalData();
  if (personalData) personalData.policy = personalFieldPolicy(mapping);

  const links = new LinkIndex();
  for (const link of await loadLinks(pool)) links.add(link.objectKey, link.salesforceId, link.itemId);
  const context = buildSyncContext(mapping, cached, links);

  const parked = new ParkedEventsMonitor(pool, logger.child({ component: 'parked-events' }), createParkedEventAlerts(config, logger));
  const projector = new SubscriptionRunner(
    pool,
    runtime.notifications,
    new SyncProjector(() => context, links),
    new LeaderLock(runtime.databaseUrl, `projector:${SYNC_PROJECTOR}`),
    { onError: (error) => logger.error({ err: error, projector: SYNC_PROJECTOR }, 'sync projector batch failed; retrying'), onParked: parked.onParked },
  );
  projector.start();
  const outbox = await startOutboxDispatch({
    config,
    databaseUrl: runtime.databaseUrl,
    pool,
    logger,
    salesforce: clients.salesforce,
    monday: clients.monday,
    mapping: context.mapping,
    health: runtime.health,
  });

  const cdc = new SalesforceCdcIngest(
    pool,
    runtime.databaseUrl,
    createChangeEventStream(clients.salesforce),
    mapping.objects.map((o) => o.salesforce),
    config.salesforce.clientName,
    logger.child({ component: 'salesforce-cdc' }),
    { afterStore: mergeFollowUp(pool, clients.salesforce, mapping, logger.child({ component: 'salesforce-merges' })) },
  );
  await cdc.start();
  // Scheduled backfills (backfill.schedule), the monday catch-up after webhook outages, and serving
  // CDC gap catch-up requests: each run takes a Postgres lock, so one instance does it.
  const schedules = startMigrationSchedules({
    pool,
    databaseUrl: runtime.databaseUrl,
    salesforce: clients.salesforce,
    monday: clients.monday,
    logger: logger.child({ component: 'migration' }),
    mapping,
    live: async () => cached,
    registry: runtime.scheduler,
  }, options.schedules);
  const reconcileSchedule = startReconcileIfConfigured(runtime, mapping, clients, context);
  registerHealth(runtime, projector, cdc, clients.salesforce);
  runtime.health.register('parked_events', () => parked.check());
  const operator = bindOperatorParts(runtime, { mapping, context, projector, cdc, ...clients }, options.alerts);

  return {
    context,
    projector,
    cdc,
    outbox,
    stop: async () => {
      await operator.stop();
      await reconcileSchedule?.stop();
      await schedules.stop();
      await cdc.stop();
      await projector.stop();
      await outbox.stop();
      await parked.close();
    },
  };
}

/**
 * RECONCILE_SCHEDULE: reconcile on a cron (in the mapping's timeZone) against the running service's
 * context, reporting drift in logs, metrics and alerts, and with RECONCILE_FIX appending the repairs.
 */
function startReconcileIfConfigured(runtime: ServiceRuntime, mapping: Mapping, clients: SyncClients, context: SyncContext): ScheduledReconcile | null {
  const { schedule, fix } = runtime.config.reconcile;
  if (!schedule) return null;
  const logger = runtime.logger.child({ component: 'migration' });
  logger.info({ schedule, fix, timeZone: mapping.timeZone }, fix ? 'scheduled reconcile on: drift is reported and repaired' : 'scheduled reconcile on: drift is reported only (RECONCILE_FIX=false)');
  return startScheduledReconcile(
    { db: runtime.pool, salesforce: clients.salesforce, monday: clients.monday, mapping, context },
    { schedule, fix, databaseUrl: runtime.databaseUrl, logger, alerts: createDriftAlerts(runtime.config, logger), registry: runtime.scheduler },
  );
}
