import { html, seg, type SafeHtml } from '../html';
import { actionButton, type PageContext } from './layout';

export interface DemoState {
  salesforceId: string;
  salesforce: { name: string | null; stage: string | null } | null;
  mondayItemId: string | null;
  monday: { name: string | null; stage: string | null } | null;
  /** Set after step 2: the stage asked for on monday. */
  movedTo: string | null;
}

export const DEMO_TARGET_STAGE = 'Quote';

/** Two human edits, one in each emulator, and where each one stands on the other side. */
export function demoView(page: PageContext, state: DemoState | null): SafeHtml {
  return html`<p>Sandbox mode: both CRMs are emulators on this machine. These buttons act as a person would in each of them; watch the change cross over.</p>
<section><h2>1. A person creates an opportunity in Salesforce</h2>
<form method="post" action="/console/demo/salesforce">
  <input type="hidden" name="_csrf" value="${page.csrfToken}">
  <label>Opportunity name <input name="name" id="demo-name" value="Demo grant" required maxlength="120"></label>
  <button type="submit" id="demo-create">Create in Salesforce</button>
</form></section>
${state ? demoStatus(page, state) : ''}`;
}

export function demoStatus(page: PageContext, s: DemoState): SafeHtml {
  const arrived = s.monday !== null;
  const movedBack = s.movedTo !== null && s.salesforce?.stage === s.movedTo;
  const waiting = !arrived || (s.movedTo !== null && !movedBack);
  return html`<section id="demo-status"${waiting ? html` data-refresh="2"` : ''}>
<h2>Where it stands</h2>
<table class="side-by-side"><thead><tr><th></th><th>Salesforce</th><th>monday</th></tr></thead><tbody>
<tr><th>Record</th><td>${s.salesforceId}</td><td>${s.mondayItemId ?? 'not yet'}</td></tr>
<tr><th>Name</th><td>${s.salesforce?.name ?? ''}</td><td>${s.monday?.name ?? ''}</td></tr>
<tr><th>Stage</th><td id="demo-sf-stage">${s.salesforce?.stage ?? ''}</td><td id="demo-monday-stage">${s.monday?.stage ?? ''}</td></tr>
</tbody></table>
<p id="demo-progress">${arrived ? html`<strong class="ok">Arrived on monday.</strong>` : 'Waiting for the item on monday (this page refreshes itself)…'}
${s.movedTo ? (movedBack ? html` <strong class="ok">Salesforce followed: stage ${s.movedTo}.</strong>` : ` Waiting for Salesforce to follow (stage ${s.movedTo})…`) : ''}</p>
${arrived && s.mondayItemId && !s.movedTo
  ? html`<h2>2. A person moves it on monday</h2>${actionButton(page, '/console/demo/monday', `Move to “${DEMO_TARGET_STAGE}” on monday`, { salesforceId: s.salesforceId, itemId: s.mondayItemId }, { id: 'demo-move' })}`
  : ''}
<p><a href="/console/demo?sf=${seg(s.salesforceId)}${s.movedTo ? '&moved=1' : ''}">Refresh</a>${s.mondayItemId ? html` · <a href="/console/records/monday/${seg(s.mondayItemId)}">full history</a>` : ''}</p>
</section>`;
}
