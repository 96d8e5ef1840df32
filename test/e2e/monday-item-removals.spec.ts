import { expectEventually } from '../support/eventually';
import { startSyncEnvironment, type SyncEnvironment } from '../support/sync-environment';

const LEADS = 9378000505;
const OPPORTUNITIES = 9378000526;

/**
 * Issue 13, defect 1: delete_pulse/archive_pulse carry the item as `itemId` (no `pulseId`). Read as
 * `pulseId`, both removals of never-synced items were recorded under the item id "undefined", the
 * second broke the unique index on sync records and the projector retried that batch forever.
 */
describe('removing monday items the service never synced', () => {
  let env: SyncEnvironment;
  beforeAll(async () => {
    env = await startSyncEnvironment();
    await expectEventually(async () => expect((await fetch(`${env.url}/health`)).status).toBe(200), { timeoutMs: 20_000 });
  });
  afterAll(async () => env?.stop());

  const md = () => env.sandbox.monday.control;
  const sf = () => env.sandbox.salesforce.control;

  it('records each removal under its own item, and the sync keeps going', async () => {
    const [archived, deleted] = md().listItems(LEADS);
    md().archiveItem({ itemId: archived.id });
    md().deleteItem({ itemId: deleted.id });
    await md().waitForWebhooks();

    await expectEventually(
      async () => {
        const { rows } = await env.db.pool.query<{ monday_item_id: string }>('SELECT monday_item_id FROM sync_records WHERE monday_item_id = ANY($1) ORDER BY monday_item_id', [
          [String(archived.id), String(deleted.id)],
        ]);
        expect(rows.map((r) => r.monday_item_id)).toEqual([String(archived.id), String(deleted.id)].sort());
      },
      { timeoutMs: 10_000 },
    );
    const undefinedIds = await env.db.pool.query("SELECT count(*)::int AS n FROM sync_records WHERE monday_item_id = 'undefined'");
    expect(undefinedIds.rows[0].n).toBe(0);

    // A Salesforce opportunity created afterwards still reaches monday.
    const { id } = sf().createAsHuman('Opportunity', { Name: 'After The Removals', StageName: 'Follow-up', CloseDate: '2027-05-01' }) as { id: string };
    await expectEventually(() => expect(md().listItems(OPPORTUNITIES).some((i) => JSON.stringify(i.values.salesforce_id ?? '').includes(id))).toBe(true), {
      timeoutMs: 20_000,
    });
    expect(env.logs.join('\n')).not.toMatch(/sync projector batch failed/);
    expect((await fetch(`${env.url}/health`)).status).toBe(200);
  });
});
