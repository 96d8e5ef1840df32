import { Pool } from 'pg';
import { migrate } from '../../src/database/migrate';
import { databaseUrl, withAdminClient } from './test-database';

/** Builds the migrated template database that every integration test file of this run clones. */
export default async function globalSetup(): Promise<void> {
  const template = `crm_sync_tpl_${process.pid}_${Date.now().toString(36)}`;
  process.env.CRM_SYNC_TEST_TEMPLATE = template;
  await withAdminClient((admin) => admin.query(`CREATE DATABASE ${template}`));
  const pool = new Pool({ connectionString: databaseUrl(template), max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
}
