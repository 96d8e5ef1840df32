import type { HealthReport } from '../../observability/health-registry';
import type { OutboxStatus } from '../../outbox/dead-letters';
import type { Incident } from '../../alerts/incident-tracker';
import type { MondayApiUsage } from '../../monday/monday.port';
import type { ApiUsage } from '../../salesforce/salesforce.port';
import type { PipelineLag, UsageSample } from '../console-queries';
import { html, prettyJson, type SafeHtml } from '../html';
import { ago, status } from './layout';
import { usageChart } from './usage-chart';

export interface OverviewData {
  health: HealthReport;
  lag: PipelineLag;
  outbox: OutboxStatus;
  parkedEvents: number;
  incidents: Incident[];
  salesforce: { usage: ApiUsage | null; floor: number | null; samples: UsageSample[] } | null;
  monday: { usage: MondayApiUsage | null; samples: UsageSample[] } | null;
}

/** Health check names in words an operator uses. */
const PARTS: Record<string, string> = {
  database: 'Database',
  event_notifications: 'LISTEN (new-event notifications)',
  salesforce: 'Salesforce session',
  salesforce_cdc: 'Salesforce change capture (CDC channels)',
  projectors: 'Projector (decides what to sync)',
  outbox_dispatcher: 'Dispatcher (writes to the CRMs)',
  parked_events: 'Parked events',
};

export function overviewView(data: OverviewData): SafeHtml {
  const { health, lag, outbox } = data;
  const now = Date.now();
  return html`<div id="overview" data-refresh="15">
<section>
  <h2>Health</h2>
  <p>${status(health.status === 'ok', health.status === 'ok' ? 'Everything works: changes made now will be synced' : 'Something needs attention')}</p>
  <table><thead><tr><th>Part</th><th>State</th><th>Detail</th></tr></thead><tbody>
  ${Object.entries(health.checks).map(
    ([name, check]) => html`<tr><td>${PARTS[name] ?? name}</td><td>${status(check.ok)}</td><td>${check.detail === undefined ? '' : html`<details><summary>detail</summary><pre>${prettyJson(check.detail)}</pre></details>`}</td></tr>`,
  )}
  </tbody></table>
  ${data.incidents.length > 0 ? html`<h3>Open incidents</h3><ul class="incidents">${data.incidents.map((i) => html`<li class="${i.severity}"><strong>${i.title}</strong><br>What to do: ${i.action}</li>`)}</ul>` : ''}
</section>
<section>
  <h2>Lag</h2>
  <table><tbody>
    <tr><th>Newest event</th><td>${lag.newestPosition ?? 'none yet'} (${ago(lag.newestRecordedAt, now)})</td></tr>
    <tr><th>Projector checkpoint</th><td>${lag.checkpointPosition ?? 'not started'} (${ago(lag.checkpointUpdatedAt, now)})</td></tr>
    <tr><th>Events waiting for the projector</th><td id="events-behind">${lag.eventsBehind}</td></tr>
  </tbody></table>
  <table><thead><tr><th>CDC channel</th><th>Replay id</th><th>Last change captured</th></tr></thead><tbody>
  ${lag.cdcChannels.length === 0 ? html`<tr><td colspan="3" class="muted">No CDC position stored yet</td></tr>` : ''}
  ${lag.cdcChannels.map((c) => html`<tr><td>${c.channel}</td><td>${c.replayId}</td><td>${ago(c.lastCommitAt ?? c.updatedAt, now)}</td></tr>`)}
  </tbody></table>
</section>
<section>
  <h2>Outbox</h2>
  <table><tbody>
    <tr><th>Writes waiting</th><td>${outbox.counts.pending} (oldest ${outbox.oldestPendingAgeSeconds === null ? '-' : `${outbox.oldestPendingAgeSeconds} s`})</td></tr>
    <tr><th>Writes in flight</th><td>${outbox.counts.in_flight}</td></tr>
    <tr><th>Dead letters</th><td><a href="/console/dead-letters">${outbox.deadLetters}</a></td></tr>
    <tr><th>Parked events</th><td><a href="/console/parked-events">${data.parkedEvents}</a></td></tr>
  </tbody></table>
</section>
<section>
  <h2>API budgets</h2>
  ${data.salesforce ? salesforceBudget(data.salesforce) : html`<p class="muted">Salesforce: the sync is not running.</p>`}
  ${data.monday ? mondayBudget(data.monday) : html`<p class="muted">monday: the sync is not running.</p>`}
</section>
</div>`;
}

function salesforceBudget(sf: NonNullable<OverviewData['salesforce']>): SafeHtml {
  const u = sf.usage;
  return html`<h3>Salesforce</h3>
<p>${u ? html`${u.used} of ${u.limit} requests used in the org's rolling 24 hours, ${u.remaining} left; backfills pause below ${sf.floor ?? '-'}.` : 'No answer from Salesforce yet.'}</p>
${usageChart('Salesforce requests', sf.samples)}`;
}

function mondayBudget(md: NonNullable<OverviewData['monday']>): SafeHtml {
  const u = md.usage;
  return html`<h3>monday</h3>
<p>${u ? html`${u.callsToday} calls by this instance since 00:00 UTC; complexity left this minute: ${u.complexityRemaining ?? 'unknown'}.${u.dailyLimitReachedUntil ? html` <strong class="bad">Daily limit reached until ${new Date(u.dailyLimitReachedUntil).toISOString()}.</strong>` : ''}` : 'No count yet.'}</p>
${usageChart('monday calls', md.samples)}`;
}
