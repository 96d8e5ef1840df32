import { createHash } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MigrationError extends Error {
  readonly code = 'MIGRATION_FAILED';
  constructor(
    message: string,
    readonly migration: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

/**
 * A forward-only migration holding raw SQL. `file` is its name in schema_migrations, the ledger of
 * the runner TypeORM replaced, which still keeps each migration's checksum: TypeORM does not notice
 * an applied migration being edited, migrate.ts does. A database migrated before TypeORM lists the
 * file there already: up() is then a no-op, and TypeORM merely records it as run.
 */
export abstract class SqlMigration implements MigrationInterface {
  /** e.g. 0001_event_store.sql */
  abstract readonly file: string;
  abstract readonly sql: string;

  /** TypeORM orders migrations by the number its name ends with (13 digits); ours is the file's. */
  get name(): string {
    return migrationName(this.file);
  }

  get checksum(): string {
    return createHash('sha256').update(this.sql).digest('hex');
  }

  async up(queryRunner: QueryRunner): Promise<void> {
    const listed = (await queryRunner.query('SELECT 1 FROM schema_migrations WHERE name = $1', [this.file])) as unknown[];
    if (listed.length > 0) return;
    try {
      await queryRunner.query(this.sql);
    } catch (error) {
      throw new MigrationError(`${this.file} failed: ${(error as Error).message}`, this.file);
    }
    await queryRunner.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [this.file, this.checksum]);
  }

  async down(): Promise<void> {
    throw new MigrationError(`${this.file}: migrations are forward-only; add a new migration instead`, this.file);
  }
}

export function migrationName(file: string): string {
  const number = /^(\d{4})_/.exec(file)?.[1];
  if (!number) throw new MigrationError(`${file}: a migration's name starts with its 4-digit number`, file);
  return `${file}@${number.padStart(13, '0')}`;
}
