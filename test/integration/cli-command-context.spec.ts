import { DataSource } from 'typeorm';
import { openCommandContext } from '../../src/cli/command-context';
import { loadConfig } from '../../src/config';
import { EXAMPLE_MAPPING } from '../support/sandbox-schemas';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** The CLI commands ask a Nest application context for what they need instead of building it by hand. */
describe('a command context', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('gives the database, the mapping and only what was asked for, and closes the pool with the context', async () => {
    const config = loadConfig({ DATABASE_URL: db.url, SYNC_CONFIG: EXAMPLE_MAPPING });
    const context = await openCommandContext(config, { database: { max: 1, applicationName: 'crm-sync context-test' }, mapping: true });
    const { rows } = await context.pool.query<{ name: string }>("SELECT application_name AS name FROM pg_stat_activity WHERE application_name = 'crm-sync context-test'");
    expect(rows).toEqual([{ name: 'crm-sync context-test' }]);
    expect(context.mapping.objects.map((o) => o.key)).toContain('lead');
    expect(context.config.databaseUrl).toBe(db.url);
    // Not asked for: not built (no Salesforce login for a command that does not need it).
    expect(() => context.salesforce).toThrow();
    const dataSource: DataSource = context.dataSource;
    await context.close();
    expect(dataSource.isInitialized).toBe(false);
  });

  it('hands a failure while building it to the command (no abort)', async () => {
    const config = loadConfig({ DATABASE_URL: db.url, SYNC_CONFIG: '/nonexistent/crm-sync.yaml' });
    await expect(openCommandContext(config, { mapping: true })).rejects.toThrow(/crm-sync\.yaml/);
  });

  it("gives null for a mapping asked for 'if-present' when there is no file, and the file's mapping when there is one", async () => {
    const absent = await openCommandContext(loadConfig({ SYNC_CONFIG: '/nonexistent/crm-sync.yaml' }), { mapping: 'if-present' });
    expect(absent.mappingIfPresent).toBeNull();
    expect(() => absent.mapping).toThrow(/without a mapping file/);
    await absent.close();
    const present = await openCommandContext(loadConfig({ SYNC_CONFIG: EXAMPLE_MAPPING }), { mapping: 'if-present' });
    expect(present.mappingIfPresent?.objects.map((o) => o.key)).toContain('lead');
    await present.close();
  });

  it('in sandbox mode starts the emulators with the context, points the configuration and both CRM clients at them, and stops them when it closes', async () => {
    const environment = loadConfig({ SYNC_CONFIG: EXAMPLE_MAPPING });
    expect(environment.mode).toBe('sandbox');
    const context = await openCommandContext(environment, { salesforce: true, monday: true, sandbox: { emulators: {}, generatedAdminToken: 'generated-token' } });
    const { salesforceUrl, mondayUrl } = context.sandbox;
    let closed = false;
    try {
      expect(context.config.mode).toBe('sandbox');
      expect(context.config.salesforce.loginUrl).toBe(salesforceUrl);
      expect(context.config.monday.apiUrl).toBe(`${mondayUrl}/v2`);
      expect(context.config.adminToken).toBe('generated-token');
      expect(context.config.secretValues).toContain('generated-token');
      // The clients logged in to / answer from the emulators.
      expect((await context.salesforce.identity()).userId).toMatch(/^005/);
      expect((await context.monday.me()).id).toBeTruthy();
      await context.close();
      closed = true;
      await expect(fetch(`${salesforceUrl}/services/oauth2/token`, { method: 'POST' })).rejects.toThrow();
    } finally {
      if (!closed) await context.close();
    }
  });
});
