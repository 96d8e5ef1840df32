import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const SCHEMA_DUMP_HEADER = `-- The schema of a freshly migrated database: pg_dump --schema-only --no-owner --no-privileges,
-- without comments, session settings and blank-line runs (schemaDump in src/database/schema-dump.ts).
-- Checked by test/integration/schema-dump.spec.ts; after adding a migration, regenerate it with
--   UPDATE_SCHEMA_DUMP=1 npx jest test/integration/schema-dump.spec.ts
`;

/** The schema of the database at `databaseUrl`, as docs/schema.sql holds it. Needs pg_dump on PATH. */
export async function schemaDump(databaseUrl: string): Promise<string> {
  const { stdout } = await promisify(execFile)('pg_dump', ['--schema-only', '--no-owner', '--no-privileges', '--dbname', databaseUrl], { maxBuffer: 16 * 1024 * 1024 });
  return normaliseSchemaDump(stdout);
}

/**
 * Keeps what describes the schema and drops what varies between runs or servers: comments (they
 * name pg_dump's version), \restrict keys (random per dump), SET and set_config lines.
 */
export function normaliseSchemaDump(dump: string): string {
  const kept = dump
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => !/^(--|\\restrict |\\unrestrict |SET |SELECT pg_catalog\.set_config\()/.test(line));
  const body = kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return `${SCHEMA_DUMP_HEADER}\n${body}\n`;
}
