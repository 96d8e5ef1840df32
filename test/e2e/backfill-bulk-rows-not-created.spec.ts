/**
 * A row no bulk-import job creates goes through `create_item` exactly once: a row the job's report
 * marks `failed` (valid, failed during execution: a mutation would accept it), a row the report does
 * not name at all, and every row of a job monday rejects. Not zero times (lost), not twice (a later
 * job or the rerun taking it again), and a rerun sends nothing.
 */
import { BOARDS, itemsBySalesforceId, partnerLeads, startBackfillWorld, type BackfillWorld } from './backfill-world';
import type { BackfillOptions } from '../../src/migration/backfill.runner';

/** create_item mutations sent (a request carries up to 25, one root field each). */
function createItemMutations(world: BackfillWorld): number {
  return world.mondayEmulator.control.requestLog().reduce((n, e) => n + (e.status === 200 ? e.fields.filter((f) => f === 'create_item').length : 0), 0);
}

function jobsStarted(world: BackfillWorld): number {
  return world.mondayEmulator.control.requestLog().filter((e) => e.status === 200 && (e.fields.includes('backfill_items') || e.fields.includes('ingest_items'))).length;
}

/** How each record got its item: `system.record_linked` events by `via`, per record. */
async function linksByRecord(world: BackfillWorld, ids: readonly string[]): Promise<Map<string, string[]>> {
  const { rows } = await world.db.pool.query<{ salesforce_id: string; via: string }>(
    "SELECT payload->>'salesforceId' AS salesforce_id, payload->>'via' AS via FROM events WHERE type = 'system.record_linked' AND payload->>'salesforceId' = ANY($1) ORDER BY position",
    [ids],
  );
  const out = new Map<string, string[]>();
  for (const row of rows) out.set(row.salesforce_id, [...(out.get(row.salesforce_id) ?? []), row.via]);
  return out;
}

/** Runs the backfill, then checks every record has one item, linked once, and a rerun changes nothing. */
async function expectEachOnceThenRerunIdle(world: BackfillWorld, leadIds: readonly string[], backfill: () => Promise<unknown>): Promise<void> {
  const items = itemsBySalesforceId(world, BOARDS.lead);
  expect(leadIds.filter((id) => items.get(id)?.length !== 1)).toEqual([]);
  const links = await linksByRecord(world, leadIds);
  expect(leadIds.filter((id) => links.get(id)?.length !== 1)).toEqual([]);

  world.mondayEmulator.control.clearRequestLog();
  const before = world.mondayEmulator.control.listItems(BOARDS.lead).length;
  await backfill();
  expect(createItemMutations(world)).toBe(0);
  expect(jobsStarted(world)).toBe(0);
  expect(world.mondayEmulator.control.listItems(BOARDS.lead)).toHaveLength(before);
  const linksAfter = await linksByRecord(world, leadIds);
  expect(leadIds.filter((id) => linksAfter.get(id)?.length !== 1)).toEqual([]);
}

describe('backfill through bulk import: a row no job creates is created once by create_item', () => {
  let world: BackfillWorld;
  const backfill = (options: BackfillOptions = {}) => world.backfill({ object: 'lead', mode: 'bulk', ...options, bulk: { sleep: world.mondaySleep } });

  beforeAll(async () => {
    world = await startBackfillWorld({ mondayApiVersion: '2026-10', monday: { integrationUserIsAdmin: true } });
  }, 60_000);
  afterAll(() => world.close());
  afterEach(() => world.mondayEmulator.control.clearFaults());

  it('rows the report marks failed: one create_item each, the others linked from the report; the rerun sends none', async () => {
    const leadIds = world.sf.control.seed(partnerLeads(60, 'Failed Row'));
    world.mondayEmulator.control.clearRequestLog();
    world.mondayEmulator.control.addFault({ kind: 'bulk_row_failed', count: 3 });

    const summary = await backfill();

    expect(summary.objects[0]).toMatchObject({ status: 'done', created: 60, failed: 0, createPath: 'backfill_items', bulkJobs: 1 });
    expect(jobsStarted(world)).toBe(1);
    const counts = await world.db.pool.query<{ counts: { created: number; failed: number } }>("SELECT counts FROM bulk_import_jobs WHERE status = 'finished' ORDER BY created_at DESC LIMIT 1");
    expect(counts.rows[0]?.counts).toMatchObject({ created: 57, failed: 3 });
    expect(createItemMutations(world)).toBe(3);
    const links = await linksByRecord(world, leadIds);
    expect([...links.values()].flat().filter((via) => via === 'created_monday_item')).toHaveLength(60);
    await expectEachOnceThenRerunIdle(world, leadIds, backfill);
  });

  it('a row the report does not name and no item holds: one create_item after the Id look-up; the rerun sends none', async () => {
    const leadIds = world.sf.control.seed(partnerLeads(40, 'Missing Row'));
    world.mondayEmulator.control.clearRequestLog();
    world.mondayEmulator.control.addFault({ kind: 'bulk_row_missing', count: 1 });

    const summary = await backfill();

    expect(summary.objects[0]).toMatchObject({ status: 'done', created: 40, failed: 0, bulkJobs: 1 });
    expect(createItemMutations(world)).toBe(1);
    await expectEachOnceThenRerunIdle(world, leadIds, backfill);
  });
});

describe('backfill through bulk import: every row of a rejected job is created once by create_item (ingest_items)', () => {
  let world: BackfillWorld;
  const backfill = () => world.backfill({ object: 'lead', mode: 'bulk', bulk: { sleep: world.mondaySleep } });

  beforeAll(async () => {
    // No admin token: ingest_items, whose rows draw on an hourly item budget this job exceeds.
    world = await startBackfillWorld({ mondayApiVersion: '2026-10', monday: { bulkImport: { hourlyItemBudget: 20 } } });
  }, 60_000);
  afterAll(() => world.close());

  it('a job rejected for the hourly item budget: each row one create_item, none in a second job; the rerun sends none', async () => {
    const leadIds = world.sf.control.seed(partnerLeads(30, 'Rejected Job'));
    world.mondayEmulator.control.clearRequestLog();

    const summary = await backfill();

    expect(summary.objects[0]).toMatchObject({ status: 'done', created: 30, failed: 0, createPath: 'ingest_items', bulkJobs: 1 });
    expect(jobsStarted(world)).toBe(1);
    const job = await world.db.pool.query<{ state: string }>('SELECT state FROM bulk_import_jobs');
    expect(job.rows).toEqual([{ state: 'REJECTED' }]);
    expect(createItemMutations(world)).toBe(30);
    await expectEachOnceThenRerunIdle(world, leadIds, backfill);
  });
});
