import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { createDataSource, dataSourceOptions, MIGRATIONS_TABLE } from '../../src/database/data-source';
import { migrate } from '../../src/database/migrate';
import { allMigrations, SqlMigration } from '../../src/database/migrations';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const logger = pino({ level: 'warn' });

async function withDataSource<T>(source: DataSource, fn: (source: DataSource) => Promise<T>): Promise<T> {
  await source.initialize();
  try {
    return await fn(source);
  } finally {
    await source.destroy();
  }
}

function migrationsOf(dir?: string): SqlMigration[] {
  return allMigrations(dir).map((Migration) => new Migration());
}

describe('migrations through TypeORM (style lesson 11)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => db.drop());

  it('two instances migrating at once apply each migration exactly once', async () => {
    const [a, b] = await Promise.all([
      withDataSource(createDataSource(db.url, { logger, max: 1 }), migrate),
      withDataSource(createDataSource(db.url, { logger, max: 1 }), migrate),
    ]);
    const applied = [...a.applied, ...b.applied].sort();
    expect(applied).toEqual(migrationsOf().map((m) => m.file));
    expect([...a.applied, ...a.alreadyApplied].sort()).toEqual([...b.applied, ...b.alreadyApplied].sort());
    const { rows } = await db.pool.query(`SELECT to_regclass('events') AS events, (SELECT count(*)::int FROM ${MIGRATIONS_TABLE}) AS recorded`);
    expect(rows[0]).toEqual({ events: 'events', recorded: applied.length });
  });

  it('running again changes nothing', async () => {
    const before = await db.pool.query(`SELECT name, timestamp FROM ${MIGRATIONS_TABLE} ORDER BY id`);
    const result = await withDataSource(createDataSource(db.url, { logger }), migrate);
    expect(result.applied).toEqual([]);
    const after = await db.pool.query(`SELECT name, timestamp FROM ${MIGRATIONS_TABLE} ORDER BY id`);
    expect(after.rows).toEqual(before.rows);
  });

  it('refuses to continue when an applied migration was edited', async () => {
    await db.pool.query("UPDATE schema_migrations SET checksum = 'edited' WHERE name = '0001_event_store.sql'");
    await expect(withDataSource(createDataSource(db.url, { logger }), migrate)).rejects.toMatchObject({
      code: 'MIGRATION_FAILED',
      migration: '0001_event_store.sql',
    });
  });
});

describe('a database migrated by the runner before TypeORM', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => db.drop());

  it('is recognised: nothing runs twice, and only the migrations it lacks are applied', async () => {
    // What the old runner did for 0001-0007: each file in a transaction, name and sha256 recorded.
    await db.pool.query('CREATE TABLE schema_migrations (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const all = migrationsOf();
    const old = all.filter((m) => m.file < '0008');
    for (const migration of old) {
      await db.pool.query(migration.sql);
      await db.pool.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [migration.file, migration.checksum]);
    }
    const result = await withDataSource(createDataSource(db.url, { logger }), migrate);
    expect(result.applied).toEqual(all.filter((m) => m.file >= '0008').map((m) => m.file));
    expect(result.alreadyApplied).toEqual(old.map((m) => m.file));
    const recorded = await db.pool.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`);
    expect(recorded.rows.map((r) => r.name)).toEqual(all.map((m) => m.name));
  });
});

describe('a migration written as a SQL file', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => db.drop());

  it('is wrapped in a migration class named after the file and run in number order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-sync-migrations-'));
    writeFileSync(join(dir, '0099_later.sql'), '-- Why: a test.\nINSERT INTO probe VALUES (2);\n');
    writeFileSync(join(dir, '0098_probe.sql'), '-- Why: a test.\nCREATE TABLE probe (n int);\nINSERT INTO probe VALUES (1);\n');
    const source = new DataSource({ ...dataSourceOptions(db.url, { logger }), migrations: allMigrations(dir) });
    const result = await withDataSource(source, migrate);
    expect(result.applied.slice(-2)).toEqual(['0098_probe.sql', '0099_later.sql']);
    const { rows } = await db.pool.query('SELECT array_agg(n ORDER BY n) AS n FROM probe');
    expect(rows[0].n).toEqual([1, 2]);
    const named = await db.pool.query(`SELECT name FROM ${MIGRATIONS_TABLE} WHERE name LIKE '0099%'`);
    expect(named.rows).toEqual([{ name: '0099_later.sql@0000000000099' }]);
  });

  it('may not share its number with another migration', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-sync-migrations-'));
    writeFileSync(join(dir, '0001_clash.sql'), 'SELECT 1;\n');
    expect(() => allMigrations(dir)).toThrow(/0001_clash\.sql and 0001_event_store\.sql share the number 0001/);
  });
});

describe('migrations converted to classes', () => {
  it('hold byte for byte the SQL the old runner recorded, so its databases are recognised', () => {
    const byFile = new Map(migrationsOf().map((m) => [m.file, m.checksum]));
    expect(Object.fromEntries([...byFile].filter(([file]) => file < '0008'))).toEqual({
      '0001_event_store.sql': '8273d37c64407bdfaaa0ca2cf30e2e5b1c89372f70930a554327e27834a3eafa',
      '0002_cdc_positions.sql': '72a4a920fcf86c33678fd45dba5df853d6897845230a2b03ca6b68b07c902ee9',
      '0003_sync_state.sql': 'ccbd0cde66673330a5297280e5b717b51f6f06f0ac2ac1fecbeb9c100561e670',
      '0004_outbox_dispatch.sql': 'd2691c496de779efa50f90af3f55884f17ea223aa42c18af7dee8072836d49d4',
      '0005_backfill_progress.sql': 'f6facae122b2832604302ba216e4179d60659dcc6edeeb94d2e597b9a7a311be',
      '0006_parked_events.sql': '7c27e1e4fe889a59058f272e098feafcedd61ef889712b16cc803fc7dba2581e',
      '0007_operator_console.sql': '0631f4e0d8f728331bdbc8b3d7597f02ab7ba97bb0758519d4c3e2b0e430e113',
    });
  });
});
