import type { Incident } from '../alerts';
import type { OperationalSnapshotSource } from '../alerts/operational-alerts.service';
import { ReconcileRunner } from '../console';
import { dataQualityServices } from '../data-quality/data-quality.module';
import type { SalesforceCdcIngest } from '../ingest/salesforce/salesforce-cdc.ingest';
import type { SubscriptionRunner } from '../event-store';
import type { Mapping } from '../mapping';
import { countPendingCatchUps } from '../ingest/salesforce/catch-up-queue';
import { reconcile } from '../migration/reconcile';
import { MondayAccountUsageReader, type MondayPort } from '../monday';
import type { SyncContext } from '../sync-projector/sync-context';
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

/** Each CRM's API usage as its client last saw it (the console's budgets, the sampler, the alerts). */
export function apiUsageOf(parts: Pick<OperatorParts, 'salesforce' | 'monday'>) {
  return {
    salesforceUsage: () => ({ usage: parts.salesforce.apiUsage(), floor: parts.salesforce.apiFloor() }),
    mondayUsage: () => parts.monday.apiUsage?.() ?? null,
  };
}

/**
 * Lends the running sync to the operator console (mapping, budgets, open incidents, reconcile).
 * Returns the way to take it back at shutdown.
 */
export function lendToConsole(runtime: ServiceRuntime, parts: OperatorParts, openIncidents: () => Incident[]): { stop(): void } {
  const { pool } = runtime;
  runtime.operator.sync = {
    mapping: parts.context.mapping,
    monday: parts.monday,
    ...apiUsageOf(parts),
    openIncidents,
    dataQuality: dataQualityServices({ db: pool, salesforce: parts.salesforce, monday: parts.monday, mapping: parts.mapping }),
    reconcileRuns: new ReconcileRunner(pool),
    reconcile: (objectKey, fix) => reconcile({ db: pool, salesforce: parts.salesforce, monday: parts.monday, mapping: parts.mapping, context: parts.context }, { objectKey, fix }),
  };
  return {
    stop: () => {
      runtime.operator.sync = null;
    },
  };
}

/** What the operational alerts read every check: CDC, projector, Salesforce session and both budgets. */
export function operationalSnapshotSource(runtime: ServiceRuntime, parts: OperatorParts, mondayUsageRefreshMs?: number): OperationalSnapshotSource {
  const { salesforceUsage, mondayUsage } = apiUsageOf(parts);
  const mondayAccount = watchMondayAccountUsage(runtime, parts.monday, mondayUsageRefreshMs);
  return {
    read: async () => {
      const projector = parts.projector.status();
      const health = parts.salesforce.health();
      const monday = mondayUsage();
      const pendingCatchUps = await countPendingCatchUps(runtime.pool);
      return {
        cdc: { leader: parts.cdc.isLeader(), channels: parts.cdc.states(), pendingCatchUps },
        projector: { running: projector.running, leader: projector.leader, lastError: projector.lastError },
        salesforce: { healthy: health.healthy, reason: health.reason, ...salesforceUsage() },
        monday: monday ? { ...mondayAccount.reader.current(), dailyLimitReachedUntil: monday.dailyLimitReachedUntil } : null,
      };
    },
    stop: () => mondayAccount.stop(),
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
