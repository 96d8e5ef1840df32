import type { BackfillProgress } from '../../migration/backfill-progress';
import type { ReconcileRun } from '../reconcile-runs';
import { html, type SafeHtml } from '../html';
import { actionButton, ago, type PageContext } from './layout';

export function runsView(page: PageContext, backfills: readonly BackfillProgress[], objects: readonly string[], reconciles: readonly ReconcileRun[], syncRunning: boolean): SafeHtml {
  return html`<div id="runs"${reconciles.some((r) => r.status === 'running') ? html` data-refresh="3"` : ''}>
<h2>Backfill runs</h2>
<table><thead><tr><th>Object</th><th>Status</th><th>Progress</th><th>Snapshots added</th><th>Started</th><th>Note</th></tr></thead><tbody>
${backfills.length === 0 ? html`<tr><td colspan="6" class="muted">No backfill has run yet (<code>crm-sync backfill</code>, or the mapping's backfill.schedule).</td></tr>` : ''}
${backfills.map(
  (b) => html`<tr><td>${b.objectKey}</td><td>${b.status}</td><td>${b.total ? html`<progress max="${b.total}" value="${b.recordsRead}"></progress> ${b.recordsRead} of ${b.total}` : `${b.recordsRead} read`}</td>
<td>${b.eventsAppended}</td><td>${ago(b.startedAt)}</td><td>${b.reason ?? ''}</td></tr>`,
)}
</tbody></table>
<h2>Reconcile</h2>
<p>Compares both CRMs through the mapping and repairs drift through the normal pipeline (<code>crm-sync reconcile --fix --object …</code>). Drift a person must decide is reported, not changed.</p>
${syncRunning
  ? html`<div class="buttons">${objects.map((o) => actionButton(page, '/console/runs/reconcile', `Reconcile and fix ${o}`, { object: o }, { confirm: `Compare ${o} on both sides and repair the drift?` }))}</div>`
  : html`<p class="muted">The sync is not running here, so reconcile cannot run from the console.</p>`}
<table><thead><tr><th>Object</th><th>Started</th><th>Instance</th><th>Status</th><th>Drift found</th><th>Repairs appended</th></tr></thead><tbody>
${reconciles.length === 0 ? html`<tr><td colspan="6" class="muted">No reconcile from the console yet.</td></tr>` : ''}
${reconciles.map(
  (r) => html`<tr data-reconcile-run="${r.id}"><td>${r.objectKey}</td><td>${ago(r.startedAt)}</td><td>${r.startedBy}</td><td>${r.status}${r.error ? html`: ${r.error}` : ''}</td>
<td>${r.summary ? html`${r.summary.driftCount}${r.summary.drifts.slice(0, 20).map((d) => html`<div class="muted">${d.kind} ${JSON.stringify(d).slice(0, 160)}</div>`)}` : ''}</td>
<td>${r.summary?.eventsAppended ?? ''}</td></tr>`,
)}
</tbody></table></div>`;
}
