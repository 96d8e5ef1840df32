import type { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob, validateCronExpression } from 'cron';
import type { Logger } from 'pino';
import { LeaderLock } from '../event-store';
import type { DriftAlerts } from '../alerts/reconcile-drift-alert';
import { reconcileObjectLockName } from './reconcile-object-lock';
import { reconcile, type Drift, type ReconcileDependencies, type ReconcileReport } from './reconcile';
import { driftKinds, recordReconcileFailure, recordReconcileRun } from './reconcile-metrics';

export interface ScheduledReconcileOptions {
  /** Cron expression (five or six fields), e.g. "30 2 * * *" for 02:30 every day. */
  schedule: string;
  /** Append the corrective snapshots (default false: report only, as warnings and in the result). */
  fix?: boolean;
  /** IANA zone the schedule is read in (default: the mapping's timeZone). */
  timeZone?: string;
  /** Nest's registry (ScheduleModule): the job is added to it as `reconcile` and deleted from it at stop. */
  registry: SchedulerRegistry;
  /** For the one-instance-at-a-time lock (the same database the service uses). */
  databaseUrl: string;
  logger: Logger;
  /** Where drift a run finds is announced (ALERT_WEBHOOK_URL, Telegram); null or absent: logs and metrics only. */
  alerts?: DriftAlerts | null;
  /** Called with each run's report (tests). */
  onReport?: (report: ReconcileReport) => void;
}

export interface ScheduledReconcile {
  /** Runs once now (on this instance if it gets the lock); null when another instance is running it. */
  runNow(): Promise<ReconcileReport | null>;
  stop(): Promise<void>;
}

const JOB_NAME = 'reconcile';
/** Drifts named in each object's log line (the counts cover all; `crm-sync reconcile` shows the table). */
const LOGGED_EXAMPLES = 10;

function driftKey(drift: Drift): string {
  return [drift.objectKey, drift.kind, drift.salesforceId, drift.itemId, drift.column].join('|');
}

export class ReconcileScheduleError extends Error {
  readonly code = 'BAD_CRON';
}

/**
 * A reconcile on a cron schedule, for the service to start next to the sync. Each run takes an
 * advisory lock, so with several instances one of them runs it; a run still going when the next
 * tick comes is not doubled. Drift is logged once per object (count, kinds, the first few records),
 * counted in metrics (reconcile-metrics.ts) and, when it is new since the last run, sent to the
 * alert channels; with `fix`, the corrective snapshots go into the log and the running pipeline
 * repairs them.
 */
export function startScheduledReconcile(deps: ReconcileDependencies, options: ScheduledReconcileOptions): ScheduledReconcile {
  const valid = validateCronExpression(options.schedule);
  if (!valid.valid) throw new ReconcileScheduleError(`"${options.schedule}" is not a valid cron expression: ${valid.error?.message ?? 'unparseable'}`);
  // Same lock naming as the other scheduled migration jobs (backfill.scheduler.ts).
  const lock = new LeaderLock(options.databaseUrl, 'schedule:reconcile');
  const logger = options.logger.child({ component: 'reconcile' });
  let running: Promise<ReconcileReport | null> | null = null;

  const fix = options.fix === true;
  let previous = new Set<string>();

  const runOnce = async (): Promise<ReconcileReport | null> => {
    if (!(await lock.tryAcquire())) return null;
    try {
      // Each object also under the console's per-object lock: a console run of it skips it here.
      const lockObject = async (objectKey: string) => {
        const objectLock = new LeaderLock(options.databaseUrl, reconcileObjectLockName(objectKey));
        return (await objectLock.tryAcquire()) ? () => objectLock.release() : null;
      };
      const report = await reconcile(deps, { fix, lockObject });
      recordReconcileRun(report, new Date());
      const isNew = (drift: Drift): boolean => !previous.has(driftKey(drift));
      for (const object of report.objects) {
        if (object.drifts.length === 0) continue;
        // What is new since the last run first: what is left from before was logged then.
        const ordered = [...object.drifts.filter(isNew), ...object.drifts.filter((d) => !isNew(d))];
        const examples = ordered.slice(0, LOGGED_EXAMPLES).map(({ kind, salesforceId, itemId, column, fix: keeps }) => ({ kind, salesforceId, itemId, column, keeps }));
        const fresh = object.drifts.filter(isNew).length;
        logger.warn({ objectKey: object.objectKey, drifts: object.drifts.length, new: fresh, kinds: driftKinds(object.drifts), examples, fix }, 'reconcile found drift');
      }
      logger.info({ drifts: report.driftCount, eventsAppended: report.fix?.eventsAppended ?? 0, fix }, 'scheduled reconcile finished');
      const fresh = report.objects.reduce((n, o) => n + o.drifts.filter(isNew).length, 0);
      previous = new Set(report.objects.flatMap((o) => o.drifts.map(driftKey)));
      // Announce drift once, not at every tick while it lasts (a person may have to decide it).
      if (fresh > 0) {
        await options.alerts?.driftFound({
          total: report.driftCount,
          newSinceLastRun: fresh,
          objects: report.objects.map((o) => ({ objectKey: o.objectKey, kinds: driftKinds(o.drifts) })),
          fix,
        });
      }
      options.onReport?.(report);
      return report;
    } catch (error) {
      recordReconcileFailure(new Date());
      throw error;
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
  options.registry.addCronJob(JOB_NAME, job);
  job.start();
  return {
    runNow,
    stop: async () => {
      if (options.registry.doesExist('cron', JOB_NAME)) options.registry.deleteCronJob(JOB_NAME);
      await running;
    },
  };
}
