import { startSandbox, type SandboxEnvironment } from '@crm-sync/sandbox';
import { startChildService, type ChildService } from '../support/child-service';
import { expectEventually } from '../support/eventually';
import { EXAMPLE_MAPPING } from '../support/sandbox-schemas';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('CDC ingest survives SIGKILL (issue 4, invariant 5)', () => {
  // Starts crm-sync as child processes (tsx, no build): on a loaded 2-core machine a start alone can take 30 s.
  jest.setTimeout(300_000);
  let sandbox: SandboxEnvironment;
  let db: TestDatabase;
  let service: ChildService | null = null;

  beforeAll(async () => {
    sandbox = await startSandbox();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await sandbox.close();
    await db.drop();
  });

  const start = () => startChildService({ ...sandbox.variables, DATABASE_URL: db.url, PORT: '0', SYNC_CONFIG: EXAMPLE_MAPPING });
  const titles = async (): Promise<string[]> =>
    (await db.pool.query("SELECT payload->'fields'->>'Title' AS title FROM events WHERE type = 'salesforce.record_changed' AND payload->>'changeType' = 'UPDATE' ORDER BY position")).rows.map((r) => r.title);
  const healthy = (url: string) => expectEventually(async () => expect((await fetch(`${url}/health`)).status).toBe(200), { timeoutMs: 20_000 });

  it('kill mid-stream, 50 more changes while down, restart: every change arrives exactly once', async () => {
    service = await start();
    await healthy(service.url);
    const { id } = sandbox.salesforce.control.createAsHuman('Lead', { LastName: 'Kill', Company: 'Kill Test' }) as { id: string };
    for (let i = 0; i < 20; i++) sandbox.salesforce.control.updateAsHuman('Lead', id, { Title: `before ${i}` });
    await expectEventually(async () => expect((await titles()).length).toBeGreaterThanOrEqual(5), { timeoutMs: 20_000 });
    service.child.kill('SIGKILL');
    await service.exited;

    for (let i = 0; i < 50; i++) sandbox.salesforce.control.updateAsHuman('Lead', id, { Title: `after ${i}` });
    service = await start();
    const expected = [...Array.from({ length: 20 }, (_, i) => `before ${i}`), ...Array.from({ length: 50 }, (_, i) => `after ${i}`)];
    await expectEventually(async () => expect(await titles()).toEqual(expected), { timeoutMs: 30_000 });
  });
});
