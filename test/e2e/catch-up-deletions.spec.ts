import { DEMO_BOARDS } from '@crm-sync/sandbox';
import { expectEventually } from '../support/eventually';
import { useSandboxChildServices } from '../support/sandbox-child-service';

/**
 * Issue 20 (fault seeds 136/137): a person deletes an Opportunity in Salesforce while every instance
 * is down, and its change event expires with the replay id. The gap's catch-up must learn the delete
 * and the item must follow the mapping's delete policy (the example mapping: archive).
 */
describe('a Salesforce delete whose change event expired while the service was down', () => {
  // Child processes through tsx, and the catch-up cron runs once a minute.
  jest.setTimeout(300_000);
  const world = useSandboxChildServices();
  const start = () => world.start();
  const sf = () => world.sandbox.salesforce.control;
  const itemOf = (salesforceId: string) =>
    world.sandbox.monday.control.listItems(DEMO_BOARDS.opportunities.id, true).find((item) => item.values.salesforce_id?.data === salesforceId);

  /** Every CDC channel subscribed: a first start subscribes from the tip, so a change made before is never delivered. */
  const subscribed = async (url: string) => {
    const body = (await (await fetch(`${url}/health`)).json()) as { checks: { salesforce_cdc: { ok: boolean } } };
    expect(body.checks.salesforce_cdc.ok).toBe(true);
  };

  it('archives the item once the catch-up has read the recycle bin', async () => {
    const service = await start();
    await expectEventually(() => subscribed(service.url), { timeoutMs: 60_000 });
    const { id } = sf().createAsHuman('Opportunity', { Name: 'Deleted While Down', StageName: 'Follow-up', CloseDate: '2027-07-01' }) as { id: string };
    const kept = sf().createAsHuman('Opportunity', { Name: 'Still Here', StageName: 'Follow-up', CloseDate: '2027-07-01' }) as { id: string };
    await expectEventually(async () => {
      expect(itemOf(id)?.state).toBe('active');
      expect(itemOf(kept.id)?.state).toBe('active');
    }, { timeoutMs: 60_000 });
    service.child.kill('SIGTERM');
    await service.exited;

    sf().deleteAsHuman('Opportunity', id);
    sf().advanceClock(73 * 3600_000); // past the 72-hour event retention: the delete's change event is gone
    await start();

    await expectEventually(async () => expect(itemOf(id)?.state).toBe('archived'), { timeoutMs: 150_000, intervalMs: 1_000 });
    expect(itemOf(kept.id)?.state).toBe('active');
    const { rows } = await world.db.pool.query<{ outcome: string; reason: string }>(
      "SELECT d.outcome, d.reason FROM sync_decisions d JOIN events e ON e.position = d.position WHERE e.type = 'backfill.record_snapshot' AND e.payload->'record'->>'IsDeleted' = 'true'",
    );
    expect(rows).toEqual([{ outcome: 'projected', reason: 'monday.archive_item' }]);
  });
});
