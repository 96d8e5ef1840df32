import { installWebhooks } from '../../src/ingest/monday/install-webhooks';
import { loadMapping } from '../../src/mapping';
import { createMondayClient } from '../../src/monday';
import { DEMO_BOARDS } from '@crm-sync/sandbox';
import { startSandbox, type SandboxEnvironment } from '@crm-sync/sandbox';
import { START_BOUND_MS, type ChildService } from '../support/child-service';
import { expectEventually } from '../support/eventually';
import { EXAMPLE_MAPPING } from '../support/sandbox-schemas';
import { killInstance, leadershipOf, startInstance, startRoundRobinProxy, type RoundRobinProxy } from '../support/service-cluster';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const LEADS = DEMO_BOARDS.leads.id;

/**
 * interface.md section 5: two `crm-sync start` processes on one database behind a load balancer.
 * Webhooks reach both; the instance holding the projector and CDC leader locks is killed with
 * SIGKILL; the other takes both roles over and every change made before and after the kill reaches
 * the other side once.
 */
describe('several instances on one database: kill -9 of the leader', () => {
  // Starts crm-sync as child processes (tsx, no build): on a loaded 2-core machine a start alone went
  // past 60 s (load 25). Every bound here catches a hang, none measures speed: the starts get
  // START_BOUND_MS, each wait for the pipeline PROGRESS_MS, the test all of them at most.
  const PROGRESS_MS = 120_000;
  jest.setTimeout(2 * START_BOUND_MS + 10 * PROGRESS_MS);
  let sandbox: SandboxEnvironment;
  let db: TestDatabase;
  let proxy: RoundRobinProxy;
  const instances: ChildService[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox();
    db = await createTestDatabase();
    proxy = await startRoundRobinProxy();
  });
  afterAll(async () => {
    for (const instance of instances) if (instance.child.exitCode === null) instance.child.kill('SIGKILL');
    await proxy?.close();
    await sandbox?.close();
    await db?.drop();
  });

  const sf = () => sandbox.salesforce.control;
  const md = () => sandbox.monday.control;
  const openCommands = async () => (await db.pool.query<{ open: number }>("SELECT count(*)::int AS open FROM outbox WHERE status IN ('pending', 'in_flight')")).rows[0].open;
  const env = () => ({ ...sandbox.variables, DATABASE_URL: db.url, SYNC_CONFIG: EXAMPLE_MAPPING });
  const itemOf = (salesforceId: string) => md().listItems(LEADS).filter((i) => JSON.stringify(i.values.salesforce_id ?? '').includes(salesforceId));
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value ?? ''));
  const linkedItem = (salesforceId: string) =>
    expectEventually(() => {
      const items = itemOf(salesforceId);
      expect(items).toHaveLength(1);
      return items[0];
    }, { timeoutMs: PROGRESS_MS, intervalMs: 200 });

  it('webhooks spread over both, the survivor takes the roles over, nothing is lost or sent twice', async () => {
    const first = await startInstance(env(), START_BOUND_MS);
    instances.push(first);
    await expectEventually(async () => expect(await leadershipOf(first.url)).toEqual({ projector: true, cdc: true }), { timeoutMs: PROGRESS_MS, intervalMs: 200 });
    const second = await startInstance(env(), START_BOUND_MS);
    instances.push(second);
    await expectEventually(async () => expect((await fetch(`${second.url}/health`)).status).toBe(200), { timeoutMs: PROGRESS_MS, intervalMs: 200 });
    expect(await leadershipOf(second.url)).toEqual({ projector: false, cdc: false });
    proxy.targets.push(first.url, second.url);
    const mapping = loadMapping(EXAMPLE_MAPPING);
    const monday = createMondayClient({ apiUrl: sandbox.monday.url, apiToken: sandbox.monday.apiToken, apiVersion: '2025-10', signingSecret: null, webhookToken: null });
    await installWebhooks(monday, [...new Set(mapping.objects.map((o) => o.monday.board))], `${proxy.url}/webhooks/monday`);

    // Both alive: Salesforce leads become items, then monday edits of those items reach Salesforce.
    const before = [0, 1, 2].map((i) => (sf().createAsHuman('Lead', { LastName: `Before ${i}`, Company: `Failover Before ${i}` }) as { id: string }).id);
    const beforeItems = await Promise.all(before.map(linkedItem));
    for (const [i, item] of beforeItems.entries()) md().changeColumnValues({ itemId: item.id, columnValues: { city: `City ${i}` } });
    await expectEventually(() => before.forEach((id, i) => expect(sf().getRecord(id)?.City).toBe(`City ${i}`)), { timeoutMs: PROGRESS_MS, intervalMs: 200 });
    await md().waitForWebhooks();
    expect(proxy.hits.get(first.url) ?? 0).toBeGreaterThan(0);
    expect(proxy.hits.get(second.url) ?? 0).toBeGreaterThan(0);

    // kill -9 the leader, then change both sides at once. It is killed holding no claim (outbox
    // settled first), so a command dispatched twice below is a double send, not a crash's re-send.
    await expectEventually(async () => expect(await openCommands()).toBe(0), { timeoutMs: PROGRESS_MS, intervalMs: 200 });
    await killInstance(first);
    proxy.targets.splice(proxy.targets.indexOf(first.url), 1);
    const after = [0, 1, 2].map((i) => (sf().createAsHuman('Lead', { LastName: `After ${i}`, Company: `Failover After ${i}` }) as { id: string }).id);
    for (const [i, id] of before.entries()) sf().updateAsHuman('Lead', id, { Title: `Title ${i}` });
    for (const [i, item] of beforeItems.entries()) md().changeColumnValues({ itemId: item.id, columnValues: { city: `Moved ${i}` } });

    await expectEventually(async () => expect(await leadershipOf(second.url)).toEqual({ projector: true, cdc: true }), { timeoutMs: PROGRESS_MS, intervalMs: 200 });
    await Promise.all(after.map(linkedItem));
    await expectEventually(() => before.forEach((id, i) => expect(sf().getRecord(id)?.City).toBe(`Moved ${i}`)), { timeoutMs: PROGRESS_MS, intervalMs: 200 });
    await expectEventually(() => beforeItems.forEach((item, i) => expect(text(md().getItem(item.id)?.values.title)).toContain(`Title ${i}`)), { timeoutMs: PROGRESS_MS, intervalMs: 200 });
    await expectEventually(async () => expect(await openCommands()).toBe(0), { timeoutMs: PROGRESS_MS, intervalMs: 200 });

    // Nothing doubled: one item per lead, one lead per company, every command either sent once (claimed
    // once, done) or cancelled unsent because later changes superseded it (never claimed; fine).
    for (const id of [...before, ...after]) expect(itemOf(id)).toHaveLength(1);
    const companies = sf().records('Lead').map((l) => String(l.Company)).filter((c) => c.startsWith('Failover'));
    expect(companies.sort()).toEqual([...[0, 1, 2].map((i) => `Failover After ${i}`), ...[0, 1, 2].map((i) => `Failover Before ${i}`)]);
    const { rows: commands } = await db.pool.query<{ id: string; kind: string; status: string; dispatches: number; code: string | null }>(
      "SELECT id, kind, status, dispatches, last_error->>'code' AS code FROM outbox ORDER BY id",
    );
    const superseded = commands.filter((c) => c.dispatches === 0 && c.status === 'done' && c.code === 'SUPERSEDED');
    const sent = commands.filter((c) => !superseded.includes(c));
    expect(sent.filter((c) => c.status !== 'done' || c.dispatches !== 1 || c.code !== null)).toEqual([]);
    const { rows: creates } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE kind = 'monday.create_item'");
    expect(creates[0].n).toBe(6);
  });
});
