import { expectEventually } from '../support/eventually';
import { startSyncEnvironment, type SyncEnvironment } from '../support/sync-environment';

const OPPORTUNITIES = 9378000526;
/** BoundedSessionRefresh's default: refreshes without an authenticated response in between. */
const MAX_REFRESH_ATTEMPTS = 3;

interface HealthBody {
  status: string;
  checks: Record<string, { ok: boolean; detail?: unknown }>;
}

/**
 * Issue 4 and reference 0.3: jsforce retries a 401 forever. When Salesforce keeps refusing the
 * session (an admin rotated the connected app's secret), the service must stop asking after a
 * bounded number of refreshes and say so on GET /health, instead of hammering the token endpoint.
 */
describe('Salesforce session refresh that keeps failing', () => {
  let env: SyncEnvironment;
  beforeAll(async () => {
    env = await startSyncEnvironment();
    await expectEventually(async () => expect((await fetch(`${env.url}/health`)).status).toBe(200), { timeoutMs: 20_000 });
  });
  afterAll(async () => env?.stop());

  const sf = () => env.sandbox.salesforce.control;
  const md = () => env.sandbox.monday.control;
  const tokenRequests = () => sf().requests().filter((r) => r.path === '/services/oauth2/token');
  const health = async () => {
    const response = await fetch(`${env.url}/health`);
    return { status: response.status, body: (await response.json()) as HealthBody };
  };

  it('stops refreshing after the bounded attempts and GET /health answers 503 naming the salesforce check', async () => {
    const { id } = sf().createAsHuman('Opportunity', { Name: 'Rotated Secret', StageName: 'Follow-up', CloseDate: '2027-06-01' }) as { id: string };
    const item = await expectEventually(() => {
      const found = md().listItems(OPPORTUNITIES).find((i) => JSON.stringify(i.values.salesforce_id ?? '').includes(id));
      expect(found).toBeDefined();
      return found!;
    }, { timeoutMs: 20_000 });
    await env.sandbox.monday.control.waitForWebhooks();
    const tokensBefore = tokenRequests().length;

    // The admin rotates the consumer secret: every grant our client can make is now refused.
    env.sandbox.salesforce.credentials.clientSecret = 'rotated-by-the-admin';
    sf().expireSessions();
    sf().dropCometdClients();
    md().changeColumnValues({ itemId: item.id, columnValues: { stage: { label: 'MOU' } } });

    const unhealthy = await expectEventually(async () => {
      const answer = await health();
      expect(answer.status).toBe(503);
      expect(answer.body.checks.salesforce).toMatchObject({ ok: false, detail: { session: 'refresh gave up', reason: expect.stringMatching(/gave up/) } });
      return answer.body;
    }, { timeoutMs: 15_000 });
    expect(unhealthy.status).toBe('unavailable');

    // The outbox keeps trying its write (reauth, then backoff), and every try fails fast without a token request.
    await expectEventually(async () => {
      const { rows } = await env.db.pool.query("SELECT attempts, last_error FROM outbox WHERE target = 'salesforce' ORDER BY id DESC LIMIT 1");
      expect(rows[0]?.attempts).toBeGreaterThanOrEqual(2);
      expect(rows[0]?.last_error).toMatchObject({ code: 'SESSION_EXPIRED' });
    }, { timeoutMs: 15_000 });
    const refused = tokenRequests().slice(tokensBefore);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThanOrEqual(MAX_REFRESH_ATTEMPTS);
    expect(refused.every((r) => r.status === 400)).toBe(true);
    expect(sf().getRecord(id)).toMatchObject({ StageName: 'Follow-up' });
    expect((await health()).status).toBe(503);
  });
});
