import type { SchedulerRegistry } from '@nestjs/schedule';
import type { Logger } from 'pino';
import type { IncidentTracker } from './incident-tracker';
import { currentIncidents, type OperationalSnapshot } from './operational-incidents';

/** Alert options tests shorten; production uses the defaults. */
export interface OperatorAlertOptions {
  checkIntervalMs?: number;
  telegramBaseUrl?: string;
  /** How often monday's API analytics (`platform_api`) are read (default 10 minutes, monday's own refresh). */
  mondayUsageRefreshMs?: number;
  /** Messages sent one by one per 5-minute window before the rest are summarised (default 5). */
  rateLimitBurst?: number;
}

export interface RunningOperationalAlerts {
  /** Reads the snapshot and updates the incidents now (tests, shutdown). */
  checkNow(): Promise<void>;
  stop(): Promise<void>;
}

const INTERVAL_NAME = 'operational-alerts';

/** Incidents opened and closed by this watcher carry keys under these scopes. */
const SCOPES = ['cdc:', 'projector:', 'salesforce:', 'monday:'];

/**
 * Every `intervalMs`, reads what the health checks and API usage trackers know and lets the tracker
 * announce what opened and what recovered. A failed read is logged and changes nothing.
 */
export function startOperationalAlerts(
  tracker: IncidentTracker,
  read: () => Promise<OperationalSnapshot>,
  logger: Logger,
  intervalMs = 15_000,
  /** Nest's registry: the check is the interval `operational-alerts` there. */
  registry?: SchedulerRegistry,
): RunningOperationalAlerts {
  let running: Promise<void> | null = null;
  const checkNow = (): Promise<void> =>
    (running ??= (async () => {
      try {
        const incidents = currentIncidents(await read());
        for (const scope of SCOPES) tracker.observe(scope, incidents.filter((i) => i.key.startsWith(scope)));
      } catch (error) {
        logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'operational alert check failed');
      } finally {
        running = null;
      }
    })());
  const timer = setInterval(() => void checkNow(), intervalMs);
  timer.unref();
  registry?.addInterval(INTERVAL_NAME, timer);
  return {
    checkNow,
    stop: async () => {
      clearInterval(timer);
      if (registry?.doesExist('interval', INTERVAL_NAME)) registry.deleteInterval(INTERVAL_NAME);
      await running;
      await tracker.close();
    },
  };
}
