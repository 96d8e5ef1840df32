import { SalesforceCdcIngest } from '../ingest/salesforce/salesforce-cdc.ingest';
import { mergeFollowUp } from '../ingest/salesforce/merge-follow-up';
import { LeaderLock, SubscriptionRunner } from '../event-store';
import { formatProblem, MappingError, validateAgainstLive, type Mapping } from '../mapping';
import type { MondayPort } from '../monday';
import { LinkIndex } from '../projectors/link-index';
import { resolveMapping } from '../projectors/resolved-mapping';
import type { SyncContext } from '../projectors/sync-context';
import { saveCachedContext, type CachedContext } from '../projectors/sync-context-cache';
import { SyncProjector, SYNC_PROJECTOR } from '../projectors/sync-projector';
import { loadLinks } from '../projectors/sync-records.repository';
import { EmailUserDirectory } from '../projectors/user-directory';
import { startMigrationSchedules } from '../migration/backfill.scheduler';
import { startScheduledReconcile, type ScheduledReconcile } from '../migration/reconcile-schedule';
import { createDriftAlerts } from '../alerts';
import { activePersonalData } from '../personal-data/active';
import { personalFieldPolicy } from '../personal-data/personal-fields';
import { createParkedEventAlerts } from '../alerts/parked-event-alert';
import { ParkedEventsMonitor } from '../projectors/parked-events-monitor';
import { startOutboxDispatch, type RunningOutboxDispatch } from '../outbox';
import type { CheckResult } from '../health/health-registry';
import { COUNT_PENDING_CATCH_UPS_SQL } from '../migration/catch-up-requests';
import { createChangeEventStream, type JsforceSalesforceClient, type SalesforceHealth } from '../salesforce';
import { bindOperatorParts, type OperatorAlertOptions } from './operator-wiring';
import { readLiveContext } from './read-live-context';
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
export async function startSyncEngine(runtime: ServiceRuntime, mapping: Mapping, clients: SyncClients, options: { alerts?: OperatorAlertOptions } = {}): Promise<SyncEngine> {
  const { pool, logger, config } = runtime;
  const [me, sfIdentity] = await Promise.all([clients.monday.me(), clients.salesforce.identity()]);
  runtime.identity.mondayUserId = Number(me.id);
  runtime.identity.salesforceUserId = sfIdentity.userId;
  logger.info({ mondayUserId: me.id, salesforceUserId: sfIdentity.userId }, 'integration users identified (their changes are own echoes)');

  const cached = await readLiveContext(mapping, clients.salesforce, clients.monday);
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
  });
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
    { schedule, fix, databaseUrl: runtime.databaseUrl, logger, alerts: createDriftAlerts(runtime.config, logger) },
  );
}

export function buildSyncContext(mapping: Mapping, cached: CachedContext, links: LinkIndex): SyncContext {
  return {
    mapping: resolveMapping(mapping, cached.live),
    links,
    users: new EmailUserDirectory(cached.salesforceUsers, cached.mondayUsers),
  };
}

/** The sync's /health checks (exported for tests that drive them with a real database). */
export function registerHealth(
  runtime: Pick<ServiceRuntime, 'pool' | 'health'>,
  projector: Pick<SubscriptionRunner, 'status'>,
  cdc: Pick<SalesforceCdcIngest, 'isLeader' | 'states' | 'channels'>,
  salesforce: Pick<JsforceSalesforceClient, 'health'>,
): void {
  runtime.health.register('salesforce', () => salesforceCheck(salesforce.health()));
  runtime.health.register('projectors', async () => {
    const status = projector.status();
    if (!status.running) return { ok: false, detail: 'sync projector is not running' };
    if (status.leader) return { ok: !status.lastError, detail: { leader: true, lastError: status.lastError, eventsHandled: status.eventsHandled } };
    return standbyCheck(runtime, `projector:${SYNC_PROJECTOR}`);
  });
  runtime.health.register('salesforce_cdc', async () => {
    const pendingCatchUps = await countPendingCatchUps(runtime);
    if (!cdc.isLeader()) {
      const standby = await standbyCheck(runtime, 'salesforce-cdc');
      return { ok: standby.ok, detail: { ...standby.detail, pendingCatchUps } };
    }
    const channels = cdc.states().map((s) => ({
      channel: s.channel,
      status: s.status,
      reason: s.reason,
      lastEventAgeSeconds: s.lastEventAt ? Math.round((Date.now() - s.lastEventAt) / 1000) : null,
    }));
    const ok = channels.length === cdc.channels.length && channels.every((c) => c.status === 'subscribed');
    return { ok, detail: { channels, pendingCatchUps } };
  });
}

/**
 * The Salesforce session and the org's daily API usage. Unhealthy once the bounded session refresh
 * gave up (nothing reaches Salesforce until it recovers). An exhausted allocation is shown but does
 * not fail the check: changes are still caught (CDC does not spend it) and the outbox retries the
 * writes when the allocation rolls over, so a restart by an orchestrator could not help.
 */
export function salesforceCheck(health: SalesforceHealth): CheckResult {
  const usage = health.apiUsage;
  return {
    ok: health.healthy,
    detail: {
      session: health.healthy ? 'ok' : 'refresh gave up',
      reason: health.reason,
      apiUsage: usage,
      rateLimited: usage !== null && usage.remaining === 0,
    },
  };
}

/**
 * Another instance may hold the role: healthy if someone does (the lock is visible in pg_locks).
 * The detail is always an object, so a caller can add to it.
 */
async function standbyCheck(runtime: Pick<ServiceRuntime, 'pool'>, name: string): Promise<{ ok: boolean; detail: { leader: false; standby: boolean; reason?: string } }> {
  const { rows } = await runtime.pool.query<{ held: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
       AND classid::int = hashtext('crm-sync') AND objid::int = hashtext($1)) AS held`,
    [name],
  );
  return rows[0]?.held
    ? { ok: true, detail: { leader: false, standby: true } }
    : { ok: false, detail: { leader: false, standby: false, reason: 'no instance holds this role yet (starting)' } };
}

/** Catch-up requests recorded after a CDC gap that no backfill has served yet. */
async function countPendingCatchUps(runtime: Pick<ServiceRuntime, 'pool'>): Promise<number> {
  const { rows } = await runtime.pool.query<{ n: number }>(COUNT_PENDING_CATCH_UPS_SQL);
  return rows[0]?.n ?? 0;
}
