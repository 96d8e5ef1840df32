import type { DeadLetter } from '../../outbox/dead-letters';
import { errorCodeOf, type DeadLetterFilter } from '../console-queries';
import { html, prettyJson, seg, type SafeHtml } from '../html';
import { actionButton, type PageContext } from './layout';

export function deadLettersView(page: PageContext, letters: readonly DeadLetter[], filter: DeadLetterFilter, choices: { objects: string[]; codes: string[] }): SafeHtml {
  return html`<form method="get" action="/console/dead-letters" class="filters">
  <label>Object <select name="object"><option value="">any</option>${choices.objects.map((o) => html`<option${o === filter.objectKey ? html` selected` : ''}>${o}</option>`)}</select></label>
  <label>Error <select name="code"><option value="">any</option>${choices.codes.map((c) => html`<option${c === filter.code ? html` selected` : ''}>${c}</option>`)}</select></label>
  <button type="submit">Filter</button>
</form>
${letters.length > 0 ? actionButton(page, '/console/dead-letters/retry-matching', `Retry all ${letters.length} shown`, { object: filter.objectKey ?? '', code: filter.code ?? '' }, { confirm: `Send ${letters.length} dead letters again?` }) : ''}
<table class="dead-letters"><thead><tr><th>#</th><th>Object</th><th>Write</th><th>Error</th><th>Hint</th><th></th></tr></thead><tbody>
${letters.length === 0 ? html`<tr><td colspan="6" class="muted">No dead letters${filter.objectKey || filter.code ? ' match' : ''}.</td></tr>` : ''}
${letters.map(
  (d) => html`<tr data-dead-letter="${d.id}"><td><a href="/console/dead-letters/${seg(d.id)}">${d.id}</a></td><td>${d.record.objectKey ?? '?'}</td><td>${d.kind}</td>
<td><code>${errorCodeOf(d)}</code> ${typeof d.error?.message === 'string' ? d.error.message : ''}</td><td>${d.hint ?? ''}</td>
<td>${actionButton(page, `/console/dead-letters/${seg(d.id)}/retry`, 'Retry', {}, { id: `retry-${d.id}` })}</td></tr>`,
)}
</tbody></table>`;
}

export function deadLetterView(page: PageContext, d: DeadLetter): SafeHtml {
  const record = d.record.mondayItemId ? `/console/records/monday/${seg(d.record.mondayItemId)}` : d.record.salesforceId ? `/console/records/salesforce/${seg(d.record.salesforceId)}` : null;
  return html`<table><tbody>
<tr><th>Write</th><td>${d.kind} to ${d.target}, ${d.attempts} attempt(s), dead since ${d.deadAt ?? '?'}</td></tr>
<tr><th>Record</th><td>${d.record.objectKey ?? '?'}: Salesforce ${d.record.salesforceId ?? '-'} / monday item ${d.record.mondayItemId ?? '-'} ${record ? html`(<a href="${record}">history</a>)` : ''}</td></tr>
<tr><th>What ${d.target === 'salesforce' ? 'Salesforce' : 'monday'} said</th><td><code>${errorCodeOf(d)}</code> ${typeof d.error?.message === 'string' ? d.error.message : ''}</td></tr>
<tr><th>What to do</th><td>${d.hint ?? 'No hint: read the error above.'}</td></tr>
<tr><th>Caused by</th><td>event ${d.causedBy.position}: ${d.causedBy.type ?? '?'} on ${d.causedBy.stream ?? '?'} (${d.causedBy.origin ?? '?'}, ${d.causedBy.occurredAt ?? '?'})</td></tr>
</tbody></table>
<p>${actionButton(page, `/console/dead-letters/${seg(d.id)}/retry`, 'Retry now', {}, { id: 'retry' })}
${actionButton(page, `/console/dead-letters/${seg(d.id)}/discard`, 'Discard', {}, { confirm: 'Discard this write for good? It stays in the record history.' })}</p>
<details><summary>The write as issued</summary><pre>${prettyJson(d.command)}</pre></details>
<details><summary>The full error</summary><pre>${prettyJson(d.error)}</pre></details>`;
}
