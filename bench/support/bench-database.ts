import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import pino from 'pino';
import { migrateDatabase } from '../../src/database/migrate';

/** Benches only ever create and drop databases named crm_sync_bench_<random> on this server. */
export const BENCH_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  name: string;
  url: string;
  /** Drops the database (WITH FORCE: whatever still holds a connection is cut). */
  drop(): Promise<void>;
}

/** A fresh empty database, migrated with our migrations unless `migrated: false` (emmett runs its own). */
export async function createBenchDatabase(options: { migrated?: boolean } = {}): Promise<BenchDatabase> {
  const name = `crm_sync_bench_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = databaseUrl(name);
  if (options.migrated !== false) {
    await migrateDatabase(url, { logger: pino({ level: 'warn' }) });
  }
  return { name, url, drop: () => withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

/**
 * A copy of `template` (CREATE DATABASE ... TEMPLATE: file-level, seconds for a large log), so
 * several runs start from the same generated data. Nothing may be connected to the template.
 */
export async function cloneBenchDatabase(template: BenchDatabase): Promise<BenchDatabase> {
  const name = `crm_sync_bench_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template.name}`));
  return { name, url: databaseUrl(name), drop: () => withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

export async function countRows(url: string, table: string): Promise<number> {
  return Number(await scalar(url, `SELECT count(*) AS n FROM ${table}`));
}

/** Events per committing transaction since position `after`: how well appends were batched. */
export async function eventsPerCommit(url: string, afterPosition: number): Promise<number> {
  const value = await scalar(url, `SELECT count(*)::float / greatest(count(DISTINCT transaction_id), 1) AS n FROM events WHERE position > ${Number(afterPosition)}`);
  return Number(value);
}

export async function maxPosition(url: string): Promise<number> {
  return Number(await scalar(url, 'SELECT coalesce(max(position), 0) AS n FROM events'));
}

async function scalar(url: string, sql: string): Promise<unknown> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: unknown }>(sql);
    return rows[0].n;
  } finally {
    await client.end();
  }
}

export async function postgresVersion(): Promise<string> {
  return withAdmin(async (admin) => (await admin.query<{ v: string }>('SHOW server_version')).rows[0].v);
}

function databaseUrl(name: string): string {
  const url = new URL(BENCH_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: BENCH_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
