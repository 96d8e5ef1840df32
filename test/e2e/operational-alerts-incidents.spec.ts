import { DEMO_BOARDS } from '@crm-sync/sandbox';
import { startAlertReceiver, type AlertReceiver } from '../support/alert-receiver';
import { expectEventually } from '../support/eventually';
import { startSyncEnvironment, type SyncEnvironment } from '../support/sync-environment';

/**
 * The operator incidents other than the Salesforce budget (operational-alerts.spec.ts), each caused
 * through the running service by a fault the emulators inject (the projector's by a fault in its
 * database), each announced once to a loopback Slack-compatible webhook while it lasts, naming what
 * to do, and recovered once.
 */
const incident = (key: string) => new RegExp(`\\(incident ${key.replace(/[/.]/g, '\\$&')}\\)$`);
const LEAD_CHANNEL = '/data/LeadChangeEvent';
/** A negative assertion needs a window: 500 ms spans several alert checks (one every 100 ms). */
const severalChecks = () => new Promise((resolve) => setTimeout(resolve, 500));

function counter(receiver: AlertReceiver) {
  return (mark: 'PROBLEM' | 'WARNING' | 'RECOVERED', key: string) => receiver.texts.filter((t) => t.startsWith(`crm-sync ${mark}:`) && incident(key).test(t)).length;
}

