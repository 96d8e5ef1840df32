import { Writable } from 'node:stream';
import { loadConfig, type AppConfig } from '../../src/config';
import { startService, type RunningService } from '../../src/app/start-service';
import { startSyncEngine, type SyncEngine } from '../../src/app/sync-engine';
import type { OperatorAlertOptions } from '../../src/alerts';
import type { MigrationScheduleOptions } from '../../src/migration/backfill.scheduler';
import { installWebhooks } from '../../src/ingest/monday/install-webhooks';
import { loadMapping, type Mapping } from '../../src/mapping';
import { createMondayClient, type MondayPort } from '../../src/monday';

type MondayClientOptions = Parameters<typeof createMondayClient>[1];
import { createLogger } from '../../src/observability/logger';
import { createSalesforceClient, type JsforceSalesforceClient, type SalesforceClientOptions } from '../../src/salesforce';
import { startSandbox, type SandboxEnvironment, type SandboxOptions } from '@crm-sync/sandbox';
import { EXAMPLE_MAPPING } from './sandbox-schemas';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface SyncEnvironment {
  sandbox: SandboxEnvironment;
  service: RunningService;
  engine: SyncEngine;
  db: TestDatabase;
  config: AppConfig;
  mapping: Mapping;
  salesforce: JsforceSalesforceClient;
  monday: MondayPort;
  url: string;
  logs: string[];
  stop(): Promise<void>;
}

/**
 * The whole service as in production (webhooks, CDC, projector, dispatcher) against both emulators
 * seeded with the demo data and the example mapping, on loopback ports, with its own database.
 */
export async function startSyncEnvironment(
  options: {
    sandbox?: SandboxOptions;
    mappingPath?: string;
    /** A mapping already loaded (instead of mappingPath). */
    mapping?: Mapping;
    /** Prepares the emulators (e.g. seeds a board) before the service reads them. */
    beforeStart?: (sandbox: SandboxEnvironment) => void | Promise<void>;
    env?: Record<string, string>;
    mondayClient?: MondayClientOptions;
    /** Salesforce client options (e.g. a session clock a test moves past the refresh cool-down). */
    salesforceClient?: SalesforceClientOptions;
    /** Operational alert options (e.g. a short check interval). */
    alerts?: OperatorAlertOptions;
    /** Which wall-clock jobs the engine schedules (e.g. none a test runs itself). */
    schedules?: MigrationScheduleOptions;
    /** Runs against these emulators and this database (a restart); stop() then leaves both to the caller. */
    reuse?: { sandbox: SandboxEnvironment; db: TestDatabase };
  } = {},
): Promise<SyncEnvironment> {
  const sandbox = options.reuse?.sandbox ?? (await startSandbox(options.sandbox));
  await options.beforeStart?.(sandbox);
  const db = options.reuse?.db ?? (await createTestDatabase());
  const config = loadConfig({}, { ...sandbox.variables, DATABASE_URL: db.url, PORT: '0', LOG_LEVEL: 'info', ...options.env });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ level: 'info', secretValues: config.secretValues, destination });
  const mapping = options.mapping ?? loadMapping(options.mappingPath ?? EXAMPLE_MAPPING);
  const salesforce = await createSalesforceClient(config.salesforce, options.salesforceClient);
  const monday = createMondayClient(config.monday, options.mondayClient);
  let engine: SyncEngine | null = null;
  const service = await startService(config, {
    logger,
    startSync: async (runtime, url) => {
      engine = await startSyncEngine(runtime, mapping, { salesforce, monday }, { alerts: options.alerts, schedules: options.schedules });
      await installWebhooks(monday, mapping.objects.map((o) => o.monday.board), new URL('/webhooks/monday', url.replace('[::1]', '127.0.0.1')).toString());
      return engine;
    },
  });
  return {
    sandbox,
    service,
    engine: engine as unknown as SyncEngine,
    db,
    config,
    mapping,
    salesforce,
    monday,
    url: service.url.replace('[::1]', '127.0.0.1'),
    logs,
    stop: async () => {
      await service.stop();
      if (options.reuse) return;
      await sandbox.close();
      await db.drop();
    },
  };
}
