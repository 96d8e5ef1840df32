import { Writable } from 'node:stream';
import { startService, type RunningService } from '../../src/app/start-service';
import { startSyncEngine } from '../../src/app/sync-engine';
import { loadConfig } from '../../src/config';
import { installWebhooks } from '../../src/ingest/monday/install-webhooks';
import { loadMapping } from '../../src/mapping';
import { createMondayClient } from '../../src/monday';
import { createLogger } from '../../src/observability/logger';
import { createSalesforceClient } from '../../src/salesforce';
import { DEMO_BOARDS, startMondayEmulator, type MondayEmulator } from '@crm-sync/sandbox';
import { startSalesforceEmulator, type SalesforceEmulator } from '@crm-sync/sandbox';
import { expectEventually } from '../support/eventually';
import { EXAMPLE_MAPPING } from '../support/sandbox-schemas';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** Recognisable values for every secret variable the emulators let us choose. */
const CHOSEN = {
  SALESFORCE_CLIENT_SECRET: 'SECRETsfclientsecret7d1e',
  SALESFORCE_PASSWORD: 'SECRETsfpassword91ab',
  MONDAY_SIGNING_SECRET: 'SECRETmondaysigning5c2f',
  MONDAY_WEBHOOK_TOKEN: 'SECRETmondaywebhook3e8a',
  ADMIN_TOKEN: 'SECRETadmintoken66f0',
};

/**
 * Issue 20: no secret value in any log line, /metrics, /health, the events table or a dead letter,
 * also when a CRM's error message echoes one (the Salesforce emulator's fault injection answers
 * with a message containing the password, the client secret and the admin token).
 */
describe('secrets never leak into logs, metrics, health, events or dead letters', () => {
  let sf: SalesforceEmulator;
  let monday: MondayEmulator;
  let db: TestDatabase;
  let service: RunningService;
  let url: string;
  let secrets: string[];
  const logs: string[] = [];

  beforeAll(async () => {
    sf = await startSalesforceEmulator({ seed: 'demo', credentials: { clientSecret: CHOSEN.SALESFORCE_CLIENT_SECRET, password: CHOSEN.SALESFORCE_PASSWORD } });
    monday = await startMondayEmulator({ seed: 'demo', signingSecret: CHOSEN.MONDAY_SIGNING_SECRET });
    db = await createTestDatabase();
    const config = loadConfig({}, {
      SALESFORCE_LOGIN_URL: sf.url,
      SALESFORCE_CLIENT_ID: sf.credentials.clientId,
      SALESFORCE_CLIENT_SECRET: CHOSEN.SALESFORCE_CLIENT_SECRET,
      SALESFORCE_USERNAME: sf.credentials.username,
      SALESFORCE_PASSWORD: CHOSEN.SALESFORCE_PASSWORD,
      MONDAY_API_URL: monday.url,
      MONDAY_API_TOKEN: monday.apiToken,
      MONDAY_SIGNING_SECRET: CHOSEN.MONDAY_SIGNING_SECRET,
      MONDAY_WEBHOOK_TOKEN: CHOSEN.MONDAY_WEBHOOK_TOKEN,
      ADMIN_TOKEN: CHOSEN.ADMIN_TOKEN,
      DATABASE_URL: db.url,
      PORT: '0',
      LOG_LEVEL: 'debug',
    });
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logs.push(chunk.toString('utf8'));
        callback();
      },
    });
    const logger = createLogger({ level: 'debug', secretValues: config.secretValues, destination });
    const mapping = loadMapping(EXAMPLE_MAPPING);
    const salesforce = await createSalesforceClient(config.salesforce);
    const mondayClient = createMondayClient(config.monday);
    service = await startService(config, {
      logger,
      startSync: async (runtime, serviceUrl) => {
        const engine = await startSyncEngine(runtime, mapping, { salesforce, monday: mondayClient });
        await installWebhooks(mondayClient, mapping.objects.map((o) => o.monday.board), new URL('/webhooks/monday', serviceUrl.replace('[::1]', '127.0.0.1')).toString());
        return engine;
      },
    });
    url = service.url.replace('[::1]', '127.0.0.1');
    secrets = [...Object.values(CHOSEN), monday.apiToken];
  });
  afterAll(async () => {
    await service?.stop();
    await monday?.close();
    await sf?.close();
    await db?.drop();
  });

  const leaks = (where: string, text: string) => secrets.filter((s) => text.includes(s)).map((s) => `${where}: ${s}`);

  it('drives traffic, including a Salesforce error that echoes secrets, and finds none of them anywhere', async () => {
    await expectEventually(async () => expect((await fetch(`${url}/health`)).status).toBe(200), { timeoutMs: 30_000 });
    const echoed = `invalid value; your password is ${CHOSEN.SALESFORCE_PASSWORD}, client secret ${CHOSEN.SALESFORCE_CLIENT_SECRET}, admin ${CHOSEN.ADMIN_TOKEN}`;
    // A Salesforce lead synced to monday, then a monday edit whose Salesforce write is refused with that message.
    const { id } = sf.control.createAsHuman('Lead', { LastName: 'Leak', Company: 'Leak Check Inc' }) as { id: string };
    const item = await expectEventually(() => {
      const found = monday.control.listItems(DEMO_BOARDS.leads.id).find((i) => JSON.stringify(i.values.salesforce_id ?? '').includes(id));
      expect(found).toBeDefined();
      return found!;
    }, { timeoutMs: 30_000 });
    sf.control.injectFault({ kind: 'http_error', status: 400, errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: echoed, method: 'PATCH', times: 5 });
    monday.control.changeColumnValues({ itemId: item.id, columnValues: { city: 'Leakville' } });
    await expectEventually(async () => {
      const { rows } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE status = 'dead'");
      expect(rows[0].n).toBeGreaterThan(0);
    }, { timeoutMs: 30_000 });
    // Requests that carry secrets in the wrong place: a webhook token in the query, the admin token in a header.
    await fetch(`${url}/webhooks/monday?token=${CHOSEN.MONDAY_WEBHOOK_TOKEN}x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await fetch(`${url}/admin/status`, { headers: { authorization: `Bearer ${CHOSEN.ADMIN_TOKEN}` } });
    await fetch(`${url}/admin/status`, { headers: { authorization: `Bearer ${CHOSEN.SALESFORCE_PASSWORD}` } });

    const found = [
      ...leaks('log', logs.join('')),
      ...leaks('/metrics', await (await fetch(`${url}/metrics`)).text()),
      ...leaks('/health', await (await fetch(`${url}/health`)).text()),
      ...leaks('events', JSON.stringify((await db.pool.query('SELECT * FROM events')).rows)),
      ...leaks('outbox', JSON.stringify((await db.pool.query('SELECT payload, last_error, progress FROM outbox')).rows)),
      ...leaks('dead letters', await (await fetch(`${url}/admin/dead-letters`, { headers: { authorization: `Bearer ${CHOSEN.ADMIN_TOKEN}` } })).text()),
    ];
    expect(found).toEqual([]);
    // The message reached the dead letter (less the secrets): the test saw the echo path.
    const { rows } = await db.pool.query<{ message: string }>("SELECT last_error->>'message' AS message FROM outbox WHERE status = 'dead'");
    expect(rows[0].message).toContain('invalid value; your password is');
  });
});
