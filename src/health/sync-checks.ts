import type { Pool } from 'pg';
import type { SubscriptionRunner } from '../event-store';
import type { SalesforceCdcIngest } from '../ingest/salesforce/salesforce-cdc.ingest';
import { countPendingCatchUps } from '../ingest/salesforce/catch-up-queue';
import { SYNC_PROJECTOR } from '../sync-projector/sync-projector';
import type { JsforceSalesforceClient, SalesforceHealth } from '../salesforce';
import type { CheckResult, HealthRegistry } from '../observability/health-registry';

interface HealthDeps {
  pool: Pool;
  health: HealthRegistry;
}

/** The sync's /health checks (exported for tests that drive them with a real database). */
export function registerHealth(
  runtime: HealthDeps,
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
    const pendingCatchUps = await countPendingCatchUps(runtime.pool);
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
async function standbyCheck(runtime: Pick<HealthDeps, 'pool'>, name: string): Promise<{ ok: boolean; detail: { leader: false; standby: boolean; reason?: string } }> {
  const { rows } = await runtime.pool.query<{ held: boolean }>(
    // Advisory locks belong to one database, but pg_locks lists the whole server's.
    `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND classid::int = hashtext('crm-sync') AND objid::int = hashtext($1)) AS held`,
    [name],
  );
  return rows[0]?.held
    ? { ok: true, detail: { leader: false, standby: true } }
    : { ok: false, detail: { leader: false, standby: false, reason: 'no instance holds this role yet (starting)' } };
}

