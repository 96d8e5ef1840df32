import { Writable } from 'node:stream';
import { startService, type RunningService } from '../../src/app/start-service';
import { startSyncEngine } from '../../src/app/sync-engine';
import { loadConfig } from '../../src/config';
import { installWebhooks } from '../../src/ingest/monday/install-webhooks';
import { loadMapping } from '../../src/mapping';
import { createMondayClient } from '../../src/monday';
import { createLogger } from '../../src/observability/logger';
import { createSalesforceClient } from '../../src/salesforce';
import { DEMO_BOARDS, startMondayEmulator, startSalesforceEmulator, type MondayEmulator, type SalesforceEmulator } from '@crm-sync/sandbox';
import { startAlertReceiver, type AlertReceiver } from '../support/alert-receiver';
import { expectEventually } from '../support/eventually';
import { EXAMPLE_MAPPING } from '../support/sandbox-schemas';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

type Flow = 'password' | 'jwt' | 'token';
const SALESFORCE_SECRETS = ['SALESFORCE_CLIENT_SECRET', 'SALESFORCE_PASSWORD', 'SALESFORCE_PRIVATE_KEY', 'SALESFORCE_ACCESS_TOKEN', 'SALESFORCE_REFRESH_TOKEN'];

/** Recognisable values for every secret variable we choose (docs/configuration.md marks which are secret). */
const CHOSEN = {
  SALESFORCE_CLIENT_SECRET: 'SECRETsfclientsecret7d1e',
  SALESFORCE_PASSWORD: 'SECRETsfpassword91ab',
  MONDAY_SIGNING_SECRET: 'SECRETmondaysigning5c2f',
  MONDAY_WEBHOOK_TOKEN: 'SECRETmondaywebhook3e8a',
  ADMIN_TOKEN: 'SECRETadmintoken66f0',
  TELEGRAM_BOT_TOKEN: '7311000042:SECRETtelegramBotToken9c4d',
  DATABASE_PASSWORD: 'SECRETdbpassword4b7c',
  // base64 of 32 bytes each, recognisable in their base64 form.
  PII_ENCRYPTION_KEY: Buffer.from('SECRETpiikey-current-0123456789ab').subarray(0, 32).toString('base64'),
  PII_ENCRYPTION_KEY_PREVIOUS: Buffer.from('SECRETpiikey-previous-123456789a').subarray(0, 32).toString('base64'),
};

/**
 * Issue 20: no secret value in any log line, /metrics, /health, the events table, the outbox, a
 * dead letter or an alert, also when a CRM's error message echoes them (each emulator's fault
 * injection answers with a message quoting every secret of the run: Salesforce's refusal becomes a
 * dead letter, monday's 500 a retried failure in the log and the outbox). Salesforce takes one
 * credential flow at a time, so each flow runs once: password (client secret, password), JWT bearer
 * (the private key, whole and line by line) and tokens (access token, refresh token, with a session
 * expired mid-run so the refresh token is used). Every run also sets the monday, admin, Telegram,
 * database-password and personal-data secrets; the JWT and token runs encrypt personal data.
 */
