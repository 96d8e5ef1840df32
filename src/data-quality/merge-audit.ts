import type { Queryable } from '../event-store';
import type { DuplicateCluster } from './duplicate-cluster';
import type { MergePlan } from './merge-plan';

/** Records a merge before anything is sent (migration 0012), so a crash mid-way still shows it. */
export async function startMergeAudit(db: Queryable, cluster: DuplicateCluster, plan: MergePlan, extra: Record<string, unknown>): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO duplicate_merges (cluster_id, object_key, master, members, plan) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [cluster.id, cluster.object, JSON.stringify(plan.master), JSON.stringify(cluster.members), JSON.stringify({ ...plan, ...extra })],
  );
  return Number(rows[0]!.id);
}

export async function finishMergeAudit(db: Queryable, id: number, outcome: { status: 'done' | 'failed'; outcome: unknown; error?: string }): Promise<void> {
  await db.query(`UPDATE duplicate_merges SET status = $2, outcome = $3, error = $4, finished_at = now() WHERE id = $1`, [
    id,
    outcome.status,
    JSON.stringify(outcome.outcome),
    outcome.error ?? null,
  ]);
}

export interface MergeAuditRow {
  clusterId: string;
  objectKey: string;
  master: { crm: string; id: string };
  status: string;
  outcome: unknown;
}

export async function listMergeAudits(db: Queryable): Promise<MergeAuditRow[]> {
  const { rows } = await db.query<{ cluster_id: string; object_key: string; master: { crm: string; id: string }; status: string; outcome: unknown }>(
    'SELECT cluster_id, object_key, master, status, outcome FROM duplicate_merges ORDER BY id',
  );
  return rows.map((r) => ({ clusterId: r.cluster_id, objectKey: r.object_key, master: r.master, status: r.status, outcome: r.outcome }));
}
