import { expectEventually } from '../support/eventually';
import { startSyncEnvironment, type SyncEnvironment } from '../support/sync-environment';

const OPPORTUNITIES = 9378000526;
const ADMIN_TOKEN = 'health-limits-admin-token';

interface HealthBody {
  status: string;
  checks: Record<string, { ok: boolean; detail?: Record<string, unknown> }>;
}

/**
 * Issue 4: Salesforce refusing our writes for capacity reasons. An exhausted daily API allocation
 * surfaces as the typed RATE_LIMITED error, the command waits (never dead-lettered on the first try)
 * and /health shows the exhausted usage; a locked row is retried and then succeeds.
 */
describe('Salesforce API limits and row locks seen from the running service', () => {
  let env: SyncEnvironment;
  beforeAll(async () => {
    env = await startSyncEnvironment({ env: { ADMIN_TOKEN } });
    await expectEventually(async () => expect((await health()).status).toBe(200), { timeoutMs: 20_000 });
  });
  afterAll(async () => env?.stop());

  const sf = () => env.sandbox.salesforce.control;
  const md = () => env.sandbox.monday.control;
  async function health(): Promise<{ status: number; body: HealthBody }> {
    const response = await fetch(`${env.url}/health`);
    return { status: response.status, body: (await response.json()) as HealthBody };
  }
  const lastSalesforceCommand = async () =>
    (await env.db.pool.query("SELECT id, status, attempts, last_error FROM outbox WHERE target = 'salesforce' ORDER BY id DESC LIMIT 1")).rows[0];

  async function linkedOpportunity(name: string): Promise<{ id: string; itemId: number }> {
    const { id } = sf().createAsHuman('Opportunity', { Name: name, StageName: 'Follow-up', CloseDate: '2027-07-01' }) as { id: string };
    const item = await expectEventually(() => {
      const found = md().listItems(OPPORTUNITIES).find((i) => JSON.stringify(i.values.salesforce_id ?? '').includes(id));
      expect(found).toBeDefined();
      return found!;
    }, { timeoutMs: 20_000 });
    await env.sandbox.monday.control.waitForWebhooks();
    await env.engine.outbox.dispatcher.idle();
    return { id, itemId: item.id };
  }

  it('an exhausted daily allocation: the write fails as RATE_LIMITED and waits, /health and /admin/status show it, and it goes through once the allocation rolls over', async () => {
    const { id, itemId } = await linkedOpportunity('Allocation Exhausted');
    const { max } = sf().apiUsage();
    sf().setApiUsage({ used: max });

    md().changeColumnValues({ itemId, columnValues: { stage: { label: 'MOU' } } });
    const command = await expectEventually(async () => {
      const row = await lastSalesforceCommand();
      expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: { code: 'RATE_LIMITED', crmCode: 'REQUEST_LIMIT_EXCEEDED' } });
      return row as { id: string };
    }, { timeoutMs: 15_000 });

    const { status, body } = await health();
    // Changes are still caught (CDC does not spend the allocation), so the service stays up, but says why writes wait.
    expect(status).toBe(200);
    expect(body.checks.salesforce).toMatchObject({ ok: true, detail: { rateLimited: true, apiUsage: { used: max, limit: max, remaining: 0 } } });
    const admin = await fetch(`${env.url}/admin/status`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(await admin.json()).toMatchObject({ counts: { pending: 1, dead: 0 } });
    expect(sf().getRecord(id)).toMatchObject({ StageName: 'Follow-up' });

    // The 24-hour window rolls over; the retry (60 s later without a Retry-After) is brought forward.
    sf().setApiUsage({ used: 0 });
    await env.db.pool.query('UPDATE outbox SET available_at = now() WHERE id = $1', [command.id]);
    await expectEventually(() => expect(sf().getRecord(id)).toMatchObject({ StageName: 'MOU' }), { timeoutMs: 15_000 });
    await expectEventually(async () => expect(await lastSalesforceCommand()).toMatchObject({ status: 'done', attempts: 2 }));
    await expectEventually(async () => expect((await health()).body.checks.salesforce).toMatchObject({ ok: true, detail: { rateLimited: false } }));
  });

  it('a locked row (UNABLE_TO_LOCK_ROW) is retried and the write then succeeds, without a dead letter', async () => {
    const { id, itemId } = await linkedOpportunity('Row Lock');
    sf().injectFault({ kind: 'unable_to_lock_row', method: 'PATCH' });

    md().changeColumnValues({ itemId, columnValues: { stage: { label: 'Quote' } } });
    await expectEventually(() => expect(sf().getRecord(id)).toMatchObject({ StageName: 'Quote' }), { timeoutMs: 15_000 });

    const writes = sf().requests().filter((r) => r.method === 'PATCH' && r.client === 'crm-sync');
    expect(writes.slice(-2).map((r) => r.status)).toEqual([400, 200]);
    await expectEventually(async () => expect(await lastSalesforceCommand()).toMatchObject({ status: 'done', attempts: 2 }));
    const { rows } = await env.db.pool.query("SELECT count(*)::int AS n FROM outbox WHERE status = 'dead'");
    expect(rows[0].n).toBe(0);
  });
});
