import type { ClusterMergePlan } from '../../data-quality/merge-cluster';
import { describeMergePlan } from '../../data-quality/merge-cluster';
import type { DuplicateCluster } from '../../data-quality/duplicate-cluster';
import { html, seg, type SafeHtml } from '../html';
import { actionButton, type PageContext } from './layout';

/** The objects to search, one link each (a search reads both CRMs, so it runs when asked). */
export function duplicatesIndexView(objects: readonly string[], available: boolean): SafeHtml {
  if (!available) return html`<p class="muted">The sync is not running here, so duplicates cannot be searched from the console (<code>crm-sync duplicates</code> can).</p>`;
  return html`<p>Finds records that are probably the same person or organisation across both CRMs: equal e-mail, equal phone number, or a similar name at the same company or domain. Each search reads the object from both CRMs.</p>
<ul>${objects.map((o) => html`<li><a href="/console/duplicates/${seg(o)}">${o}</a></li>`)}</ul>`;
}

/** One object's clusters: reason, members on both sides, the proposed master and why, and a preview of the merge. */
export function duplicateClustersView(objectKey: string, clusters: readonly DuplicateCluster[]): SafeHtml {
  if (clusters.length === 0) return html`<p>No probable duplicates in ${objectKey}.</p>`;
  return html`<p>${clusters.length} cluster(s) in ${objectKey}. A merge goes through the sync (Salesforce merge, the other items get the object's delete policy); preview it first.</p>
<table class="duplicates"><thead><tr><th>Cluster</th><th>Reason</th><th>Salesforce</th><th>monday</th><th>Proposed master</th><th></th></tr></thead><tbody>
${clusters.map(
  (c) => html`<tr id="${c.id}"><td><code>${c.id}</code></td><td>same ${c.reason}</td>
<td>${members(c, 'salesforce')}</td><td>${members(c, 'monday')}</td>
<td>${c.master.crm} <code>${c.master.id}</code><div class="muted">${c.masterReason}</div></td>
<td><a href="/console/duplicates/${seg(objectKey)}/${seg(c.id)}">Preview merge</a></td></tr>`,
)}
</tbody></table>`;
}

function members(cluster: DuplicateCluster, crm: 'salesforce' | 'monday'): SafeHtml {
  const list = cluster.members.filter((m) => m.crm === crm);
  if (list.length === 0) return html`<span class="muted">none</span>`;
  return html`${list.map(
    (m) => html`<div><a href="/console/records/${crm}/${seg(m.id)}"><code>${m.id}</code></a> ${m.name}${m.email ? html` <span class="muted">${m.email}</span>` : ''}${m.linkedTo ? html` <span class="muted">(linked to ${m.linkedTo})</span>` : ''}</div>`,
  )}`;
}

/** The dry run: what the merge would change, a choice of master, and the button that asks for it. */
export function mergePreviewView(page: PageContext, merge: ClusterMergePlan): SafeHtml {
  const { cluster, plan } = merge;
  const action = `/console/duplicates/${seg(cluster.object)}/${seg(cluster.id)}/merge`;
  const masterRef = `${plan.master.crm}:${plan.master.id}`;
  return html`<p>Dry run of <code>${cluster.id}</code> (${cluster.reason}): nothing has changed yet.</p>
<p>Master: ${plan.master.crm} <code>${plan.master.id}</code>${plan.master.crm === cluster.master.crm && plan.master.id === cluster.master.id ? html` <span class="muted">(proposed: ${cluster.masterReason})</span>` : ''}</p>
<h2>Would change</h2>
<ul class="merge-plan">${describeMergePlan(merge).map((line) => html`<li>${line}</li>`)}</ul>
<h2>Keep another member</h2>
<div class="buttons">${cluster.members
    .filter((m) => `${m.crm}:${m.id}` !== masterRef)
    .map((m) => html`<a href="/console/duplicates/${seg(cluster.object)}/${seg(cluster.id)}?master=${encodeURIComponent(`${m.crm}:${m.id}`)}">${m.crm} ${m.id}</a> `)}</div>
<h2>Merge</h2>
${actionButton(page, action, `Merge into ${masterRef}`, { master: masterRef }, { confirm: `Merge ${cluster.id} into ${masterRef}? Salesforce merges cannot be undone.`, id: 'merge' })}`;
}
