import type { Queryable } from '../event-store/queryable';

export interface UsageSample {
  at: Date;
  used: number;
  allocation: number | null;
}

/** The last 24 hours of API usage samples of one CRM (api-usage-sampler.ts stores them), oldest first. */
export async function usageSamples(db: Queryable, crm: 'salesforce' | 'monday'): Promise<UsageSample[]> {
  const { rows } = await db.query<{ sampled_at: Date; used: string; allocation: string | null }>(
    `SELECT sampled_at, used, allocation FROM api_usage_samples WHERE crm = $1 AND sampled_at > now() - interval '24 hours' ORDER BY sampled_at`,
    [crm],
  );
  return rows.map((r) => ({ at: r.sampled_at, used: Number(r.used), allocation: r.allocation === null ? null : Number(r.allocation) }));
}
