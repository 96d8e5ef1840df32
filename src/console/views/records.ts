import type { RecordHistory } from '../../admin/record-history';
import type { RecordMatch, SearchKind } from '../console-queries';
import { html, prettyJson, seg, type SafeHtml } from '../html';

export function recordSearchView(query: string, result: { kind: SearchKind; matches: RecordMatch[] } | null): SafeHtml {
  return html`<form method="get" action="/console/records" class="filters">
  <label>monday item id, Salesforce Id, e-mail or name <input type="search" name="q" id="record-query" value="${query}" required></label>
  <button type="submit" id="record-search">Search</button>
</form>
${result
  ? html`<p>Searched by ${result.kind}: ${result.matches.length} record(s).</p>
<ul class="matches">${result.matches.map(
      (m) => html`<li><a href="/console/records/${m.crm}/${seg(m.id)}">${m.name ?? m.id}</a> <span class="muted">${m.objectKey} · Salesforce ${m.salesforceId ?? '-'} · monday item ${m.mondayItemId ?? '-'}</span></li>`,
    )}</ul>`
  : ''}`;
}

type Fields = Record<string, { agreed?: unknown; salesforce?: { value: unknown; at: number }; monday?: { value: unknown; at: number } }>;

/** The record's story: both sides' values, then every event with the decision and the writes it caused. */
export function recordHistoryView(history: RecordHistory, fields: Fields, fieldNames: ReadonlyMap<string, string>): SafeHtml {
  const r = history.record;
  const writesByCause = new Map<number, RecordHistory['commands']>();
  for (const c of history.commands) writesByCause.set(c.causedBy, [...(writesByCause.get(c.causedBy) ?? []), c]);
  return html`<p>${r ? html`${r.objectKey}: Salesforce <code>${r.salesforceId ?? 'not linked'}</code> ⇄ monday item <code>${r.mondayItemId ?? 'not linked'}</code>${r.deletedSide ? html` · deleted on ${r.deletedSide}` : ''}` : 'Not a synced record: only its events are known.'}</p>
${r && r.waiting.length > 0
  ? html`<p class="waiting" id="record-waiting">Waiting to be written: ${r.waiting.map(
      (w, i) => html`${i > 0 ? '; ' : ''}${fieldNames.get(w.field) ?? w.field} to ${w.towards}, ${w.waitsFor === 'user' ? 'for the user directory to know the person' : 'for the related record to be linked'} (since ${w.since})`,
    )}</p>`
  : ''}
${history.mergedInto ? html`<p class="merged">Merged into ${history.mergedInto.crm} <code>${history.mergedInto.id}</code> (duplicate cluster ${history.mergedInto.clusterId}, ${history.mergedInto.at})</p>` : ''}
${Object.keys(fields).length > 0
  ? html`<h2>Values now</h2>
<table class="side-by-side"><thead><tr><th>Field</th><th>Salesforce</th><th>monday</th><th>Agreed</th></tr></thead><tbody>
${Object.entries(fields).map(
      ([key, f]) => html`<tr class="${differs(f) ? 'differs' : ''}"><td>${fieldNames.get(key) ?? key}</td><td>${show(f.salesforce?.value)}</td><td>${show(f.monday?.value)}</td><td>${show(f.agreed)}</td></tr>`,
    )}
</tbody></table>`
  : ''}
<h2>Timeline</h2>
<table class="timeline"><thead><tr><th>When</th><th>Salesforce</th><th>Decision</th><th>monday</th></tr></thead><tbody>
${history.events.map((e) => {
  const side = sideOf(e.stream, e.source);
  const cell = html`<strong>${e.type}</strong> <span class="muted">#${e.position} · ${e.origin}</span><details><summary>payload</summary><pre>${prettyJson(e.payload, 2000)}</pre></details>`;
  const writes = writesByCause.get(e.position) ?? [];
  return html`<tr><td>${e.occurredAt}</td><td>${side === 'salesforce' ? cell : ''}</td>
<td>${side === 'system' ? cell : ''}${e.decision ? html`<div class="decision ${e.decision.outcome}">${e.decision.outcome}${e.decision.reason ? html`: ${e.decision.reason}` : ''}</div>` : ''}
${writes.map((w) => html`<div class="write ${w.status}">write #${w.id} ${w.kind}: <strong>${w.status}</strong>${w.attempts > 1 ? ` after ${w.attempts} attempts` : ''}${w.lastError ? html` <code>${errorText(w.lastError)}</code>` : ''}</div>`)}</td>
<td>${side === 'monday' ? cell : ''}</td></tr>`;
})}
</tbody></table>`;
}

function sideOf(stream: string, source: string): 'salesforce' | 'monday' | 'system' {
  if (stream.startsWith('salesforce:')) return 'salesforce';
  if (stream.startsWith('monday:')) return 'monday';
  return source === 'salesforce' ? 'salesforce' : source === 'monday' ? 'monday' : 'system';
}

function show(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return '(empty)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function differs(f: Fields[string]): boolean {
  return f.salesforce !== undefined && f.monday !== undefined && JSON.stringify(f.salesforce.value) !== JSON.stringify(f.monday.value);
}

function errorText(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const e = error as Record<string, unknown>;
  return `${String(e.code ?? '')} ${String(e.message ?? '')}`.trim();
}
