import { randomBytes } from 'node:crypto';
import { expectEventually } from '../support/eventually';
import { plaintextCopies } from '../support/plaintext-copies';
import { EXAMPLE_MAPPING } from '../support/sandbox-schemas';
import { startSyncEnvironment, type SyncEnvironment } from '../support/sync-environment';
import { runCli } from '../support/run-cli';

const LEADS = 9378000505;
const FIRST = 'Zephyrine';
const LAST = 'Quillfeather';
const EMAIL = 'zephyrine.quillfeather@example.org';
const PHONE = '+14155550177';
const NEW_PHONE = '+14155550188';
/** What may appear of each value wherever it is stored (a phone in any of its formats). */
const PLANTED = [FIRST, LAST, EMAIL, '4155550177', '555-0177', '4155550188', '555-0188'];


/**
 * Personal data through the whole service with PII_ENCRYPTION_KEY set (issue 19, interface.md
 * section 5): a Lead with a recognisable name, e-mail and phone goes through CDC, the projector, the
 * outbox and monday webhooks; no table keeps those values in clear; `crm-sync erase --email` and
 * `crm-sync replay` succeed through the CLI; a later change of that person writes no erased value.
 */
describe('personal data end to end, with the key set', () => {
  const key = randomBytes(32).toString('base64');
  let env: SyncEnvironment;
  let restarted: SyncEnvironment | null = null;

  beforeAll(async () => {
    env = await startSyncEnvironment({ env: { PII_ENCRYPTION_KEY: key } });
    await expectEventually(async () => expect((await fetch(`${env.url}/health`)).status).toBe(200), { timeoutMs: 20_000 });
  }, 60_000);
  afterAll(async () => {
    await restarted?.stop();
    await env?.sandbox.close();
    await env?.db.drop();
  });

  const sf = () => env.sandbox.salesforce.control;
  const md = () => env.sandbox.monday.control;
  const itemOf = (id: string) => md().listItems(LEADS).find((i) => JSON.stringify(i.values.salesforce_id ?? '').includes(id));
  const columnText = async (itemId: number, column: string) => (await env.monday.itemsByIds([String(itemId)]))[0]?.columnValues.find((c) => c.id === column)?.text ?? null;

  it('syncs the person both ways, erases them through the CLI, replays, and never writes an erased value', async () => {
    const { id } = sf().createAsHuman('Lead', { FirstName: FIRST, LastName: LAST, Company: 'Harbor Tide Works', Email: EMAIL, Phone: PHONE, Status: 'Open - Not Contacted' }) as { id: string };
    const item = await expectEventually(() => {
      const found = itemOf(id);
      expect(found).toBeDefined();
      return found!;
    }, { timeoutMs: 30_000 });
    await expectEventually(async () => expect(await columnText(item.id, 'email')).toContain(EMAIL), { timeoutMs: 15_000 });

    // A human edit on monday (webhook) reaches Salesforce.
    md().changeColumnValues({ itemId: item.id, columnValues: { phone: { phone: NEW_PHONE, countryShortName: 'US' } } });
    await expectEventually(() => expect(String(sf().getRecord(id)?.Phone ?? '').replace(/\D/g, '')).toContain('4155550188'), { timeoutMs: 20_000 });
    await env.sandbox.monday.control.waitForWebhooks();
    await env.engine.outbox.dispatcher.idle();

    expect(await plaintextCopies(env.db.pool, PLANTED)).toEqual([]);

    // The service stops (replay needs the projector's lock); the CLI works on the same database.
    await env.service.stop();
    const cliEnv = { ...env.sandbox.variables, DATABASE_URL: env.db.url, SYNC_CONFIG: EXAMPLE_MAPPING, PII_ENCRYPTION_KEY: key };
    const erased = await runCli(['erase', '--email', EMAIL.toUpperCase()], cliEnv);
    expect(erased.stderr).toBe('');
    expect(erased.code).toBe(0);
    expect(erased.stdout).toContain(`salesforce:${id}`);
    expect(erased.stdout).toContain(`monday:${item.id}`);
    expect(erased.stdout).toMatch(/[1-9]\d* data key\(s\) destroyed/);

    const unknown = await runCli(['erase', '--email', 'unknown@x.org'], cliEnv);
    expect(unknown.code).toBe(0);
    expect(unknown.stdout).toContain('nothing to erase');

    const replayed = await runCli(['replay'], cliEnv);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain('rebuilt the sync projection');
    expect(await plaintextCopies(env.db.pool, PLANTED)).toEqual([]);

    // Back up on the same emulators and database: a later change of that Lead syncs, and nothing erased is written.
    restarted = await startSyncEnvironment({ env: { PII_ENCRYPTION_KEY: key }, reuse: { sandbox: env.sandbox, db: env.db } });
    env = { ...env, engine: restarted.engine, monday: restarted.monday };
    sf().updateAsHuman('Lead', id, { Title: 'Volunteer Lead' });
    await expectEventually(async () => expect(await columnText(item.id, 'title')).toBe('Volunteer Lead'), { timeoutMs: 30_000 });
    await env.sandbox.monday.control.waitForWebhooks();
    await restarted.engine.outbox.dispatcher.idle();
    const lead = sf().getRecord(id);
    expect(lead).toMatchObject({ FirstName: FIRST, LastName: LAST, Email: EMAIL });
    expect(String(lead?.Phone ?? '').replace(/\D/g, '')).toContain('4155550188');
    expect(md().getItem(item.id)?.name).toBe('Harbor Tide Works');
    expect(await columnText(item.id, 'email')).toContain(EMAIL);
    const written = JSON.stringify({ lead, item: md().getItem(item.id) });
    expect(written).not.toContain('$erased');
    expect(written).not.toContain('(erased)');
    const { rows } = await env.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE payload::text LIKE '%$erased%'`);
    expect(rows[0].n).toBe(0);
  }, 180_000);
});
