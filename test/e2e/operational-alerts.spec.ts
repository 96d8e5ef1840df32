import { startAlertReceiver, type AlertReceiver } from '../support/alert-receiver';
import { expectEventually } from '../support/eventually';
import { startSyncEnvironment, type SyncEnvironment } from '../support/sync-environment';

/**
 * Operational alerts against the whole service: the Salesforce emulator injects the fault (the org's
 * API usage), a loopback Slack-compatible webhook receives what is sent. Each incident is announced
 * once while it lasts and recovers once.
 */
describe('operational alerts on ALERT_WEBHOOK_URL', () => {
  let env: SyncEnvironment;
  let receiver: AlertReceiver;
  const count = (pattern: RegExp) => receiver.texts.filter((t) => pattern.test(t)).length;
  const callSalesforce = async () => {
    const [lead] = env.sandbox.salesforce.control.records('Lead') as Array<{ Id: string }>;
    await env.salesforce.get('Lead', lead.Id, ['Id']);
  };

  beforeAll(async () => {
    receiver = await startAlertReceiver();
    env = await startSyncEnvironment({ env: { ALERT_WEBHOOK_URL: receiver.url }, alerts: { checkIntervalMs: 100 } });
    await expectEventually(async () => expect((await fetch(`${env.url}/health`)).status).toBe(200), { timeoutMs: 30_000 });
  }, 90_000);
  afterAll(async () => {
    await env?.stop();
    await receiver?.close();
  });

  it('warns at 80% of the Salesforce allocation and below the floor once each, then recovers each once', async () => {
    const sf = env.sandbox.salesforce.control;
    sf.setApiUsage({ used: 12_500, max: 15_000 });
    await callSalesforce(); // every REST answer carries Sforce-Limit-Info
    await expectEventually(() => {
      expect(count(/^crm-sync WARNING: Salesforce API usage at 8\d% of the daily allocation/)).toBe(1);
      expect(count(/^crm-sync PROBLEM: Salesforce API budget below its floor: \d+ of 15000 daily requests left \(floor 3000\)/)).toBe(1);
    }, { timeoutMs: 10_000 });
    const problem = receiver.texts.find((t) => t.includes('below its floor')) as string;
    expect(problem).toMatch(/What to do: .+System Overview/);

    // Seen again on every check while it lasts (a check runs every 100 ms): still one message each.
    // A negative assertion needs a window; 500 ms spans several checks.
    await callSalesforce();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(count(/below its floor/)).toBe(1);

    sf.setApiUsage({ used: 200 });
    await callSalesforce();
    await expectEventually(() => {
      expect(count(/^crm-sync RECOVERED: Salesforce API budget below its floor/)).toBe(1);
      expect(count(/^crm-sync RECOVERED: Salesforce API usage at/)).toBe(1);
    }, { timeoutMs: 10_000 });
    expect(receiver.texts.filter((t) => t.includes('api-budget'))).toHaveLength(4);
  });
});
