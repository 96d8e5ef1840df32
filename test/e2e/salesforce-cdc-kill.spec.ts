import { expectEventually } from '../support/eventually';
import { useSandboxChildServices } from '../support/sandbox-child-service';

describe('CDC ingest survives SIGKILL (issue 4, invariant 5)', () => {
  // Starts crm-sync as child processes (tsx, no build): on a loaded 2-core machine a start alone can take 30 s.
  jest.setTimeout(300_000);
  const world = useSandboxChildServices();
  const start = () => world.start();
  const titles = async (): Promise<string[]> =>
    (await world.db.pool.query("SELECT payload->'fields'->>'Title' AS title FROM events WHERE type = 'salesforce.record_changed' AND payload->>'changeType' = 'UPDATE' ORDER BY position")).rows.map((r) => r.title);
  const healthy = (url: string) => expectEventually(async () => expect((await fetch(`${url}/health`)).status).toBe(200), { timeoutMs: 20_000 });

  it('kill mid-stream, 50 more changes while down, restart: every change arrives exactly once', async () => {
    const service = await start();
    await healthy(service.url);
    const { id } = world.sandbox.salesforce.control.createAsHuman('Lead', { LastName: 'Kill', Company: 'Kill Test' }) as { id: string };
    for (let i = 0; i < 20; i++) world.sandbox.salesforce.control.updateAsHuman('Lead', id, { Title: `before ${i}` });
    await expectEventually(async () => expect((await titles()).length).toBeGreaterThanOrEqual(5), { timeoutMs: 20_000 });
    service.child.kill('SIGKILL');
    await service.exited;

    for (let i = 0; i < 50; i++) world.sandbox.salesforce.control.updateAsHuman('Lead', id, { Title: `after ${i}` });
    await start();
    const expected = [...Array.from({ length: 20 }, (_, i) => `before ${i}`), ...Array.from({ length: 50 }, (_, i) => `after ${i}`)];
    await expectEventually(async () => expect(await titles()).toEqual(expected), { timeoutMs: 30_000 });
  });
});
