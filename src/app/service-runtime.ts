import type { SchedulerRegistry } from '@nestjs/schedule';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config';
import type { BatchingAppender, EventNotifications } from '../event-store';
import type { HealthRegistry } from '../observability/health-registry';
import type { OperatorBindings } from '../console/operator-bindings';
import type { OwnIdentity } from '../ingest/own-identity';
import type { ServiceLifecycle } from '../ingest/service-lifecycle';

/**
 * The long-lived objects of one running service, built once at start-up (start-service.ts) and
 * handed to Nest as values. Keeping construction outside Nest lets tests and the CLI build the
 * same pieces without the HTTP layer.
 */
export interface ServiceRuntime {
  config: AppConfig;
  /** The database actually used (DATABASE_URL or the embedded one). */
  databaseUrl: string;
  /** The one TypeORM DataSource (DatabaseModule provides it to Nest); `pool` is the pool it owns. */
  dataSource: DataSource;
  pool: Pool;
  logger: Logger;
  appender: BatchingAppender;
  notifications: EventNotifications;
  identity: OwnIdentity;
  lifecycle: ServiceLifecycle;
  health: HealthRegistry;
  /** ScheduleModule's registry, where the sync adds its cron jobs (set once the Nest app exists). */
  scheduler: SchedulerRegistry;
  /** What the operator console reads from parts built after the HTTP app (the sync, the emulators). */
  operator: OperatorBindings;
}
