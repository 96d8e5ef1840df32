import { Pool } from 'pg';
import { migrate } from '../../src/database/migrate';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('migrations (style lesson 11)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => db.drop());

  it('two instances migrating at once apply each migration exactly once', async () => {
    const other = new Pool({ connectionString: db.url, max: 2 });
    try {
      const [a, b] = await Promise.all([migrate(db.pool), migrate(other)]);
      const applied = [...a.applied, ...b.applied].sort();
      expect(applied.length).toBeGreaterThan(0);
      expect(new Set(applied).size).toBe(applied.length);
      expect([...a.applied, ...a.alreadyApplied].sort()).toEqual([...b.applied, ...b.alreadyApplied].sort());
    } finally {
      await other.end();
    }
    const { rows } = await db.pool.query("SELECT to_regclass('events') AS events");
    expect(rows[0].events).toBe('events');
  });

  it('running again changes nothing', async () => {
    const before = await db.pool.query('SELECT name, applied_at FROM schema_migrations ORDER BY name');
    const result = await migrate(db.pool);
    expect(result.applied).toEqual([]);
    const after = await db.pool.query('SELECT name, applied_at FROM schema_migrations ORDER BY name');
    expect(after.rows).toEqual(before.rows);
  });

  it('refuses to continue when an applied migration file was edited', async () => {
    await db.pool.query("UPDATE schema_migrations SET checksum = 'edited' WHERE name = '0001_event_store.sql'");
    await expect(migrate(db.pool)).rejects.toMatchObject({ code: 'MIGRATION_FAILED', migration: '0001_event_store.sql' });
  });
});
