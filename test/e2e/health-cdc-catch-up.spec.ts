import { expectEventually } from '../support/eventually';
import { useSandboxChildServices } from '../support/sandbox-child-service';

interface CdcCheck {
  ok: boolean;
  detail: { channels: Array<{ channel: string; status: string }>; pendingCatchUps: number };
}

/**
 * Issue 4: a replay id that expired while the service was down must not leave the ingest silently
 * dead. The ingest test checks the gap and catch-up events; this checks what an operator sees on
 * GET /health of the service started as in production (`crm-sync start`).
 */
describe('GET /health after the stored replay id expired while the service was down', () => {
  // Starts crm-sync as child processes (tsx, no build): on a loaded 2-core machine a start alone can take 30 s.
  jest.setTimeout(300_000);
  const world = useSandboxChildServices();
  const start = () => world.start();
  const sf = () => world.sandbox.salesforce.control;
  const leadEvents = async (lastName: string) =>
    (await world.db.pool.query("SELECT 1 FROM events WHERE type = 'salesforce.record_changed' AND payload->'fields'->>'LastName' = $1", [lastName])).rowCount;
  const cdcCheck = async (url: string) => {
    const response = await fetch(`${url}/health`);
    const body = (await response.json()) as { checks: { salesforce_cdc: CdcCheck } };
    return { status: response.status, check: body.checks.salesforce_cdc };
  };

  it('shows the pending catch-up next to the resubscribed channels', async () => {
    let service = await start();
    await expectEventually(async () => expect((await cdcCheck(service.url)).status).toBe(200), { timeoutMs: 20_000 });
    expect((await cdcCheck(service.url)).check.detail.pendingCatchUps).toBe(0);
    sf().createAsHuman('Lead', { LastName: 'Before Outage', Company: 'Harbor Trust' });
    await expectEventually(async () => expect(await leadEvents('Before Outage')).toBe(1), { timeoutMs: 20_000 });
    service.child.kill('SIGTERM');
    await service.exited;

    sf().createAsHuman('Lead', { LastName: 'Lost In Outage', Company: 'Harbor Trust' });
    sf().advanceClock(73 * 3600_000); // past the 72-hour event retention: the stored replay id is gone
    service = await start();

    // Resubscribed from -1: new changes are caught again, so the service is up (200), and a catch-up of
    // what the expired replay id lost is requested (channels that had no event yet request one from their
    // subscription time too).
    await expectEventually(async () => {
      const { status, check } = await cdcCheck(service.url);
      expect(status).toBe(200);
      expect(check.ok).toBe(true);
      expect(check.detail.channels.length).toBeGreaterThan(0);
      expect(check.detail.channels.every((c) => c.status === 'subscribed')).toBe(true);
    }, { timeoutMs: 20_000 });
    const { rows } = await world.db.pool.query("SELECT payload FROM events WHERE type = 'system.catch_up_requested' AND payload->>'reason' = 'replay_id_expired'");
    expect(rows).toEqual([{ payload: expect.objectContaining({ objects: ['Lead'], reason: 'replay_id_expired' }) }]);

    sf().createAsHuman('Lead', { LastName: 'After Outage', Company: 'Harbor Trust' });
    await expectEventually(async () => expect(await leadEvents('After Outage')).toBe(1), { timeoutMs: 20_000 });
  });
});
