import type { PlannedChange } from './backfill-dry-run';
import type { BackfillSummary } from './backfill.runner';

/** The end-of-run summary as terminal lines: one row per object, then requests spent on each side. */
export function formatSummary(summary: BackfillSummary): string[] {
  const lines: string[] = [];
  if (summary.dryRun) {
    lines.push('dry run: nothing was written to monday, Salesforce or the event log');
    for (const o of summary.objects) {
      const t = o.dryRun;
      if (!t) continue;
      lines.push(`${o.objectKey}: ${o.read} read; would create ${t.create}, link ${t.linkExisting} existing, update ${t.update}, leave ${t.unchanged} unchanged, skip ${t.skipped}`);
      for (const change of t.examples) lines.push(`  ${describeChange(o.salesforce, change)}`);
    }
  } else {
    const header = ['object', 'status', 'read', 'created', 'matched', 'updated', 'unchanged', 'failed', 'pending'];
    const rows = summary.objects.map((o) => [o.objectKey, o.status, o.read, o.created, o.matched, o.updated, o.unchanged, o.failed, o.pending].map(String));
    lines.push(...table([header, ...rows]));
    for (const o of summary.objects) if (o.reason) lines.push(`${o.objectKey}: ${o.reason}`);
    for (const o of summary.objects) if (o.bulkJobs > 0) lines.push(`${o.objectKey}: creates through monday bulk import (${o.createPath}), ${o.bulkJobs} job${o.bulkJobs === 1 ? '' : 's'}`);
    if (summary.pipeline === 'service') lines.push('a running service sent the writes (this process only appended the events and waited)');
  }
  const sf = summary.requests.salesforce === null ? 'unknown' : String(summary.requests.salesforce);
  lines.push(`API requests: Salesforce ${sf} (org usage growth during the run), monday ${summary.requests.monday} (from this process)`);
  return lines;
}

function describeChange(object: string, change: PlannedChange): string {
  switch (change.kind) {
    case 'create':
      return `create item for ${object} ${change.salesforceId} "${change.name}"`;
    case 'link_existing':
      return `link ${object} ${change.salesforceId} to existing item ${change.itemId}`;
    case 'update':
      return `update item ${change.itemId} (${object} ${change.salesforceId}): ${change.columns.join(', ')}`;
    case 'skipped':
      return `skip ${object} ${change.salesforceId}: ${change.reason}`;
    case 'unchanged':
      return `unchanged ${object} ${change.salesforceId}`;
  }
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
}

/** Exit status of `crm-sync backfill`: 0 all done, 1 something failed, 3 paused or interrupted (run it again to resume). */
export function exitCodeOf(summary: BackfillSummary): 0 | 1 | 3 {
  if (summary.objects.some((o) => o.status === 'failed' || o.failed > 0)) return 1;
  if (!summary.complete) return 3;
  return 0;
}
