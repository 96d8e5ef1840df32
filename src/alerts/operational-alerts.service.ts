import type { BeforeApplicationShutdown, OnApplicationBootstrap, Type } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import type { Queryable } from '../event-store/queryable';
import { startApiUsageSampler, type ApiUsageSources, type RunningSampler } from './api-usage-sampler';
import type { Incident, IncidentTracker } from './incident-tracker';
import { startOperationalAlerts, type OperatorAlertOptions, type RunningOperationalAlerts } from './operational-alerts';
import type { OperationalSnapshot } from './operational-incidents';
import { createIncidentTracker } from './index';

/** What the alert checks read, and what it needs stopped with them (e.g. its own refresh interval). */
export interface OperationalSnapshotSource {
  read(): Promise<OperationalSnapshot>;
  stop?(): void | Promise<void>;
}

/** Looks up a provider of the running application (Nest's ModuleRef, not strict). */
export type ResolveProvider = <T>(token: Type<T>) => T;

export interface AlertsModuleOptions {
  config: Pick<AppConfig, 'alerts' | 'secretValues'>;
  db: Queryable;
  logger: Logger;
  /** Nest's registry: the checks and the sampling are intervals there. */
  registry?: SchedulerRegistry;
  usage: ApiUsageSources;
  /**
   * Builds the snapshot source at bootstrap, once the parts it watches (projector, CDC, clients)
   * are providers that have started; given the application's provider lookup.
   */
  snapshot(resolve: ResolveProvider): OperationalSnapshotSource;
  options?: OperatorAlertOptions;
}

/**
 * The operational alerts (incidents opened once and recovered once, rate-limited) and the API usage
 * sampling for the console's chart: both start when the application has bootstrapped and stop
 * before it shuts down.
 */
export class OperationalAlertsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly tracker: IncidentTracker;
  private alerts: RunningOperationalAlerts | null = null;
  private sampler: RunningSampler | null = null;
  private source: OperationalSnapshotSource | null = null;

  constructor(
    private readonly options: AlertsModuleOptions,
    private readonly resolve: ResolveProvider,
  ) {
    const { config, logger } = options;
    this.tracker = createIncidentTracker(config, logger.child({ component: 'alerts' }), {
      telegramBaseUrl: options.options?.telegramBaseUrl,
      burst: options.options?.rateLimitBurst,
    });
  }

  openIncidents(): Incident[] {
    return this.tracker.openIncidents();
  }

  onApplicationBootstrap(): void {
    const { db, logger, registry, usage, options } = this.options;
    this.source = this.options.snapshot(this.resolve);
    this.sampler = startApiUsageSampler(db, usage, logger.child({ component: 'api-usage' }), undefined, registry);
    const source = this.source;
    this.alerts = startOperationalAlerts(this.tracker, () => source.read(), logger.child({ component: 'alerts' }), options?.checkIntervalMs, registry);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.alerts?.stop();
    await this.sampler?.stop();
    await this.source?.stop?.();
  }
}
