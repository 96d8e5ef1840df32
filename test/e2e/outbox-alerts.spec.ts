import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createDeadLetterAlerts, type DeadLetterAlert } from '../../src/alerts';
import { expectEventually } from '../support/eventually';

interface Received {
  url: string;
  body: Record<string, unknown>;
}

const BOT_TOKEN = '123456:telegram-bot-token-secret';
const SF_TOKEN = '00D000000000001!AQ4AQFakeSessionTokenValue1234567890';

const alert = (n: number, message = 'Status: bad value for restricted picklist field: Foo'): DeadLetterAlert => ({
  commandId: n,
  kind: 'salesforce.update',
  target: 'salesforce',
  objectKey: 'lead',
  record: `Salesforce Lead 00Q00000000000${n}`,
  error: { code: n % 2 === 0 ? 'VALIDATION' : 'DUPLICATE', message },
  hint: "add 'Foo' to the values map of objects.lead.fields[3]",
  causedBy: 1000 + n,
});

describe('dead-letter alerts on the Slack webhook and Telegram', () => {
  let server: http.Server;
  let base: string;
  const received: Received[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let data = '';
      req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ url: req.url ?? '', body: JSON.parse(data) as Record<string, unknown> });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => void received.splice(0));

  const notifier = (windowMs: number) => {
    const alerts = createDeadLetterAlerts(
      { alerts: { webhookUrl: `${base}/slack`, telegram: { botToken: BOT_TOKEN, chatId: '-100200' } }, secretValues: [BOT_TOKEN] },
      pino({ level: 'silent' }),
      { telegramBaseUrl: base, windowMs, burst: 3 },
    );
    if (!alerts) throw new Error('alerts should be configured');
    return alerts;
  };

  it('is off when neither channel is configured', () => {
    expect(createDeadLetterAlerts({ alerts: { webhookUrl: null, telegram: null }, secretValues: [] }, pino({ level: 'silent' }))).toBeNull();
  });

  it('sends one dead letter with the record, the error and the hint to both channels', async () => {
    const alerts = notifier(60_000);
    alerts.deadLettered(alert(2));
    await alerts.idle();
    const slack = received.find((r) => r.url === '/slack');
    const telegram = received.find((r) => r.url === `/bot${BOT_TOKEN}/sendMessage`);
    expect(String(slack?.body.text)).toContain('Salesforce Lead 00Q000000000002');
    expect(String(slack?.body.text)).toContain('VALIDATION: Status: bad value');
    expect(String(slack?.body.text)).toContain("Hint: add 'Foo'");
    expect(slack?.body.blocks).toBeDefined();
    expect(telegram?.body).toMatchObject({ chat_id: '-100200' });
    expect(String(telegram?.body.text)).toContain('dead letter #2');
    await alerts.close();
  });

  it('turns a storm of 40 dead letters into 3 messages and one summary per channel', async () => {
    const alerts = notifier(300);
    for (let n = 1; n <= 40; n++) alerts.deadLettered(alert(n));
    await expectEventually(() => expect(received.filter((r) => String(r.body.text).includes('more dead letters'))).toHaveLength(2));
    await alerts.close();
    for (const url of ['/slack', `/bot${BOT_TOKEN}/sendMessage`]) {
      const texts = received.filter((r) => r.url === url).map((r) => String(r.body.text));
      expect(texts).toHaveLength(4);
      expect(texts.filter((t) => t.includes('dead letter #'))).toHaveLength(3);
      expect(texts[3]).toContain('37 more dead letters in the last');
      expect(texts[3]).toMatch(/VALIDATION x1[89].*DUPLICATE x1[89]|DUPLICATE x1[89].*VALIDATION x1[89]/);
    }
  });

  it('never puts a token into a message, even one that leaked into an error', async () => {
    const alerts = notifier(60_000);
    alerts.deadLettered(alert(4, `refused with session ${SF_TOKEN} and bot ${BOT_TOKEN}`));
    await alerts.idle();
    expect(received).toHaveLength(2);
    for (const r of received) {
      expect(JSON.stringify(r.body)).not.toContain(BOT_TOKEN);
      expect(JSON.stringify(r.body)).not.toContain(SF_TOKEN);
    }
    await alerts.close();
  });
});
