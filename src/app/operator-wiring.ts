import { createIncidentTracker, startOperationalAlerts, type OperationalSnapshot, type OperatorAlertOptions } from '../alerts';
import { ReconcileRunner, startApiUsageSampler } from '../console';
import { dataQualityServices } from '../data-quality/data-quality.module';
import type { SalesforceCdcIngest } from '../ingest/salesforce/salesforce-cdc.ingest';
import type { SubscriptionRunner } from '../event-store';
import type { Mapping } from '../mapping';
import { COUNT_PENDING_CATCH_UPS_SQL } from '../migration/catch-up-requests';
import { reconcile } from '../migration/reconcile';
import { MondayAccountUsageReader, type MondayPort } from '../monday';
import type { SyncContext } from '../projectors/sync-context';
import type { JsforceSalesforceClient } from '../salesforce';
import type { ServiceRuntime } from './service-runtime';

export interface OperatorParts {
  mapping: Mapping;
  context: SyncContext;
  projector: SubscriptionRunner;
  cdc: SalesforceCdcIngest;
  salesforce: JsforceSalesforceClient;
  monday: MondayPort;
}

/**
 * Lends the running sync to the operator console (mapping, budgets, reconcile), samples API usage
 * for its chart, and watches the parts for the operational alerts (incidents opened once, recovered
 * once). Returns the stop for shutdown.
 */
export function bindOperatorParts(runtime: ServiceRuntime, parts: OperatorParts, options: OperatorAlertOptions = {}): { stop(): Promise<void> } {
  const { pool, logger, config } = runtime;
  const tracker = createIncidentTracker(config, logger.child({ component: 'alerts' }), { telegramBaseUrl: options.telegramBaseUrl, burst: options.rateLimitBurst });
  const salesforceUsage = () => ({ usage: parts.salesforce.apiUsage(), floor: parts.salesforce.apiFloor() });
  const mondayUsage = () => parts.monday.apiUsage?.() ?? null;
  const mondayAccount = watchMondayAccountUsage(runtime, parts.monday, options.mondayUsageRefreshMs);
  runtime.operator.sync = {
    mapping: parts.context.mapping,
    monday: parts.monday,
    salesforceUsage,
    mondayUsage,
    openIncidents: () => tracker.openIncidents(),
    dataQuality: dataQualityServices({ db: pool, salesforce: parts.salesforce, monday: parts.monday, mapping: parts.mapping }),
    reconcileRuns: new ReconcileRunner(pool),
    reconcile: (objectKey, fix) => reconcile({ db: pool, salesforce: parts.salesforce, monday: parts.monday, mapping: parts.mapping, context: parts.context }, { objectKey, fix }),
  };
  const sampler = startApiUsageSampler(pool, { salesforceUsage, mondayUsage }, logger.child({ component: 'api-usage' }), undefined, runtime.scheduler);
  const read = async (): Promise<OperationalSnapshot> => {
    const projector = parts.projector.status();
    const health = parts.salesforce.health();
    const monday = mondayUsage();
    const { rows } = await pool.query<{ n: number }>(COUNT_PENDING_CATCH_UPS_SQL);
    return {
      cdc: { leader: parts.cdc.isLeader(), channels: parts.cdc.states(), pendingCatchUps: rows[0]?.n ?? 0 },
      projector: { running: projector.running, leader: projector.leader, lastError: projector.lastError },
      salesforce: { healthy: health.healthy, reason: health.reason, ...salesforceUsage() },
      monday: monday ? { ...mondayAccount.reader.current(), dailyLimitReachedUntil: monday.dailyLimitReachedUntil } : null,
    };
  };
  const alerts = startOperationalAlerts(tracker, read, logger.child({ component: 'alerts' }), options.checkIntervalMs, runtime.scheduler);
  return {
    stop: async () => {
      runtime.operator.sync = null;
      await alerts.stop();
      await sampler.stop();
      mondayAccount.stop();
    },
  };
}

const MONDAY_USAGE_INTERVAL = 'monday-daily-calls';

/** Reads monday's API analytics now and every `intervalMs` (the interval `monday-daily-calls` in Nest's registry). */
function watchMondayAccountUsage(runtime: ServiceRuntime, monday: MondayPort, intervalMs = 10 * 60_000): { reader: MondayAccountUsageReader; stop(): void } {
  const logger = runtime.logger.child({ component: 'monday-usage' });
  const limit = runtime.config.monday.dailyCallLimit ?? null;
  const reader = new MondayAccountUsageReader(monday, limit, (reason) =>
    logger.info(
      { reason },
      limit === null
        ? "monday's API analytics cannot be read with this token (an account admin's token can): the 80% warning of the daily call limit needs MONDAY_DAILY_CALL_LIMIT, and counts this service's own calls only"
        : "monday's API analytics cannot be read with this token: the daily-limit warning counts this service's own calls only",
    ),
  );
  const refresh = () => void reader.refresh();
  const timer = setInterval(refresh, intervalMs);
  timer.unref();
  runtime.scheduler?.addInterval(MONDAY_USAGE_INTERVAL, timer);
  refresh();
  return {
    reader,
    stop: () => {
      clearInterval(timer);
      if (runtime.scheduler?.doesExist('interval', MONDAY_USAGE_INTERVAL)) runtime.scheduler.deleteInterval(MONDAY_USAGE_INTERVAL);
    },
  };
}
