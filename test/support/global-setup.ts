import pino from 'pino';
import { migrateDatabase } from '../../src/database/migrate';
import { databaseUrl, withAdminClient } from './test-database';

/** Builds the migrated template database that every integration test file of this run clones. */
export default async function globalSetup(): Promise<void> {
  const template = `crm_sync_tpl_${process.pid}_${Date.now().toString(36)}`;
  process.env.CRM_SYNC_TEST_TEMPLATE = template;
  await withAdminClient((admin) => admin.query(`CREATE DATABASE ${template}`));
  await migrateDatabase(databaseUrl(template), { logger: pino({ level: 'warn' }) });
}
