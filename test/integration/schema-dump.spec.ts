import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { normaliseSchemaDump, schemaDump } from '../../src/database/schema-dump';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const SCHEMA_FILE = resolve(__dirname, '../../docs/schema.sql');

describe('docs/schema.sql', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('is the schema the migrations build (regenerate: UPDATE_SCHEMA_DUMP=1 npx jest test/integration/schema-dump.spec.ts)', async () => {
    const current = await schemaDump(db.url);
    if (process.env.UPDATE_SCHEMA_DUMP === '1') writeFileSync(SCHEMA_FILE, current);
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    if (committed !== current) {
      throw new Error(
        'docs/schema.sql differs from the schema the migrations build (a migration was added or changed without regenerating it).\n' +
          'Regenerate it with: UPDATE_SCHEMA_DUMP=1 npx jest test/integration/schema-dump.spec.ts, and commit it with the migration.',
      );
    }
    expect(current).toContain('CREATE TABLE public.events (');
  });

  it('drops what varies between dumps and keeps the statements', () => {
    const dump = '--\n-- PostgreSQL database dump\n--\n\n\\restrict abc\n\nSET lock_timeout = 0;\nSELECT pg_catalog.set_config(\'search_path\', \'\', false);\n\n\n\nCREATE TABLE public.t (\n    n integer\n);\n\n\n\n\\unrestrict abc\n';
    expect(normaliseSchemaDump(dump).split('\n').filter((l) => !l.startsWith('--'))).toEqual(['', 'CREATE TABLE public.t (', '    n integer', ');', '']);
  });
});
