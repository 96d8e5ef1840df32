import { MigrationExecutor, type DataSource, type QueryRunner } from 'typeorm';
import { createDataSource, type DatabaseOptions } from './data-source';
import { MigrationError, SqlMigration } from './migrations';

export { MigrationError } from './migrations';
export { MIGRATIONS_DIR } from './migrations';

/** Arbitrary constant: the advisory lock that serialises migration runs across instances. */
const MIGRATION_LOCK_KEY = 7_304_211_001;

export interface MigrationResult {
  /** Files whose SQL ran now. */
  applied: string[];
  /** Files run before (by TypeORM, or by the runner it replaced: schema_migrations). */
  alreadyApplied: string[];
}

/**
 * Runs the pending migrations through TypeORM's migration runner, each in its own transaction.
 * Safe when several instances start at once: they queue on one advisory lock, and the later ones
 * find nothing left to do. The lock and the migrations share one connection (TypeORM's executor
 * on our query runner, which is what dataSource.runMigrations() runs on a connection of its own), so
 * a pool of one connection suffices. An applied migration whose SQL changed is refused, not re-run.
 */
export async function migrate(dataSource: DataSource): Promise<MigrationResult> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const known = dataSource.migrations.filter((m): m is SqlMigration => m instanceof SqlMigration);
      const ledger = await readLedger(runner);
      for (const migration of known) {
        const checksum = ledger.get(migration.file);
        if (checksum !== undefined && checksum !== migration.checksum) {
          throw new MigrationError(`${migration.file} was changed after it was applied; add a new migration instead`, migration.file);
        }
      }
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const ran = await executor.executePendingMigrations();
      const ranNames = new Set(ran.map((m) => m.name));
      const applied = known.filter((m) => ranNames.has(m.name) && !ledger.has(m.file)).map((m) => m.file);
      return { applied, alreadyApplied: known.map((m) => m.file).filter((file) => !applied.includes(file)) };
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/** schema_migrations: name and checksum of every migration applied (also by the pre-TypeORM runner). */
async function readLedger(runner: QueryRunner): Promise<Map<string, string>> {
  await runner.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const rows = (await runner.query('SELECT name, checksum FROM schema_migrations')) as Array<{ name: string; checksum: string }>;
  return new Map(rows.map((r) => [r.name, r.checksum]));
}

/** A one-shot migration of the database at `databaseUrl` (CLI, test and bench set-up): connects, migrates, disconnects. */
export async function migrateDatabase(databaseUrl: string, options: DatabaseOptions): Promise<MigrationResult> {
  const dataSource = createDataSource(databaseUrl, { max: 1, applicationName: 'crm-sync migrate', ...options });
  await dataSource.initialize();
  try {
    return await migrate(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
