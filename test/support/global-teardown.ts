import { withAdminClient } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const template = process.env.CRM_SYNC_TEST_TEMPLATE;
  if (template) await withAdminClient((admin) => admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`));
}
