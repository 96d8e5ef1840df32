import type { Incident } from './incident-tracker';

/** What the service knows about its own parts at one moment; null: that part does not run here. */
export interface OperationalSnapshot {
  cdc: { leader: boolean; channels: ReadonlyArray<{ channel: string; status: string; reason: string | null; message: string | null }>; pendingCatchUps: number } | null;
  projector: { running: boolean; leader: boolean; lastError: string | null } | null;
  salesforce: { healthy: boolean; reason: string | null; usage: { used: number; limit: number; remaining: number } | null; floor: number | null } | null;
  /** scope: whether callsToday counts the whole account (monday's API analytics) or this process only. */
  monday: { callsToday: number; scope?: 'account' | 'this-process'; dailyLimitReachedUntil: number | null; dailyCallLimit: number | null } | null;
}

/** Share of the daily allocation at which a warning goes out before the floor is reached. */
export const BUDGET_WARNING_SHARE = 0.8;

/** The incidents a snapshot shows (pure: the tracker decides what is new and what recovered). */
export function currentIncidents(snapshot: OperationalSnapshot): Incident[] {
  return [...cdcIncidents(snapshot.cdc), ...projectorIncidents(snapshot.projector), ...salesforceIncidents(snapshot.salesforce), ...mondayIncidents(snapshot.monday)];
}

function cdcIncidents(cdc: OperationalSnapshot['cdc']): Incident[] {
  if (!cdc) return [];
  const incidents: Incident[] = [];
  if (cdc.leader) {
    for (const c of cdc.channels.filter((c) => c.status === 'failed' || c.status === 'closed')) {
      incidents.push({
        key: `cdc:${c.channel}:stopped`,
        severity: 'critical',
        title: `Salesforce change capture stopped on ${c.channel}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}; Salesforce changes are not being received`,
        action:
          c.reason === 'auth_failed'
            ? 'fix the Salesforce credentials (see the session alert), then restart crm-sync; missed changes are replayed from the stored position'
            : 'check that Change Data Capture is enabled for this object and the integration user may read it (Setup > Change Data Capture), then restart crm-sync',
      });
    }
  }
  const replayLost = cdc.channels.filter((c) => c.reason === 'replay_id_invalid').map((c) => c.channel);
  if (cdc.pendingCatchUps > 0 || replayLost.length > 0) {
    incidents.push({
      key: 'cdc:replay-position-lost',
      severity: 'warning',
      title: `Salesforce change capture lost its replay position${replayLost.length ? ` on ${replayLost.join(', ')}` : ''}; ${cdc.pendingCatchUps} catch-up(s) pending`,
      action: 'nothing if it recovers within minutes (a targeted backfill reads the gap again); if it stays, run `crm-sync backfill` for the objects named in the console Backfill panel',
    });
  }
  return incidents;
}

function projectorIncidents(projector: OperationalSnapshot['projector']): Incident[] {
  if (!projector?.running || !projector.leader || !projector.lastError) return [];
  return [
    {
      key: 'projector:sync:error',
      severity: 'critical',
      title: `The sync projector is stopped on an error and nothing is synced until it passes: ${projector.lastError}`,
      action: 'open the console Overview (lag) and the logs for the failing event; fix the mapping or the data it names; the projector retries by itself',
    },
  ];
}

function salesforceIncidents(salesforce: OperationalSnapshot['salesforce']): Incident[] {
  if (!salesforce) return [];
  const incidents: Incident[] = [];
  if (!salesforce.healthy) {
    incidents.push({
      key: 'salesforce:session',
      severity: 'critical',
      title: `The Salesforce session cannot be refreshed${salesforce.reason ? `: ${salesforce.reason}` : ''}; nothing reaches Salesforce`,
      action: "check the connected app's credentials (SALESFORCE_CLIENT_SECRET, private key or refresh token) and that the integration user is active and not locked, then restart crm-sync",
    });
  }
  const usage = salesforce.usage;
  if (usage && salesforce.floor !== null && usage.remaining < salesforce.floor) {
    incidents.push({
      key: 'salesforce:api-budget:floor',
      severity: 'critical',
      title: `Salesforce API budget below its floor: ${usage.remaining} of ${usage.limit} daily requests left (floor ${salesforce.floor}); backfills and reconciles are paused`,
      action: 'find what else spends the org\'s API requests (Setup > System Overview), or ask Salesforce for a larger allocation; real-time sync continues until the allocation runs out',
    });
  }
  if (usage && usage.used >= BUDGET_WARNING_SHARE * usage.limit) {
    incidents.push({
      key: 'salesforce:api-budget:80',
      severity: 'warning',
      title: `Salesforce API usage at ${Math.round((100 * usage.used) / usage.limit)}% of the daily allocation (${usage.used} of ${usage.limit})`,
      action: 'postpone large backfills or reconciles, and check Setup > System Overview for other integrations spending requests',
    });
  }
  return incidents;
}

function mondayIncidents(monday: OperationalSnapshot['monday']): Incident[] {
  if (!monday) return [];
  const incidents: Incident[] = [];
  if (monday.dailyLimitReachedUntil !== null) {
    incidents.push({
      key: 'monday:api-budget:floor',
      severity: 'critical',
      title: `monday refuses calls: the account's daily call limit is reached until ${new Date(monday.dailyLimitReachedUntil).toISOString()}; changes to monday wait`,
      action: "writes resume by themselves after the reset (00:00 UTC); to avoid it, stop other apps spending the account's calls or upgrade the monday plan",
    });
  }
  if (monday.dailyCallLimit !== null && monday.callsToday >= BUDGET_WARNING_SHARE * monday.dailyCallLimit) {
    incidents.push({
      key: 'monday:api-budget:80',
      severity: 'warning',
      title: `monday calls today at ${Math.round((100 * monday.callsToday) / monday.dailyCallLimit)}% of the daily limit (${monday.callsToday} of ${monday.dailyCallLimit}${monday.scope === 'this-process' ? ", this service's calls only" : ''})`,
      action: "postpone large backfills or reconciles until after 00:00 UTC, and find what else spends the account's calls (Administration > Usage stats > API); an Enterprise account can buy a daily-limit add-on",
    });
  }
  return incidents;
}