describe('operational incidents driven by the emulators', () => {
  let env: SyncEnvironment;
  let receiver: AlertReceiver;
  let count: ReturnType<typeof counter>;
  const sf = () => env.sandbox.salesforce.control;
  const md = () => env.sandbox.monday.control;
  const message = (key: string) => receiver.texts.find((t) => incident(key).test(t)) as string;
  /** The Lead board's item name is the lead's Company (the example mapping). */
  const leadItem = (company: string) => md().listItems(DEMO_BOARDS.leads.id).find((i) => i.name === company);

  beforeAll(async () => {
    receiver = await startAlertReceiver();
    env = await startSyncEnvironment({
      // An admin's token may read monday's API analytics (platform_api).
      sandbox: { monday: { integrationUserIsAdmin: true } },
      env: { ALERT_WEBHOOK_URL: receiver.url },
      // Every message of these tests goes out one by one (the default rate limit holds back more than 5 per 5 minutes).
      alerts: { checkIntervalMs: 100, mondayUsageRefreshMs: 200, rateLimitBurst: 100 },
      // Every request while the daily limit blocks is a probe (default one per 15 minutes).
      mondayClient: { dailyLimitProbeMs: 0 },
      schedules: { mondayCatchUp: null, backfills: false, catchUpRequests: '* * * * * *' },
    });
    count = counter(receiver);
    await expectEventually(async () => expect((await fetch(`${env.url}/health`)).status).toBe(200), { timeoutMs: 30_000 });
  }, 90_000);
  afterAll(async () => {
    await env?.stop();
    await receiver?.close();
  });

  it("warns at 80% of monday's daily calls (the account's, from platform_api) once, and recovers once when the limit grows", async () => {
    const { limit } = md().dailyCalls();
    md().setDailyCalls({ used: Math.ceil(limit * 0.85) }); // other apps of the account spent them
    await expectEventually(() => expect(count('WARNING', 'monday:api-budget:80')).toBe(1), { timeoutMs: 10_000 });
    expect(message('monday:api-budget:80')).toMatch(new RegExp(`^crm-sync WARNING: monday calls today at 8\\d% of the daily limit \\(\\d+ of ${limit}\\)\\nWhat to do: .*Usage stats`));
    await severalChecks();
    expect(count('WARNING', 'monday:api-budget:80')).toBe(1);

    md().setDailyCalls({ limit: limit * 4 }); // a daily-limit add-on
    await expectEventually(() => expect(count('RECOVERED', 'monday:api-budget:80')).toBe(1), { timeoutMs: 10_000 });
    await severalChecks();
    expect([count('WARNING', 'monday:api-budget:80'), count('RECOVERED', 'monday:api-budget:80')]).toEqual([1, 1]);
  });

  it("reports monday's daily limit reached (DAILY_LIMIT_EXCEEDED) once, and its recovery once when monday answers again", async () => {
    const { limit } = md().dailyCalls();
    md().setDailyCalls({ used: limit });
    await expect(env.monday.me()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expectEventually(() => expect(count('PROBLEM', 'monday:api-budget:floor')).toBe(1), { timeoutMs: 10_000 });
    expect(message('monday:api-budget:floor')).toMatch(/^crm-sync PROBLEM: monday refuses calls: the account's daily call limit is reached until .+\nWhat to do: .*upgrade the monday plan/);
    await expect(env.monday.me()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await severalChecks();
    expect(count('PROBLEM', 'monday:api-budget:floor')).toBe(1);

    md().setDailyCalls({ limit: limit * 4 });
    await env.monday.me();
    await expectEventually(() => expect(count('RECOVERED', 'monday:api-budget:floor')).toBe(1), { timeoutMs: 10_000 });
    md().setDailyCalls({ used: 0 });
    await expectEventually(() => expect(count('RECOVERED', 'monday:api-budget:80')).toBe(count('WARNING', 'monday:api-budget:80')), { timeoutMs: 10_000 });
  });

  it('reports a CDC channel that cannot subscribe (entity deselected for CDC) once, and its recovery once', async () => {
    const key = `cdc:${LEAD_CHANNEL}:stopped`;
    sf().setChangeDataCapture('Lead', false);
    sf().dropCometdClients(); // the clients re-handshake and subscribe again: Lead is refused
    await expectEventually(() => expect(count('PROBLEM', key)).toBe(1), { timeoutMs: 15_000 });
    expect(message(key)).toMatch(/^crm-sync PROBLEM: Salesforce change capture stopped on \/data\/LeadChangeEvent \(subscribe_failed: .*does not exist.*\)[^\n]*\nWhat to do: check that Change Data Capture is enabled for this object/);
    await severalChecks();
    expect(count('PROBLEM', key)).toBe(1);

    sf().setChangeDataCapture('Lead', true);
    await expectEventually(() => expect(count('RECOVERED', key)).toBe(1), { timeoutMs: 30_000 });
    sf().createAsHuman('Lead', { LastName: 'Okafor', Company: 'After Reselect' });
    await expectEventually(() => expect(leadItem('After Reselect')).toBeDefined(), { timeoutMs: 45_000 });
    expect([count('PROBLEM', key), count('RECOVERED', key)]).toEqual([1, 1]);
  });

  it('reports a lost replay position once, and its recovery once the catch-up has read the gap', async () => {
    const key = 'cdc:replay-position-lost';
    // Resubscribing after the dropped clients of the CDC test asked for catch-ups too: count from here.
    await expectEventually(() => expect(count('RECOVERED', key)).toBe(count('WARNING', key)), { timeoutMs: 30_000 });
    const before = { warned: count('WARNING', key), recovered: count('RECOVERED', key) };
    sf().createAsHuman('Lead', { LastName: 'Okafor', Company: 'Before Retention' });
    await expectEventually(() => expect(leadItem('Before Retention')).toBeDefined(), { timeoutMs: 45_000 });
    sf().advanceClock(73 * 3600_000); // past the 72-hour retention: the channel's last replay id is gone
    sf().dropCometdClients(); // resubscribing from that id is refused
    await expectEventually(() => expect(count('WARNING', key)).toBe(before.warned + 1), { timeoutMs: 15_000 });
    expect(receiver.texts.filter((t) => incident(key).test(t)).at(-1)).toMatch(/^crm-sync WARNING: Salesforce change capture lost its replay position.*\nWhat to do: .*crm-sync backfill/);

    await expectEventually(() => expect(count('RECOVERED', key)).toBe(before.recovered + 1), { timeoutMs: 30_000 });
    const { rows } = await env.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE type = 'system.catch_up_requested'");
    expect(rows[0].n).toBeGreaterThan(0);
    await severalChecks();
    expect([count('WARNING', key), count('RECOVERED', key)]).toEqual([before.warned + 1, before.recovered + 1]);
  });

  it('reports the projector stopped on an error once, and its recovery once it passes', async () => {
    const key = 'projector:sync:error';
    // The database refuses to move the sync projector's checkpoint (as a serialization failure would, again and again).
    await env.db.pool.query(`
      CREATE FUNCTION refuse_sync_checkpoint() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected: checkpoint refused' USING ERRCODE = '40001'; END $$;
      CREATE TRIGGER refuse_sync_checkpoint BEFORE UPDATE ON subscriber_checkpoints
        FOR EACH ROW WHEN (NEW.subscriber = 'sync') EXECUTE FUNCTION refuse_sync_checkpoint();`);
    try {
      sf().createAsHuman('Lead', { LastName: 'Okafor', Company: 'Projector Stuck' });
      await expectEventually(() => expect(count('PROBLEM', key)).toBe(1), { timeoutMs: 20_000 });
      expect(message(key)).toMatch(/^crm-sync PROBLEM: The sync projector is stopped on an error and nothing is synced until it passes: injected: checkpoint refused\nWhat to do: /);
      await severalChecks();
      expect(count('PROBLEM', key)).toBe(1);
      expect(leadItem('Projector Stuck')).toBeUndefined();
    } finally {
      await env.db.pool.query('DROP TRIGGER IF EXISTS refuse_sync_checkpoint ON subscriber_checkpoints; DROP FUNCTION IF EXISTS refuse_sync_checkpoint()');
    }
    await expectEventually(() => expect(count('RECOVERED', key)).toBe(1), { timeoutMs: 20_000 });
    await expectEventually(() => expect(leadItem('Projector Stuck')).toBeDefined(), { timeoutMs: 45_000 });
    expect([count('PROBLEM', key), count('RECOVERED', key)]).toEqual([1, 1]);
  });
});

describe('the Salesforce session that cannot be refreshed', () => {
  let env: SyncEnvironment;
  let receiver: AlertReceiver;
  let count: ReturnType<typeof counter>;
  /** The session's clock: moved past the refresh cool-down instead of waiting 5 minutes. */
  let sessionClockOffset = 0;
  const key = 'salesforce:session';

  beforeAll(async () => {
    receiver = await startAlertReceiver();
    env = await startSyncEnvironment({
      env: { ALERT_WEBHOOK_URL: receiver.url },
      alerts: { checkIntervalMs: 100, rateLimitBurst: 100 },
      salesforceClient: { refresh: { now: () => Date.now() + sessionClockOffset } },
    });
    count = counter(receiver);
    await expectEventually(async () => expect((await fetch(`${env.url}/health`)).status).toBe(200), { timeoutMs: 30_000 });
  }, 90_000);
  afterAll(async () => {
    await env?.stop();
    await receiver?.close();
  });

  it('is reported once while every refresh is refused, and recovers once after the credentials are fixed', async () => {
    const sf = env.sandbox.salesforce;
    const [lead] = sf.control.records('Lead') as Array<{ Id: string }>;
    const read = () => env.salesforce.get('Lead', lead.Id, ['Id']);
    const rightSecret = sf.credentials.clientSecret;
    sf.credentials.clientSecret = 'rotated-by-the-admin';
    sf.control.expireSessions();
    await expectEventually(async () => {
      await expect(read()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
      expect(count('PROBLEM', key)).toBe(1);
    }, { timeoutMs: 15_000 });
    const problem = receiver.texts.find((t) => incident(key).test(t)) as string;
    expect(problem).toMatch(/^crm-sync PROBLEM: The Salesforce session cannot be refreshed: session refresh gave up.*\nWhat to do: check the connected app's credentials/);
    expect(problem).not.toContain(rightSecret);
    await expect(read()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    await severalChecks();
    expect(count('PROBLEM', key)).toBe(1);

    sf.credentials.clientSecret = rightSecret;
    sessionClockOffset = 6 * 60_000; // past the 5-minute cool-down: the next call may refresh again
    await read();
    await expectEventually(() => expect(count('RECOVERED', key)).toBe(1), { timeoutMs: 10_000 });
    await severalChecks();
    expect([count('PROBLEM', key), count('RECOVERED', key)]).toEqual([1, 1]);
  });
});
