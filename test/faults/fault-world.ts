import { Pool } from 'pg';
import { loadConfig } from '../../src/config';
import { installWebhooks } from '../../src/ingest/monday/install-webhooks';
import { loadMapping, type Mapping } from '../../src/mapping';
import { createMondayClient, type MondayPort } from '../../src/monday';
import { buildSyncContext } from '../../src/sync-projector/build-sync-context';
import { LinkIndex } from '../../src/sync-projector/link-index';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import { loadCachedContext } from '../../src/sync-projector/sync-context-cache';
import { loadLinks } from '../../src/sync-projector/sync-records.repository';
import { createSalesforceClient, type JsforceSalesforceClient } from '../../src/salesforce';
import { startSandbox, type SandboxEnvironment } from '@crm-sync/sandbox';
import { START_BOUND_MS, type ChildService } from '../support/child-service';
import { fastForwardClock } from '../support/convergence-world';
import { EXAMPLE_MAPPING } from '../support/sandbox-schemas';
import { leadershipOf, startInstance, startRoundRobinProxy, type RoundRobinProxy } from '../support/service-cluster';
import type { FaultPostgres } from './fault-postgres';

/**
 * What a fault schedule runs against: both emulators in this process, `crm-sync start` instances as
 * child processes on one database of the campaign's private Postgres, and a round-robin proxy in
 * front of them that monday's webhooks go to.
 */
export interface FaultWorld {
  postgres: FaultPostgres;
  databaseUrl: string;
  /** The harness's own connections (an error listener on each: Postgres restarts are expected). */
  pool: Pool;
  sandbox: SandboxEnvironment;
  proxy: RoundRobinProxy;
  instances: ChildService[];
  mapping: Mapping;
  /** The harness's clients (reads for the checks; the scheduled catch-ups it triggers). */
  monday: MondayPort;
  salesforce: JsforceSalesforceClient;
  /** Output of every instance started, dead or alive. */
  logs: string[];
  /** Milliseconds from spawn to listening, per instance started. */
  startTimesMs: number[];
  startInstance(): Promise<ChildService>;
  kill(instance: ChildService): Promise<void>;
  live(): ChildService[];
  /** The service's resolved mapping and converters, with the links as they are now. */
  context(): Promise<SyncContext>;
  /** The instance holding the projector leader lock, if any answers. */
  leader(): Promise<ChildService | null>;
  close(): Promise<void>;
}

/** `compiledMain`: instances run on this compiled CLI (test/support/compiled-service.ts) instead of tsx. */
export async function startFaultWorld(postgres: FaultPostgres, name: string, compiledMain?: string): Promise<FaultWorld> {
  const admin = new Pool({ connectionString: postgres.url(), max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const databaseUrl = postgres.url(name);
  const pool = new Pool({ connectionString: databaseUrl, max: 4, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => undefined);
  const sandbox = await startSandbox();
  const proxy = await startRoundRobinProxy();
  const mapping = loadMapping(EXAMPLE_MAPPING);
  const config = loadConfig({}, { ...sandbox.variables, DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' });
  const monday = createMondayClient(config.monday, { clock: fastForwardClock() });
  const salesforce = await createSalesforceClient(config.salesforce);
  const logs: string[] = [];
  const startTimesMs: number[] = [];
  const instances: ChildService[] = [];
  const env = { ...sandbox.variables, DATABASE_URL: databaseUrl, SYNC_CONFIG: EXAMPLE_MAPPING, LOG_LEVEL: 'info' };

  const world: FaultWorld = {
    postgres,
    databaseUrl,
    pool,
    sandbox,
    proxy,
    instances,
    mapping,
    monday,
    salesforce,
    logs,
    startTimesMs,
    startInstance: async () => {
      const instance = await startWithRestarts(env, logs, compiledMain);
      instances.push(instance);
      startTimesMs.push(instance.startMs);
      const index = instances.length;
      logs.push(`[harness] instance ${index} listening ${(instance.startMs / 1000).toFixed(1)} s after its spawn\n`);
      // Every line the instance wrote so far, then what follows, prefixed with its number.
      logs.push(...instance.output.map((text) => `[${index}] ${text}`));
      instance.child.stdout?.on('data', (chunk: Buffer) => logs.push(`[${index}] ${chunk.toString('utf8')}`));
      instance.child.stderr?.on('data', (chunk: Buffer) => logs.push(`[${index}] ${chunk.toString('utf8')}`));
      proxy.targets.push(instance.url);
      return instance;
    },
    kill: async (instance) => {
      const at = proxy.targets.indexOf(instance.url);
      if (at >= 0) proxy.targets.splice(at, 1);
      if (instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill('SIGKILL');
      await instance.exited;
    },
    live: () => instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null),
    context: async () => {
      const cached = await loadCachedContext(pool);
      if (!cached) throw new Error('the service has not cached the live schemas yet');
      const links = new LinkIndex();
      for (const link of await loadLinks(pool)) links.add(link.objectKey, link.salesforceId, link.itemId);
      return buildSyncContext(mapping, cached, links);
    },
    leader: async () => {
      for (const instance of world.live()) if ((await leadershipOf(instance.url))?.projector) return instance;
      return null;
    },
    close: async () => {
      for (const instance of instances) if (instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill('SIGKILL');
      await Promise.all(instances.map((i) => i.exited));
      await proxy.close();
      await sandbox.close();
      await pool.end().catch(() => undefined);
    },
  };
  return world;
}

/**
 * Two instances and monday's webhooks pointed at the proxy. `sequential` (the default): the second
 * starts once the first listens; `together`: both at once, as a deployment starts its replicas (their
 * migration runs queue on one advisory lock, src/database/migrate.ts). Together saved nothing on 2
 * cores at load 12 (a start is CPU-bound: each took twice as long; docs/benchmarks.md).
 */
export async function startCluster(world: FaultWorld, mode: 'together' | 'sequential' = 'sequential'): Promise<void> {
  if (mode === 'together') {
    await Promise.all([world.startInstance(), world.startInstance()]);
  } else {
    await world.startInstance();
    await world.startInstance();
  }
  const boards = [...new Set(world.mapping.objects.map((o) => o.monday.board))];
  await installWebhooks(world.monday, boards, `${world.proxy.url}/webhooks/monday`);
}

/**
 * As an orchestrator (systemd Restart=always, Kubernetes) does: an instance that exits before it
 * listens is started again. A start-up that meets a transient CRM error (an injected 5xx while it
 * reads the schemas) exits 1 today; the campaign counts on the restart, and says so in the logs.
 */
async function startWithRestarts(env: Record<string, string>, logs: string[], compiledMain: string | undefined): Promise<ChildService> {
  for (let attempt = 1; ; attempt++) {
    try {
      // Only a hung start is cut off (the schedule itself is bounded by --schedule-timeout).
      return await startInstance(env, START_BOUND_MS, compiledMain);
    } catch (error) {
      if (attempt >= 5) throw error;
      logs.push(`[harness] start attempt ${attempt} failed, restarting: ${(error as Error).message.split('\n').filter((l) => !l.includes('FSTDEP')).join(' ').slice(0, 300)}\n`);
    }
  }
}
