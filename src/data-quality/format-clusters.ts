import type { DuplicateCluster } from './duplicate-cluster';

/** The default text output: one block per cluster, its members as a table, the master marked `*`. */
export function formatClusters(clusters: readonly DuplicateCluster[]): string {
  if (clusters.length === 0) return 'No duplicate clusters found.\n';
  const lines: string[] = [];
  for (const cluster of clusters) {
    lines.push(`${cluster.id}  ${cluster.object}  same ${cluster.reason}  master ${cluster.master.crm}:${cluster.master.id} (${cluster.masterReason})`);
    const rows = cluster.members.map((m) => [
      m.crm === cluster.master.crm && m.id === cluster.master.id ? '*' : ' ',
      m.crm,
      m.id,
      m.name,
      m.email ?? '',
      m.linkedTo ? `linked ${m.linkedTo}` : '',
    ]);
    const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
    for (const row of rows) lines.push(`  ${row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()}`);
    lines.push('');
  }
  lines.push(`${clusters.length} cluster(s). Merge one with: crm-sync duplicates --merge CLUSTER_ID [--master CRM:ID] [--dry-run]`);
  return `${lines.join('\n')}\n`;
}
