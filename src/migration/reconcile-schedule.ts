import type { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob, validateCronExpression } from 'cron';
import type { Logger } from 'pino';
import { LeaderLock } from '../event-store';
import { reconcile, type ReconcileDependencies, type ReconcileReport } from './reconcile';

export interface ScheduledReconcileOptions {
  /** Cron expression (five or six fields), e.g. "30 2 * * *" for 02:30 every day. */
  schedule: string;
  /** Append the corrective snapshots (default false: report only, as warnings and in the result). */
  fix?: boolean;
  /** IANA zone the schedule is read in (default: the mapping's timeZone). */
  timeZone?: string;
  /** Register the job with Nest's registry as `reconcile` (visible to other modules); it runs either way. */
  registry?: SchedulerRegistry;
  /** For the one-instance-at-a-time lock (the same database the service uses). */
  databaseUrl: string;
  logger: Logger;
  /** Called with each run's report (tests, metrics). */
  onReport?: (report: ReconcileReport) => void;
}

export interface ScheduledReconcile {
  /** Runs once now (on this instance if it gets the lock); null when another instance is running it. */
  runNow(): Promise<ReconcileReport | null>;
  stop(): Promise<void>;
}

const JOB_NAME = 'reconcile';

export class ReconcileScheduleError extends Error {
  readonly code = 'BAD_CRON';
}

/**
 * A reconcile on a cron schedule, for the service to start next to the sync. Each run takes an
 * advisory lock, so with several instances one of them runs it; a run still going when the next
 * tick comes is not doubled. Drift is logged once per object (count and kinds); with `fix`, the
 * corrective snapshots go into the log and the running pipeline repairs them.
 */
export function startScheduledReconcile(deps: ReconcileDependencies, options: ScheduledReconcileOptions): ScheduledReconcile {
  const valid = validateCronExpression(options.schedule);
  if (!valid.valid) throw new ReconcileScheduleError(`"${options.schedule}" is not a valid cron expression: ${valid.error?.message ?? 'unparseable'}`);
  // Same lock naming as the other scheduled migration jobs (backfill.scheduler.ts).
  const lock = new LeaderLock(options.databaseUrl, 'schedule:reconcile');
  const logger = options.logger.child({ component: 'reconcile' });
  let running: Promise<ReconcileReport | null> | null = null;

  const runOnce = async (): Promise<ReconcileReport | null> => {
    if (!(await lock.tryAcquire())) return null;
    try {
      const report = await reconcile(deps, { fix: options.fix === true });
      for (const object of report.objects) {
        if (object.drifts.length === 0) continue;
        const kinds = Object.fromEntries([...new Set(object.drifts.map((d) => d.kind))].map((kind) => [kind, object.drifts.filter((d) => d.kind === kind).length]));
        logger.warn({ objectKey: object.objectKey, drifts: object.drifts.length, kinds, fix: options.fix === true }, 'reconcile found drift');
      }
      logger.info({ drifts: report.driftCount, eventsAppended: report.fix?.eventsAppended ?? 0 }, 'scheduled reconcile finished');
      options.onReport?.(report);
      return report;
    } finally {
      await lock.release();
    }
  };

  const runNow = (): Promise<ReconcileReport | null> => {
    running ??= runOnce()
      .catch((error: unknown) => {
        logger.error({ err: error }, 'scheduled reconcile failed; the next tick tries again');
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  const job = CronJob.from({ cronTime: options.schedule, onTick: () => void runNow(), start: false, timeZone: options.timeZone ?? deps.mapping.timeZone });
  options.registry?.addCronJob(JOB_NAME, job);
  job.start();
  return {
    runNow,
    stop: async () => {
      await job.stop();
      if (options.registry?.doesExist('cron', JOB_NAME)) options.registry.deleteCronJob(JOB_NAME);
      await running;
    },
  };
}
