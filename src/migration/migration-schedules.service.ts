import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { startMigrationSchedules, type MigrationScheduleDeps, type MigrationScheduleOptions, type MigrationSchedules } from './backfill.scheduler';
import type { ReconcileDependencies } from './reconcile';
import { startScheduledReconcile, type ScheduledReconcile, type ScheduledReconcileOptions } from './reconcile-schedule';

export interface MigrationSchedulesOptions {
  schedules: MigrationScheduleDeps;
  scheduleOptions?: MigrationScheduleOptions;
  /** RECONCILE_SCHEDULE set: reconcile on that cron against the running service's context. */
  reconcile?: { deps: ReconcileDependencies; options: ScheduledReconcileOptions } | null;
}

/**
 * The scheduled migration work of a running service (backfill crons, monday catch-up, CDC gap
 * catch-ups, scheduled reconcile) as jobs in Nest's SchedulerRegistry: added when the sync's context
 * boots, deleted before it closes (a run in flight finishes or gives its lock back).
 */
export class MigrationSchedulesService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private schedules: MigrationSchedules | null = null;
  private reconcile: ScheduledReconcile | null = null;

  constructor(private readonly options: MigrationSchedulesOptions) {}

  onApplicationBootstrap(): void {
    const { schedules, scheduleOptions, reconcile } = this.options;
    this.schedules = startMigrationSchedules(schedules, scheduleOptions);
    if (reconcile) this.reconcile = startScheduledReconcile(reconcile.deps, reconcile.options);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.reconcile?.stop();
    await this.schedules?.stop();
  }
}
