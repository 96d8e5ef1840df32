import type { Page } from 'puppeteer-core';
import { DEMO_BOARDS } from '@crm-sync/sandbox';
import { insertCommands, outboxRow } from '../integration/outbox-support';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { expectEventually } from '../support/eventually';
import { startSyncEnvironment, type SyncEnvironment } from '../support/sync-environment';

const TOKEN = 'console-e2e-admin-token-0123456789';
const LEADS = DEMO_BOARDS.leads;

/**
 * The operator console in a real browser (Debian chromium through puppeteer-core) against the whole
 * service and both emulators: sign-in, CSRF refusal, a dead letter retried from the page, a record
 * found by e-mail, and the sandbox demo panel's round trip. Screenshots go to test-artifacts/console.
 */
describe('operator console in a browser', () => {
  let env: SyncEnvironment;
  let web: TestBrowser;
  let page: Page;
  const url = (path: string) => `${env.url}${path}`;
  const bodyText = () => page.evaluate(() => document.body.innerText);

  beforeAll(async () => {
    env = await startSyncEnvironment({ env: { ADMIN_TOKEN: TOKEN } });
    env.service.runtime.operator.sandbox = { salesforceUrl: env.sandbox.salesforce.url, mondayUrl: env.sandbox.monday.url.replace(/\/v2$/, '') };
    await expectEventually(async () => expect((await fetch(url('/health'))).status).toBe(200), { timeoutMs: 30_000 });
    web = await launchBrowser('console');
    page = web.page;
  }, 90_000);
  afterAll(async () => {
    await web?.close();
    await env?.stop();
  });

  it('sends a visitor to the sign-in form, refuses a wrong token and signs in with ADMIN_TOKEN into an HttpOnly SameSite=Strict session', async () => {
    await page.goto(url('/console'));
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await page.type('#token', 'not-the-token');
    await Promise.all([page.waitForNavigation(), page.click('#sign-in')]);
    expect(await bodyText()).toContain('That token is not right');
    expect(page.url()).not.toContain('not-the-token');

    await page.type('#token', TOKEN);
    await Promise.all([page.waitForNavigation(), page.click('#sign-in')]);
    expect(new URL(page.url()).pathname).toBe('/console');
    const text = await bodyText();
    expect(text).toContain('Everything works');
    expect(text).toContain('Salesforce change capture');
    expect(text).toContain('API budgets');
    expect(page.url()).not.toContain(TOKEN);
    const session = (await page.cookies()).find((c) => c.name === 'crm_sync_console');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });
    expect(session?.value).not.toContain(TOKEN);
    expect(env.logs.join('')).not.toContain(TOKEN);
    await web.screenshot('overview');
  });

  it('refuses a state-changing request without the CSRF token (403), even with the session cookie', async () => {
    await page.goto(url('/console/dead-letters'));
    const refused = await page.evaluate(async () => {
      const response = await fetch('/console/dead-letters/1/retry', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '', credentials: 'same-origin' });
      return response.status;
    });
    expect(refused).toBe(403);
    const wrong = await page.evaluate(async () => (await fetch('/console/runs/reconcile', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '_csrf=guess&object=lead' })).status);
    expect(wrong).toBe(403);
    const signedOut = await fetch(url('/console/dead-letters/1/retry'), { method: 'POST', redirect: 'manual' });
    expect(signedOut.status).toBe(403);
  });

  it('shows a dead letter with the CRM message and the hint, and sends it again from the page after the fix', async () => {
    // Seeded (no webhook): an item created as a person would be linked by the running sync, racing the row below.
    const [item] = env.sandbox.monday.control.seedItems(LEADS.id, [{ name: 'Console Dead Letter Org' }]);
    await env.db.pool.query(
      `INSERT INTO sync_records (id, object_key, salesforce_id, monday_board_id, monday_item_id, last_position) VALUES (90001, 'lead', '00Q000000000901EAA', $1, $2, 0)`,
      [String(LEADS.id), String(item.id)],
    );
    const [id] = await insertCommands(env.db.pool, [
      {
        recordId: 90001,
        command: { kind: 'monday.change_columns', target: 'monday', objectKey: 'lead', boardId: String(LEADS.id), itemId: String(item.id), columnValues: { [LEADS.columns.rating]: { label: 'Platinum' } }, createLabelsIfMissing: false },
      },
    ]);
    await env.db.pool.query("SELECT pg_notify('crm_sync_outbox', '')");
    await expectEventually(async () => expect((await outboxRow(env.db.pool, id)).status).toBe('dead'), { timeoutMs: 20_000 });

    await page.goto(url('/console/dead-letters?code=VALIDATION'));
    expect(await page.$(`tr[data-dead-letter="${id}"]`)).not.toBeNull();
    await Promise.all([page.waitForNavigation(), page.click(`tr[data-dead-letter="${id}"] a`)]);
    const detail = await bodyText();
    expect(detail).toContain('VALIDATION');
    expect(detail).toContain("add 'Platinum' to the values map");
    expect(detail).toMatch(/Caused by\s+event/);
    await web.screenshot('dead-letter');

    // The fix: someone adds the label on the board; then the operator retries from the page.
    const other = env.sandbox.monday.control.createItem({ boardId: LEADS.id, name: 'Label maker' });
    env.sandbox.monday.control.changeColumnValues({ itemId: other.id, columnValues: { [LEADS.columns.rating]: { label: 'Platinum' } }, createLabelsIfMissing: true });
    await Promise.all([page.waitForNavigation(), page.click('#retry')]);
    expect(await bodyText()).toContain(`Dead letter ${id} sent again`);
    await expectEventually(async () => expect((await outboxRow(env.db.pool, id)).status).toBe('done'), { timeoutMs: 20_000 });
    expect(env.sandbox.monday.control.getItem(item.id)?.values[LEADS.columns.rating]).toBeDefined();
    await page.goto(url('/console/dead-letters'));
    expect(await page.$(`tr[data-dead-letter="${id}"]`)).toBeNull();
  });

  it("finds a record's history by e-mail and shows both sides, the decisions and the writes", async () => {
    const email = `ada.console.${Date.now()}@example.org`;
    const created = env.sandbox.salesforce.control.createAsHuman('Lead', { FirstName: 'Ada', LastName: 'Lovelace', Company: 'Analytical Engines Trust', Email: email }) as { id: string };
    await expectEventually(async () => {
      const { rows } = await env.db.pool.query<{ monday_item_id: string | null }>('SELECT monday_item_id FROM sync_records WHERE salesforce_id = $1', [created.id]);
      expect(rows[0]?.monday_item_id).toBeTruthy();
    }, { timeoutMs: 30_000 });

    await page.goto(url('/console/records'));
    await page.type('#record-query', email.toUpperCase());
    await Promise.all([page.waitForNavigation(), page.click('#record-search')]);
    expect(new URL(page.url()).pathname).toMatch(/^\/console\/records\/monday\/\d+$/);
    const text = await bodyText();
    expect(text).toContain(created.id);
    expect(text).toContain('Analytical Engines Trust');
    expect(text).toContain(email);
    expect(text).toContain('salesforce.record_changed');
    expect(text).toMatch(/write #\d+ monday\.create_item: done/);
    await web.screenshot('record-history');
  });

  it('demo panel: a person creates an opportunity in Salesforce, it arrives on monday, a move on monday reaches Salesforce', async () => {
    await page.goto(url('/console/demo'));
    await page.$eval('#demo-name', (input) => ((input as HTMLInputElement).value = ''));
    await page.type('#demo-name', 'Console round trip grant');
    await Promise.all([page.waitForNavigation(), page.click('#demo-create')]);
    // The status section refreshes itself (progressive enhancement) until the item is on monday.
    await page.waitForFunction(() => document.body.innerText.includes('Arrived on monday.'), { timeout: 30_000 });
    await web.screenshot('demo-arrived');
    const salesforceId = new URL(page.url()).searchParams.get('sf') as string;
    expect(await page.$eval('#demo-monday-stage', (cell) => cell.textContent)).toBe('Follow-up');

    await Promise.all([page.waitForNavigation(), page.click('#demo-move')]);
    await page.waitForFunction(() => document.body.innerText.includes('Salesforce followed: stage Quote.'), { timeout: 30_000 });
    await web.screenshot('demo-round-trip');
    expect(env.sandbox.salesforce.control.getRecord(salesforceId)).toMatchObject({ Name: 'Console round trip grant', StageName: 'Quote' });
  });
});

describe('OpenAPI description', () => {
  let env: SyncEnvironment;
  beforeAll(async () => {
    env = await startSyncEnvironment({ env: { ADMIN_TOKEN: TOKEN } });
  }, 90_000);
  afterAll(async () => env?.stop());

  it('serves /docs/openapi.json generated from the controllers, with the webhook, health and admin paths, and Swagger UI at /docs', async () => {
    const response = await fetch(`${env.url}/docs/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, { tags?: string[]; summary?: string }>> };
    expect(document.openapi).toMatch(/^3\./);
    expect(document.paths['/webhooks/monday'].post.tags).toEqual(['webhooks']);
    expect(document.paths['/health'].get.tags).toEqual(['health']);
    expect(document.paths['/metrics'].get).toBeDefined();
    expect(document.paths['/admin/status'].get.tags).toEqual(['admin']);
    expect(document.paths['/admin/dead-letters/{id}/retry'].post.summary).toContain('dead letter');
    expect(document.paths['/admin/records/{crm}/{id}/history'].get).toBeDefined();
    expect(Object.keys(document.paths).some((p) => p.startsWith('/console'))).toBe(false);
    const ui = await fetch(`${env.url}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
  });
});
