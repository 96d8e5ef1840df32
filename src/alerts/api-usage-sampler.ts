import type { SchedulerRegistry } from '@nestjs/schedule';
import type { Logger } from 'pino';
import type { Queryable } from '../event-store/queryable';

/** What each CRM's usage tracker last saw (null while the CRM has not answered yet). */
export interface ApiUsageSources {
  salesforceUsage(): { usage: { used: number; limit: number } | null };
  mondayUsage(): { callsToday: number } | null;
}

export interface RunningSampler {
  sampleNow(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Once a minute, stores what each CRM's usage tracker last saw (api_usage_samples, migration 0007)
 * for the console's 24-hour chart; samples older than a week are deleted. Nothing is sampled while
 * a CRM has not answered yet.
 */
export function startApiUsageSampler(
  db: Queryable,
  sync: ApiUsageSources,
  logger: Logger,
  intervalMs = 60_000,
  /** Nest's registry: the sampling is the interval `api-usage-samples` there. */
  registry?: SchedulerRegistry,
): RunningSampler {
  let running: Promise<void> | null = null;
  const sampleNow = (): Promise<void> =>
    (running ??= (async () => {
      try {
        const salesforce = sync.salesforceUsage().usage;
        const monday = sync.mondayUsage();
        if (salesforce) await insert(db, 'salesforce', salesforce.used, salesforce.limit);
        if (monday) await insert(db, 'monday', monday.callsToday, null);
        await db.query("DELETE FROM api_usage_samples WHERE sampled_at < now() - interval '7 days'");
      } catch (error) {
        logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'API usage sample not stored');
      } finally {
        running = null;
      }
    })());
  const timer = setInterval(() => void sampleNow(), intervalMs);
  timer.unref();
  registry?.addInterval('api-usage-samples', timer);
  void sampleNow();
  return {
    sampleNow,
    stop: async () => {
      clearInterval(timer);
      if (registry?.doesExist('interval', 'api-usage-samples')) registry.deleteInterval('api-usage-samples');
      await running;
    },
  };
}

async function insert(db: Queryable, crm: 'salesforce' | 'monday', used: number, allocation: number | null): Promise<void> {
  await db.query('INSERT INTO api_usage_samples (crm, used, allocation) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [crm, used, allocation]);
}
