import { Test } from '@nestjs/testing';
import type { Pool } from 'pg';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { DATABASE_POOL, DatabaseModule } from '../../src/database/database.module';
import { poolOf } from '../../src/database/data-source';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('DatabaseModule', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('provides one DataSource whose pool is the one injected as DATABASE_POOL, and closes it with the app', async () => {
    const app = await Test.createTestingModule({
      imports: [DatabaseModule.forRootAsync({ useFactory: () => ({ databaseUrl: db.url, logger: pino({ level: 'warn' }), max: 3, applicationName: 'crm-sync module-test' }) })],
    }).compile();
    await app.init();
    const dataSource = app.get(DataSource);
    const pool = app.get<Pool>(DATABASE_POOL);
    expect(pool).toBe(poolOf(dataSource));
    expect(pool.options.max).toBe(3);
    const { rows } = await pool.query<{ name: string }>('SELECT application_name AS name FROM pg_stat_activity WHERE pid = pg_backend_pid()');
    expect(rows[0].name).toBe('crm-sync module-test');
    expect(dataSource.options).toMatchObject({ type: 'postgres', synchronize: false });
    await app.close();
    expect(dataSource.isInitialized).toBe(false);
  });
});
