import type { ParkedEvent } from '../../event-store/parked-events';
import { salesforceFieldsOf } from '../../mapping/mapping.types';
import type { ResolvedMapping } from '../../mapping/resolved-mapping';
import { html, prettyJson, seg, type SafeHtml } from '../html';
import { actionButton, type PageContext } from './layout';

/** The mapping as the running service bound it to the live schemas. */
export function mappingView(mapping: ResolvedMapping | null): SafeHtml {
  if (!mapping) return html`<p class="muted">The sync is not running here, so no mapping is bound yet.</p>`;
  return html`<p>Time zone for dates meeting date-times: ${mapping.mapping.timeZone}.</p>
${mapping.objects.map(
  (o) => html`<section><h2>${o.mapping.key}: Salesforce ${o.salesforce.name} ⇄ monday board “${o.board.name}” (${o.board.id})</h2>
<p>Item name ← ${o.mapping.name}. Creates: to Salesforce ${policy(o.mapping.create.salesforce)}, to monday ${policy(o.mapping.create.monday)}. Deletes: ${o.mapping.delete}. Match before create on: ${o.mapping.match.join(', ') || 'nothing'}.</p>
<table><thead><tr><th>Salesforce field</th><th>monday column</th><th>Converter</th><th>Authority</th><th>Values</th></tr></thead><tbody>
${o.fields.map(
  (f) => html`<tr><td>${salesforceFieldsOf(f.mapping).join(' + ')}${f.salesforceUpdateable ? '' : html` <span class="muted">(read-only)</span>`}</td>
<td>${f.column.title} <span class="muted">${f.column.id} · ${f.column.type}</span></td><td><code>${f.converter.pair}</code></td><td>${f.mapping.authority}</td>
<td>${Object.keys(f.mapping.values).length ? Object.entries(f.mapping.values).map(([sf, md]) => html`<div>${sf} → ${md}</div>`) : ''}</td></tr>`,
)}
</tbody></table></section>`,
)}`;
}

function policy(value: unknown): string {
  if (value === true) return 'always';
  if (value === false) return 'never';
  return JSON.stringify(value);
}

export function parkedEventsView(page: PageContext, events: readonly ParkedEvent[]): SafeHtml {
  return html`<p>Events the sync could not handle, set aside so the rest keeps flowing. Retry one after the fix.</p>
<table><thead><tr><th>Event</th><th>Type</th><th>Records</th><th>Error</th><th>Parked</th><th></th></tr></thead><tbody>
${events.length === 0 ? html`<tr><td colspan="6" class="muted">No parked events.</td></tr>` : ''}
${events.map(
  (e) => html`<tr><td>${e.subscriber} #${e.position}</td><td>${e.eventType}<div class="muted">${e.stream}</div></td><td>${e.recordKeys.join(', ')}</td>
<td>${e.error.message}${e.error.stack ? html`<details><summary>stack</summary><pre>${prettyJson(e.error.stack)}</pre></details>` : ''}</td>
<td>${e.parkedAt}${e.retryRequestedAt ? html`<div class="muted">retry requested ${e.retryRequestedAt}</div>` : ''}</td>
<td>${actionButton(page, `/console/parked-events/${seg(e.subscriber)}/${seg(e.position)}/retry`, 'Retry')}</td></tr>`,
)}
</tbody></table>`;
}
