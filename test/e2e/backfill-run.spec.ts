import { BOARDS, cell, itemsBySalesforceId, mondayMutations, partnerLeads, startBackfillWorld, type BackfillWorld } from './backfill-world';

const LEADS = Number(process.env.BACKFILL_TEST_LEADS ?? 2_000);
const ACCOUNTS = Number(process.env.BACKFILL_TEST_ACCOUNTS ?? 500);

describe('crm-sync backfill: Salesforce history into monday through the event log', () => {
  let world: BackfillWorld;
  let accountIds: string[];
  let opportunityIds: string[];
  let leadIds: string[];

  beforeAll(async () => {
    world = await startBackfillWorld();
    const control = world.sf.control;
    accountIds = control.seed(Array.from({ length: ACCOUNTS }, (_, i) => ({ type: 'Account', fields: { Name: `Funder ${i}`, BillingCity: `Town ${i}`, Industry: 'Nonprofit' } })));
    opportunityIds = control.seed(
      accountIds.map((accountId, i) => ({ type: 'Opportunity', fields: { Name: `Grant ${i}`, StageName: 'Quote', CloseDate: '2026-12-31', Amount: 1000 + i, AccountId: accountId } })),
    );
    leadIds = control.seed(partnerLeads(LEADS, 'Backfill'));
    // Not selected by the mapping's backfill.where: never synced.
    control.seed(partnerLeads(5, 'Donor', () => ({ Role__c: 'Donor' })));
  }, 60_000);
  afterAll(() => world.close());

  it('creates one item per record with its values, parents first, and links children to their parents', async () => {
    const summary = await world.backfill();

    expect(summary.pipeline).toBe('in_process');
    expect(summary.objects.map((o) => o.objectKey)).toEqual(['account', 'opportunity', 'contact', 'lead']);
    expect(summary.complete).toBe(true);
    const byKey = Object.fromEntries(summary.objects.map((o) => [o.objectKey, o]));
    expect(byKey.account).toMatchObject({ read: ACCOUNTS, created: ACCOUNTS, failed: 0 });
    expect(byKey.opportunity).toMatchObject({ read: ACCOUNTS, created: ACCOUNTS, failed: 0 });
    expect(byKey.lead).toMatchObject({ read: LEADS, created: LEADS, failed: 0 });

    // The demo boards hold a few items of their own (linked to demo records): count ours.
    const leads = itemsBySalesforceId(world, BOARDS.lead);
    expect(leadIds.filter((id) => leads.get(id)?.length === 1)).toHaveLength(LEADS);
    const lead = world.sf.control.getRecord(leadIds[7]);
    const leadItem = leads.get(leadIds[7])?.[0];
    expect(leadItem?.name).toBe(lead?.Company);
    expect(cell(leadItem!, 'city')).toBe('City 7');

    const accounts = itemsBySalesforceId(world, BOARDS.account);
    const opportunities = itemsBySalesforceId(world, BOARDS.opportunity);
    expect(accountIds.filter((id) => accounts.get(id)?.length === 1)).toHaveLength(ACCOUNTS);
    expect(opportunityIds.filter((id) => opportunities.get(id)?.length === 1)).toHaveLength(ACCOUNTS);
    for (const i of [0, Math.floor(ACCOUNTS / 2), ACCOUNTS - 1]) {
      const opportunityItem = opportunities.get(opportunityIds[i])?.[0];
      const accountItem = accounts.get(accountIds[i])?.[0];
      expect(opportunityItem?.name).toBe(`Grant ${i}`);
      expect(cell(opportunityItem!, 'account')).toEqual([accountItem?.id]);
    }
  });

  it('a second run with nothing changed appends nothing and sends no write to monday', async () => {
    world.mondayEmulator.control.clearRequestLog();
    const before = await world.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');

    const summary = await world.backfill();

    expect(summary.complete).toBe(true);
    for (const object of summary.objects) expect(object).toMatchObject({ newVersions: 0, created: 0, updated: 0 });
    expect(summary.objects.find((o) => o.objectKey === 'lead')?.unchanged).toBe(LEADS);
    const after = await world.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expect(mondayMutations(world)).toBe(0);
  });

  it('a dry run reports the changes a run would make and writes nothing anywhere', async () => {
    world.sf.control.updateAsHuman('Lead', leadIds[3], { City: 'Dry Town' });
    world.sf.control.seed(partnerLeads(2, 'Newcomer'));
    world.mondayEmulator.control.clearRequestLog();
    const counts = async () =>
      (await world.db.pool.query<{ events: number; outbox: number; progress: Date }>('SELECT (SELECT count(*)::int FROM events) AS events, (SELECT count(*)::int FROM outbox) AS outbox, (SELECT max(updated_at) FROM backfill_progress) AS progress')).rows[0];
    const before = await counts();

    const summary = await world.backfill({ object: 'lead', dryRun: true });

    const lead = summary.objects[0];
    expect(lead.dryRun).toMatchObject({ create: 2, update: 1, unchanged: LEADS - 1 });
    expect(lead.dryRun?.examples).toContainEqual(expect.objectContaining({ kind: 'update', salesforceId: leadIds[3], columns: ['city'] }));
    expect(await counts()).toEqual(before);
    expect(mondayMutations(world)).toBe(0);
  });
});
