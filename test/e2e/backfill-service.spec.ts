import pino from 'pino';
import { readLiveContext } from '../../src/migration/read-live-context';
import { runBackfill } from '../../src/migration/backfill.runner';
import { DEMO_BOARDS } from '@crm-sync/sandbox';
import { startSyncEnvironment, type SyncEnvironment } from '../support/sync-environment';
import { partnerLeads } from './backfill-world';

describe('crm-sync backfill while the service runs', () => {
  let env: SyncEnvironment;

  beforeAll(async () => {
    env = await startSyncEnvironment();
  });
  afterAll(() => env.stop());

  it('only appends the snapshots; the service projects and sends them, and the run waits until they are sent', async () => {
    const since = new Date(env.sandbox.salesforce.control.now() - 1_000).toISOString();
    const leadIds = env.sandbox.salesforce.control.seed(partnerLeads(20, 'Service'));
    const live = await readLiveContext(env.mapping, env.salesforce, env.monday);

    const summary = await runBackfill(
      { pool: env.db.pool, databaseUrl: env.db.url, salesforce: env.salesforce, monday: env.monday, logger: pino({ level: 'silent' }), mapping: env.mapping, live },
      { object: 'lead', since },
    );

    expect(summary.pipeline).toBe('service');
    expect(summary.objects[0]).toMatchObject({ status: 'done', read: 20, created: 20, failed: 0, pending: 0 });
    const ids = new Set(env.sandbox.monday.control.listItems(DEMO_BOARDS.leads.id).map((item) => item.values.salesforce_id?.data));
    expect(leadIds.filter((id) => ids.has(id))).toHaveLength(20);
  });
});
