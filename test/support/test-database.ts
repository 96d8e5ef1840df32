import { randomBytes } from 'node:crypto';
import { Client, type Pool } from 'pg';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { openDataSource, poolOf } from '../../src/database/data-source';

/** The server every test talks to: the real Postgres, never a mock (style lesson 7). */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Per jest run (set by global-setup), so parallel runs on one server never share or drop each other's template. */
export function templateDatabase(): string {
  const name = process.env.CRM_SYNC_TEST_TEMPLATE;
  if (!name) throw new Error('CRM_SYNC_TEST_TEMPLATE is not set: run tests through jest (test/support/global-setup.ts)');
  return name;
}

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  /** The TypeORM DataSource, as the service has one. */
  dataSource: DataSource;
  /** The DataSource's pool, as the service's hot path uses it. */
  pool: Pool;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated template: one per test file. */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `crm_sync_test_${randomBytes(6).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : templateDatabase();
  await withAdminClient(async (admin) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      } catch (error) {
        // Two files cloning the template at the same instant can collide; the clone is cheap to retry.
        if (attempt >= 10 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  });
  const url = databaseUrl(name);
  // Not named crm-sync*: tests count and end the service's connections by that prefix.
  const dataSource = await openDataSource(url, { logger: pino({ level: 'error' }), max: 10, applicationName: 'test-support' });
  const pool = poolOf(dataSource);
  return {
    name,
    url,
    dataSource,
    pool,
    drop: async () => {
      // DROP ... WITH (FORCE) may end connections the pool is still closing: not an error here.
      pool.on('error', () => undefined);
      await dataSource.destroy();
      await withAdminClient((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
