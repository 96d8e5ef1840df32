import type { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { buildSyncContext } from '../sync-projector/build-sync-context';
import { LeaderLock } from '../event-store';
import type { Mapping } from '../mapping/mapping.types';
import type { MondayPort } from '../monday/monday.port';
import { LinkIndex } from '../sync-projector/link-index';
import { loadCachedContext, type CachedContext } from '../sync-projector/sync-context-cache';
import type { SalesforcePort } from '../salesforce/salesforce.port';
import { runBackfill } from './backfill.runner';
import { servePendingCatchUps } from './catch-up-requests';
import { runMondayCatchUp } from './monday-catch-up';

export interface MigrationScheduleDeps {
  pool: Pool;
  databaseUrl: string;
  salesforce: SalesforcePort;
  monday: MondayPort;
  logger: Logger;
  mapping: Mapping;
  /** The live schemas the service bound the mapping to (default: the cache start-up wrote). */
  live?: () => Promise<CachedContext | null>;
  /** Nest's registry (ScheduleModule): the jobs are added to it and deleted from it at stop. */
  registry: SchedulerRegistry;
}

export interface MigrationScheduleOptions {
  /**
   * Cron of the monday catch-up (default every 10 minutes: well inside monday's 30-minute retry
   * window); null: not scheduled (a test that must not depend on the wall clock runs it itself).
   */
  mondayCatchUp?: string | null;
  /** Schedule the mapping's `backfill.schedule` crons (default true). */
  backfills?: boolean;
  /** Cron that serves CDC gap catch-up requests (default every minute). */
  catchUpRequests?: string;
  /** Time zone of the crons (default the mapping's timeZone). */
  timeZone?: string;
  /**
   * Interval of the user directory refresh in ms (default USER_DIRECTORY_REFRESH_MINUTES); null or 0:
   * not scheduled (a test runs it itself). Scheduled by MigrationModule (user-directory-refresh.ts).
   */
  userDirectoryRefreshMs?: number | null;
}

export interface MigrationSchedules {
  /** Job names: `backfill:<object>`, `monday-catch-up`, `catch-up-requests`. */
  readonly names: string[];
  stop(): Promise<void>;
}

/**
 * The scheduled migration work of a running service: each object's `backfill.schedule`, the monday
 * catch-up, and serving CDC gap catch-ups, as cron jobs in Nest's SchedulerRegistry in the mapping's
 * time zone. Every instance schedules them; a run first takes a
 * Postgres lock for its job, so with several instances each run happens once, and a run still
 * going when the next tick comes is not started twice.
 */
export function startMigrationSchedules(deps: MigrationScheduleDeps, options: MigrationScheduleOptions = {}): MigrationSchedules {
  const timeZone = options.timeZone ?? deps.mapping.timeZone;
  const live = deps.live ?? (() => loadCachedContext(deps.pool));
  const names: string[] = [];
  const inFlight = new Set<Promise<unknown>>();

  const schedule = (name: string, cronTime: string, work: () => Promise<unknown>) => {
    const job = CronJob.from({
      cronTime,
      timeZone,
      start: false,
      waitForCompletion: true,
      onTick: async () => {
        const run = once(deps, name, work);
        inFlight.add(run);
        await run.finally(() => inFlight.delete(run));
      },
    });
    deps.registry.addCronJob(name, job);
    names.push(name);
    job.start();
  };

  for (const object of options.backfills === false ? [] : deps.mapping.objects) {
    const cron = object.backfill?.schedule;
    if (!cron) continue;
    schedule(`backfill:${object.key}`, cron, async () => {
      const context = await live();
      if (!context) throw new Error('no cached live schemas yet: the service has not finished starting');
      const summary = await runBackfill({ ...deps, live: context }, { object: object.key });
      deps.logger.info({ object: object.key, summary: summary.objects[0], requests: summary.requests }, 'scheduled backfill finished');
    });
  }
  if (options.mondayCatchUp !== null) {
    schedule('monday-catch-up', options.mondayCatchUp ?? '*/10 * * * *', async () => {
      const boards = await runMondayCatchUp(deps.pool, deps.monday, deps.mapping);
      const found = boards.reduce((n, b) => n + b.appended + b.removed, 0);
      if (found > 0) deps.logger.warn({ boards: boards.map((b) => ({ boardId: b.boardId, appended: b.appended, removed: b.removed })) }, 'monday catch-up found changes no webhook delivered');
      const unread = boards.filter((b) => !b.removalsComplete).map((b) => b.boardId);
      if (unread.length > 0) deps.logger.error({ boards: unread }, 'monday catch-up: a board activity log could not be read whole (more entries than monday serves, or one unreadable); deletions in it may be missed (crm-sync reconcile finds them)');
    });
  }
  schedule('catch-up-requests', options.catchUpRequests ?? '* * * * *', async () => {
    const context = await live();
    if (!context) return;
    const resolved = buildSyncContext(deps.mapping, context, new LinkIndex()).mapping;
    for (const outcome of await servePendingCatchUps(deps.pool, deps.salesforce, resolved)) deps.logger.info({ ...outcome, positions: undefined }, 'CDC gap catch-up');
  });

  return {
    names: [...names],
    stop: async () => {
      // deleteCronJob stops the job; a run in flight finishes (or gives its lock back) below.
      for (const name of names) if (deps.registry.doesExist('cron', name)) deps.registry.deleteCronJob(name);
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** Runs `work` if no other instance is running the same job right now (advisory lock). */
async function once(deps: MigrationScheduleDeps, name: string, work: () => Promise<unknown>): Promise<void> {
  const lock = new LeaderLock(deps.databaseUrl, `schedule:${name}`);
  if (!(await lock.tryAcquire())) return;
  try {
    await work();
  } catch (error) {
    deps.logger.error({ err: error, job: name }, 'scheduled migration job failed; it runs again at its next time');
  } finally {
    await lock.release();
  }
}