describe.each<Flow>(['password', 'jwt', 'token'])('secrets never leak (Salesforce %s flow) into logs, metrics, health, events, dead letters or alerts', (flow) => {
  let sf: SalesforceEmulator;
  let monday: MondayEmulator;
  let db: TestDatabase;
  let service: RunningService;
  let receiver: AlertReceiver;
  let url: string;
  let secrets: string[];
  const logs: string[] = [];

  beforeAll(async () => {
    sf = await startSalesforceEmulator({ seed: 'demo', credentials: { clientSecret: CHOSEN.SALESFORCE_CLIENT_SECRET, password: CHOSEN.SALESFORCE_PASSWORD } });
    monday = await startMondayEmulator({ seed: 'demo', signingSecret: CHOSEN.MONDAY_SIGNING_SECRET });
    receiver = await startAlertReceiver();
    db = await createTestDatabase();
    const databaseUrl = new URL(db.url);
    databaseUrl.password = CHOSEN.DATABASE_PASSWORD; // the test server trusts local connections: the password is carried, not checked
    const salesforceVariables = await salesforceCredentials(flow, sf);
    const personalData = flow === 'password' ? {} : { PII_ENCRYPTION_KEY: CHOSEN.PII_ENCRYPTION_KEY, PII_ENCRYPTION_KEY_PREVIOUS: CHOSEN.PII_ENCRYPTION_KEY_PREVIOUS };
    const config = loadConfig({}, {
      SALESFORCE_LOGIN_URL: sf.url,
      SALESFORCE_CLIENT_ID: sf.credentials.clientId,
      ...salesforceVariables,
      MONDAY_API_URL: monday.url,
      MONDAY_API_TOKEN: monday.apiToken,
      MONDAY_SIGNING_SECRET: CHOSEN.MONDAY_SIGNING_SECRET,
      MONDAY_WEBHOOK_TOKEN: CHOSEN.MONDAY_WEBHOOK_TOKEN,
      ADMIN_TOKEN: CHOSEN.ADMIN_TOKEN,
      ALERT_WEBHOOK_URL: receiver.url,
      TELEGRAM_BOT_TOKEN: CHOSEN.TELEGRAM_BOT_TOKEN,
      TELEGRAM_CHAT_ID: '-100200300',
      ...personalData,
      DATABASE_URL: databaseUrl.toString(),
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
      mapping,
      startSync: async (runtime, serviceUrl) => {
        const engine = await startSyncEngine(runtime, mapping, { salesforce, monday: mondayClient });
        await installWebhooks(mondayClient, mapping.objects.map((o) => o.monday.board), new URL('/webhooks/monday', serviceUrl.replace('[::1]', '127.0.0.1')).toString());
        return engine;
      },
    });
    url = service.url.replace('[::1]', '127.0.0.1');
    const pemLines = flow === 'jwt' ? sf.credentials.privateKeyPem.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----')) : [];
    // The values this run configured (a value the service was never given is not its secret to keep).
    const { SALESFORCE_CLIENT_SECRET: _clientSecret, SALESFORCE_PASSWORD: _password, PII_ENCRYPTION_KEY: _key, PII_ENCRYPTION_KEY_PREVIOUS: _previous, ...common } = CHOSEN;
    secrets = [
      ...Object.values(common),
      ...Object.values(personalData),
      ...SALESFORCE_SECRETS.flatMap((name) => (salesforceVariables[name] ? [salesforceVariables[name]] : [])),
      ...pemLines,
      monday.apiToken,
    ];
  });
  afterAll(async () => {
    await service?.stop();
    await monday?.close();
    await sf?.close();
    await receiver?.close();
    await db?.drop();
  });

  const leaks = (where: string, text: string) => secrets.filter((s) => text.includes(s)).map((s) => `${where}: ${s.slice(0, 24)}`);

  it('drives traffic, including a Salesforce and a monday error that echo every secret, and finds none of them anywhere', async () => {
    await expectEventually(async () => expect((await fetch(`${url}/health`)).status).toBe(200), { timeoutMs: 30_000 });
    const echoed = `invalid value; you sent ${secrets.join(' and ')}`;
    // A Salesforce lead synced to monday, then a monday edit whose Salesforce write is refused with that message.
    const { id } = sf.control.createAsHuman('Lead', { LastName: 'Leak', Company: 'Leak Check Inc' }) as { id: string };
    const item = await expectEventually(() => {
      const found = monday.control.listItems(DEMO_BOARDS.leads.id).find((i) => JSON.stringify(i.values.salesforce_id ?? '').includes(id));
      expect(found).toBeDefined();
      return found!;
    }, { timeoutMs: 30_000 });
    // The token run's session ends here: the next call renews it with the refresh token.
    if (flow === 'token') sf.control.expireSessions();
    sf.control.injectFault({ kind: 'http_error', status: 400, errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: echoed, method: 'PATCH', times: 5 });
    monday.control.changeColumnValues({ itemId: item.id, columnValues: { city: 'Leakville' } });
    const deadLetters = await expectEventually(async () => {
      const text = await (await fetch(`${url}/admin/dead-letters`, { headers: { authorization: `Bearer ${CHOSEN.ADMIN_TOKEN}` } })).text();
      expect(text).toContain('invalid value; you sent');
      return text;
    }, { timeoutMs: 30_000 });
    // monday answering a write with a 500 whose message echoes every secret: the write is retried and lands.
    monday.control.addFault({ kind: 'http_500', count: 1, operation: 'change_multiple_column_values', message: `monday echoed ${secrets.join(' and ')}` });
    sf.control.updateAsHuman('Lead', id, { Title: 'Echo Officer' });
    await expectEventually(() => expect(JSON.stringify(monday.control.getItem(item.id)?.values ?? {})).toContain('Echo Officer'), { timeoutMs: 30_000 });
    // The echo was logged (the retried failure's warning), less the secrets (checked with the rest below).
    expect(logs.join('')).toContain('monday echoed');
    // Requests that carry secrets in the wrong place: a webhook token in the query, the admin token in a header.
    await fetch(`${url}/webhooks/monday?token=${CHOSEN.MONDAY_WEBHOOK_TOKEN}x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await fetch(`${url}/admin/status`, { headers: { authorization: `Bearer ${CHOSEN.ADMIN_TOKEN}` } });
    await fetch(`${url}/admin/status`, { headers: { authorization: `Bearer ${CHOSEN.SALESFORCE_PASSWORD}` } });
    // The dead letter's alert went out (Slack-compatible receiver; Telegram has no network here and fails).
    await expectEventually(() => expect(receiver.texts.length).toBeGreaterThan(0), { timeoutMs: 20_000 });

    const found = [
      ...leaks('log', logs.join('')),
      ...leaks('/metrics', await (await fetch(`${url}/metrics`)).text()),
      ...leaks('/health', await (await fetch(`${url}/health`)).text()),
      ...leaks('events', JSON.stringify((await db.pool.query('SELECT * FROM events')).rows)),
      ...leaks('outbox', JSON.stringify((await db.pool.query('SELECT payload, last_error, progress FROM outbox')).rows)),
      ...leaks('sync decisions', JSON.stringify((await db.pool.query('SELECT * FROM sync_decisions')).rows)),
      ...leaks('dead letters', deadLetters),
      ...leaks('alerts', receiver.texts.join('\n')),
    ];
    expect(found).toEqual([]);
    // The echo reached the dead letter, less the secrets: the test saw the echo path.
    expect(deadLetters).toContain('[redacted]');
    if (flow === 'token') {
      // The run used the refresh token: the session was renewed after the expiry above.
      expect(logs.join('')).not.toMatch(/NO_REFRESH_TOKEN/);
    }
  });
});

/** The Salesforce variables of one credential flow, with recognisable or emulator-issued values. */
async function salesforceCredentials(flow: Flow, sf: SalesforceEmulator): Promise<Record<string, string>> {
  switch (flow) {
    case 'password':
      return { SALESFORCE_CLIENT_SECRET: CHOSEN.SALESFORCE_CLIENT_SECRET, SALESFORCE_USERNAME: sf.credentials.username, SALESFORCE_PASSWORD: CHOSEN.SALESFORCE_PASSWORD };
    case 'jwt':
      return { SALESFORCE_USERNAME: sf.credentials.username, SALESFORCE_PRIVATE_KEY: sf.credentials.privateKeyPem };
    case 'token': {
      const response = await fetch(`${sf.url}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: sf.credentials.clientId,
          client_secret: CHOSEN.SALESFORCE_CLIENT_SECRET,
          username: sf.credentials.username,
          password: CHOSEN.SALESFORCE_PASSWORD,
        }),
      });
      const { access_token: accessToken } = (await response.json()) as { access_token: string };
      return {
        SALESFORCE_CLIENT_SECRET: CHOSEN.SALESFORCE_CLIENT_SECRET,
        SALESFORCE_ACCESS_TOKEN: accessToken,
        SALESFORCE_REFRESH_TOKEN: sf.control.issueRefreshToken(),
        SALESFORCE_INSTANCE_URL: sf.url,
      };
    }
  }
}
