import type { Page } from 'puppeteer-core';
import { recordHistory } from '../../src/admin/record-history';
import { DEMO_BOARDS } from '@crm-sync/sandbox';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { expectEventually } from '../support/eventually';
import { startSyncEnvironment, type SyncEnvironment } from '../support/sync-environment';

const TOKEN = 'console-duplicates-admin-token-0123456789';
const LEADS = DEMO_BOARDS.leads;

/**
 * The console's Duplicates pages in a real browser against the whole service and both emulators:
 * a planted cluster listed with its reason, members on both sides and proposed master; the merge's
 * dry run; a POST without the CSRF token refused; the merge asked for from the page and carried out
 * by the sync; the merged-away item's history names the master.
 */
describe('console: duplicates and merges', () => {
  let env: SyncEnvironment;
  let web: TestBrowser;
  let page: Page;
  const url = (path: string) => `${env.url}${path}`;
  const bodyText = () => page.evaluate(() => document.body.innerText);

  beforeAll(async () => {
    env = await startSyncEnvironment({ env: { ADMIN_TOKEN: TOKEN } });
    await expectEventually(async () => expect((await fetch(url('/health'))).status).toBe(200), { timeoutMs: 30_000 });
    web = await launchBrowser('console-duplicates');
    page = web.page;
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(url('/console/sign-in'));
    await page.type('#token', TOKEN);
    await Promise.all([page.waitForNavigation(), page.click('#sign-in')]);
  }, 90_000);
  afterAll(async () => {
    await web?.close();
    await env?.stop();
  });

  it('lists the cluster, previews the merge, refuses a POST without the CSRF token, and merges from the page', async () => {
    const sf = env.sandbox.salesforce.control;
    const md = env.sandbox.monday.control;
    const lead = (sf.createAsHuman('Lead', { FirstName: 'Oskar', LastName: 'Brandt', Company: 'Brandt Stiftung', Email: 'oskar@brandt-stiftung.de' }) as { id: string }).id;
    const leadItem = await expectEventually(() => {
      const found = md.listItems(LEADS.id).find((i) => JSON.stringify(i.values.salesforce_id ?? '').includes(lead));
      if (!found) throw new Error('no item for the Lead yet');
      return found;
    }, { timeoutMs: 20_000 });
    // The item exists before its link is recorded: wait for the link, or the pair is listed as two records.
    await expectEventually(async () => {
      const { rowCount } = await env.db.pool.query('SELECT 1 FROM sync_records WHERE salesforce_id = $1 AND monday_item_id = $2', [lead, String(leadItem.id)]);
      expect(rowCount).toBe(1);
    }, { timeoutMs: 20_000 });
    const stray = md.createItem({ boardId: LEADS.id, name: 'Brandt Stiftung', columnValues: { first_name: 'Oskar', last_name: 'Brandt', email: { email: 'Oskar@Brandt-Stiftung.de', text: 'Oskar' } } }).id;

    await page.goto(url('/console/duplicates'));
    await Promise.all([page.waitForNavigation(), page.click('a[href="/console/duplicates/lead"]')]);
    const row = await expectEventually(async () => {
      const text = await page.$eval(`tr:has(a[href="/console/records/monday/${stray}"])`, (tr) => (tr as HTMLElement).innerText).catch(() => null);
      if (!text) {
        await page.reload();
        throw new Error('cluster not listed yet');
      }
      return text;
    }, { timeoutMs: 30_000 });
    expect(row).toContain('same email');
    expect(row).toContain(lead);
    expect(row).toContain(String(leadItem.id));
    expect(row).toContain(`salesforce ${lead}`);
    expect(row).toContain('linked to the other side');
    await web.screenshot('clusters');

    await Promise.all([page.waitForNavigation(), page.click(`tr:has(a[href="/console/records/monday/${stray}"]) a[href^="/console/duplicates/lead/dup-"]`)]);
    const preview = await bodyText();
    expect(preview).toContain('nothing has changed yet');
    expect(preview).toContain(`monday item ${stray}: archived`);
    expect(md.getItem(stray)?.state).toBe('active');
    const action = await page.$eval('form:has(#merge)', (form) => (form as HTMLFormElement).getAttribute('action'));
    const refused = await page.evaluate(async (path) => (await fetch(path!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'master=x' })).status, action);
    expect(refused).toBe(403);
    expect(md.getItem(stray)?.state).toBe('active');
    await web.screenshot('preview');

    await Promise.all([page.waitForNavigation(), page.click('#merge')]);
    expect(await bodyText()).toContain(`into salesforce:${lead}`);
    await expectEventually(() => expect(md.getItem(stray)?.state).toBe('archived'), { timeoutMs: 20_000 });
    expect(md.getItem(leadItem.id)?.state).toBe('active');
    await expectEventually(async () => expect((await recordHistory(env.db.pool, 'monday', String(stray)))?.mergedInto).toMatchObject({ crm: 'monday', id: String(leadItem.id) }), { timeoutMs: 20_000 });

    await page.goto(url(`/console/records/monday/${stray}`));
    expect(await bodyText()).toContain(`Merged into monday ${leadItem.id}`);
    await web.screenshot('merged-history');
  }, 120_000);
});
