import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EventStore0001 } from './0001_event_store';
import { CdcPositions0002 } from './0002_cdc_positions';
import { SyncState0003 } from './0003_sync_state';
import { OutboxDispatch0004 } from './0004_outbox_dispatch';
import { BackfillProgress0005 } from './0005_backfill_progress';
import { ParkedEvents0006 } from './0006_parked_events';
import { OperatorConsole0007 } from './0007_operator_console';
import { MigrationError, SqlMigration } from './sql-migration';

export { MigrationError, SqlMigration, migrationName } from './sql-migration';

/** migrations/ at the package root: the same three levels up from src/database/migrations and dist/database/migrations. */
export const MIGRATIONS_DIR = resolve(__dirname, '../../../migrations');

/** The migrations written as classes here. */
const CLASS_MIGRATIONS: ReadonlyArray<new () => SqlMigration> = [
  EventStore0001,
  CdcPositions0002,
  SyncState0003,
  OutboxDispatch0004,
  BackfillProgress0005,
  ParkedEvents0006,
  OperatorConsole0007,
];

/**
 * Every migration, in order: the classes above and one class per migrations/NNNN_name.sql file, so
 * a migration may still be written as a plain SQL file (starting with a `-- Why:` comment).
 */
export function allMigrations(dir = MIGRATIONS_DIR): Array<new () => SqlMigration> {
  const classes = [...CLASS_MIGRATIONS, ...sqlFiles(dir).map((file) => sqlFileMigration(dir, file))];
  const byNumber = new Map<string, string>();
  for (const Migration of classes) {
    const { file } = new Migration();
    const number = file.slice(0, 4);
    const other = byNumber.get(number);
    if (other) throw new MigrationError(`${file} and ${other} share the number ${number}; give the newer one the next free number`, file);
    byNumber.set(number, file);
  }
  return classes;
}

function sqlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
}

/** A migration class for one SQL file, read once. */
export function sqlFileMigration(dir: string, file: string): new () => SqlMigration {
  const sql = readFileSync(join(dir, file), 'utf8');
  return class SqlFileMigration extends SqlMigration {
    readonly file = file;
    readonly sql = sql;
  };
}
