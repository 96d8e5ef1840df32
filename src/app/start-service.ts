import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { AppConfig } from '../config';
import { openDataSource, poolOf } from '../database/data-source';
import { migrate } from '../database/migrate';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../database/embedded-database';
import { BatchingAppender, EventNotifications } from '../event-store';
import { HealthRegistry } from '../observability/health-registry';
import { OperatorBindings } from '../console/operator-bindings';
import type { Mapping } from '../mapping/mapping.types';
import { createLogger, type Logger } from '../observability/logger';
import { enablePersonalData } from '../personal-data/enable-personal-data';
import { createHttpApp } from './create-http-app';
import { OwnIdentity } from '../ingest/own-identity';
import { ServiceLifecycle } from '../ingest/service-lifecycle';
import { ServiceShutdown } from './service-shutdown';
import type { ServiceRuntime } from './service-runtime';

export interface StartOptions {
  logger?: Logger;
  /** Known identities (sandbox mode knows them from the emulators). */
  identity?: { mondayUserId?: number; salesforceUserId?: string };
  /** Starts the sync (CDC, projector, dispatcher) once HTTP listens; stopped first at shutdown. */
  startSync?: (runtime: ServiceRuntime, url: string) => Promise<{ stop(): Promise<void> }>;
  /** The mapping, so its `pii: true` fields are encrypted from the first webhook on (PII_ENCRYPTION_KEY). */
  mapping?: Mapping;
  /** Extra clean-up run at shutdown after the service stopped (e.g. stopping the emulators). */
  onStopped?: () => Promise<void>;
}

export interface RunningService {
  url: string;
  runtime: ServiceRuntime;
  app: NestFastifyApplication;
  /** Graceful stop: refuse new webhooks (503), finish in-flight appends, release locks and connections. */
  stop(): Promise<void>;
}

const SHUTDOWN_DEADLINE_MS = 10_000;

export async function startService(config: AppConfig, options: StartOptions = {}): Promise<RunningService> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, secretValues: config.secretValues });
  let embedded: EmbeddedDatabase | null = null;
  const databaseUrl = config.databaseUrl ?? (embedded = await startEmbeddedDatabase(logger)).url;
  // One TypeORM DataSource owns the pool; the explicit-SQL hot path queries that same pool.
  const dataSource = await openDataSource(databaseUrl, {
    logger,
    max: 20,
    applicationName: 'crm-sync',
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    waitMs: config.databaseWaitMs,
  });
  const pool = poolOf(dataSource);
  const migrations = await migrate(dataSource);
  if (migrations.applied.length > 0) logger.info({ applied: migrations.applied }, 'database migrations applied');
  try {
    const personalData = await enablePersonalData(pool, config.personalData, options.mapping ?? null);
    if (personalData) logger.info({ keyId: personalData.keys.kek.id }, 'personal data is stored encrypted (PII_ENCRYPTION_KEY)');
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    if (embedded) await embedded.stop().catch(() => undefined);
    throw error;
  }

  const notifications = new EventNotifications(databaseUrl, logger.child({ component: 'event-notifications' }));
  await notifications.start();
  const identity = new OwnIdentity(config.salesforce.clientName);
  identity.mondayUserId = options.identity?.mondayUserId ?? null;
  identity.salesforceUserId = options.identity?.salesforceUserId ?? null;
  const health = new HealthRegistry();
  const parts: Omit<ServiceRuntime, 'scheduler'> = {
    config,
    databaseUrl,
    dataSource,
    pool,
    logger,
    appender: new BatchingAppender(pool),
    notifications,
    identity,
    lifecycle: new ServiceLifecycle(),
    health,
    operator: new OperatorBindings(),
  };
  health.register('database', async () => {
    await pool.query('SELECT 1');
    return { ok: true };
  });
  health.register('event_notifications', () => ({ ok: notifications.connected, detail: notifications.connected ? undefined : 'LISTEN connection is reconnecting' }));

  const shutdown = new ServiceShutdown(parts, async () => {
    await notifications.stop();
    await dataSource.destroy();
    await options.onStopped?.();
    if (embedded) await embedded.stop();
  });
  const app = await createHttpApp(parts, shutdown);
  const runtime: ServiceRuntime = Object.assign(parts, { scheduler: app.get(SchedulerRegistry) });
  await app.listen({ port: config.http.port, host: config.http.host });
  const url = await app.getUrl();
  if (options.startSync) shutdown.add(await options.startSync(runtime, url));
  logger.info({ url: url.replace('[::1]', 'localhost'), mode: config.mode }, 'crm-sync is listening');

  let stopping: Promise<void> | null = null;
  // Nest's hooks run the stop (ServiceShutdown): draining and the sync before HTTP closes, connections after.
  const stop = (): Promise<void> => (stopping ??= app.close().then(() => logger.info('crm-sync stopped')));
  return { url, runtime, app, stop };
}

/** SIGTERM/SIGINT: graceful stop, exit 0; if anything hangs past the deadline, exit 1. */
export function stopOnSignals(service: RunningService, logger: Logger): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'signal received');
    const deadline = setTimeout(() => {
      logger.error(`shutdown took longer than ${SHUTDOWN_DEADLINE_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
