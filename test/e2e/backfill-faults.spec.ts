import { listProgress, loadProgress } from '../../src/migration/backfill-progress';
import { BOARDS, itemsBySalesforceId, mondayMutations, partnerLeads, startBackfillWorld, type BackfillWorld } from './backfill-world';

describe('crm-sync backfill under faults: kill and resume, existing items, the API floor', () => {
  let world: BackfillWorld;
  let matchedItem: number | null = null;

  beforeAll(async () => {
    world = await startBackfillWorld();
  });
  afterAll(() => world.close());

  it('killed at half way, the next run continues from its cursor (through Bulk API 2.0) and makes no duplicate', async () => {
    const leadIds = world.sf.control.seed(partnerLeads(800, 'Resume'));
    const kill = new AbortController();

    const first = await world.backfill({
      object: 'lead',
      pageSize: 200,
      bulkThreshold: 100,
      signal: kill.signal,
      onProgress: (p) => {
        if (p.read >= 400) kill.abort();
      },
    });

    expect(first.objects[0]).toMatchObject({ status: 'aborted', read: 400, mode: 'bulk' });
    const stopped = await loadProgress(world.db.pool, 'lead');
    expect(stopped).toMatchObject({ status: 'paused', recordsRead: 400, attempts: 1 });
    expect(leadIds).toContain(stopped?.cursor?.id);

    const second = await world.backfill({ object: 'lead', pageSize: 200, bulkThreshold: 100 });

    expect(second.objects[0]).toMatchObject({ status: 'done', resumed: true, read: 400, failed: 0 });
    expect(await loadProgress(world.db.pool, 'lead')).toMatchObject({ status: 'done', recordsRead: 800, total: 800, attempts: 2 });
    const items = itemsBySalesforceId(world, BOARDS.lead);
    expect(leadIds.filter((id) => items.get(id)?.length === 1)).toHaveLength(800);
    expect(leadIds.filter((id) => (items.get(id)?.length ?? 0) > 1)).toEqual([]);
  });

  it('links records to items the board already holds under their Salesforce Id instead of creating them', async () => {
    const leadIds = world.sf.control.seed(partnerLeads(30, 'Existing'));
    const existing = world.mondayEmulator.control.seedItems(
      BOARDS.lead,
      leadIds.slice(0, 10).map((id, i) => ({ name: `Already here ${i}`, columnValues: { salesforce_id: id } })),
    );

    const summary = await world.backfill({ object: 'lead' });

    expect(summary.objects[0]).toMatchObject({ status: 'done', matched: 10, created: 20, failed: 0 });
    const items = itemsBySalesforceId(world, BOARDS.lead);
    expect(leadIds.filter((id) => items.get(id)?.length === 1)).toHaveLength(30);
    expect(leadIds.slice(0, 10).map((id) => items.get(id)?.[0].id)).toEqual(existing.map((item) => item.id));
    matchedItem = items.get(leadIds[0])?.[0].id ?? null;
  });

  // A create that links to an existing item must not record the command's values as held there,
  // or the differences would never be written.
  it('writes the Salesforce values onto the items it matched', () => {
    const item = matchedItem === null ? undefined : world.mondayEmulator.control.getItem(matchedItem);
    expect(item?.name).toBe('Existing Org 0');
  });

  it('pauses at the Salesforce API-usage floor instead of draining the org, and resumes once there is room', async () => {
    world.sf.control.seed(partnerLeads(50, 'Floor'));
    const { max } = world.sf.control.apiUsage();
    world.sf.control.setApiUsage({ used: max - 100 });
    const eventsBefore = (await world.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n;

    const paused = await world.backfill({ object: 'lead' });

    expect(paused.complete).toBe(false);
    expect(paused.objects[0].status).toBe('paused');
    expect(paused.objects[0].reason).toMatch(/API usage floor/);
    expect((await listProgress(world.db.pool)).find((p) => p.objectKey === 'lead')?.status).toBe('paused');
    expect((await world.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(eventsBefore);

    world.sf.control.setApiUsage({ used: 0 });
    const resumed = await world.backfill({ object: 'lead' });
    expect(resumed.complete).toBe(true);
    expect(resumed.objects[0]).toMatchObject({ created: 50 });
  });
});

describe('crm-sync backfill against a small monday complexity budget', () => {
  let world: BackfillWorld;

  beforeAll(async () => {
    // 40 creates per budget minute: the run spans several budget windows.
    world = await startBackfillWorld({ monday: { limits: { complexityPerMinute: 400_000 } } });
  });
  afterAll(() => world.close());

  it('paces its writes to the budget: every item created, no COMPLEXITY_BUDGET_EXHAUSTED', async () => {
    const leadIds = world.sf.control.seed(partnerLeads(150, 'Budget'));
    world.mondayEmulator.control.clearRequestLog();

    const summary = await world.backfill({ object: 'lead' });

    expect(summary.objects[0]).toMatchObject({ status: 'done', created: 150, failed: 0 });
    const items = itemsBySalesforceId(world, BOARDS.lead);
    expect(leadIds.filter((id) => items.get(id)?.length === 1)).toHaveLength(150);
    const log = world.mondayEmulator.control.requestLog();
    expect(log.filter((e) => e.errorCodes.includes('COMPLEXITY_BUDGET_EXHAUSTED') || e.status === 429)).toEqual([]);
    expect(mondayMutations(world)).toBeGreaterThan(0);
  });
});
