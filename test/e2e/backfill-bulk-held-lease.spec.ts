/**
 * A bulk-import job's claim holds its rows until the dispatcher has taken each page (issue 21): the
 * pages still waiting while an earlier one is sent keep their lease. Here the first page holds a row
 * the job did not create, whose create_item monday answers slowly (a latency fault, longer than the
 * lease), and another instance's dispatcher claims whatever lapses: it must find nothing, and every
 * create is claimed once, by the job, and linked once.
 */
import { BOARDS, itemsBySalesforceId, partnerLeads, startBackfillWorld, type BackfillWorld } from './backfill-world';
import type { OutboxDispatcher } from '../../src/outbox/dispatcher';

const LEASE_MS = 5_000;
/** Long enough for the slow create_item below (each request ends a second before the write lease may). */
const WRITE_LEASE_MS = 15_000;
/** More than the lease: without renewal the pages after the first lapse while it is sent. */
const SLOW_CREATE_MS = 11_000;
const PAGE = 20;

describe('backfill through bulk import: pages waiting to be sent keep their claim', () => {
  let world: BackfillWorld;
  let other: OutboxDispatcher | null = null;

  beforeAll(async () => {
    world = await startBackfillWorld({ mondayApiVersion: '2026-10', monday: { integrationUserIsAdmin: true } });
  }, 60_000);
  afterAll(async () => {
    await other?.stop();
    await world.close();
  });

  it('while a slow first page is sent, the later pages stay held: another instance takes none of them', async () => {
    const leadIds = world.sf.control.seed(partnerLeads(3 * PAGE, 'Held Page'));
    world.mondayEmulator.control.clearRequestLog();
    // The first row of the job (the first page) fails in the job; its create_item is slow.
    world.mondayEmulator.control.addFault({ kind: 'bulk_row_failed', count: 1 });
    world.mondayEmulator.control.addFault({ kind: 'latency', operation: 'create_item', count: 1, latencyMs: SLOW_CREATE_MS });
    const instance = world.otherInstanceDispatcher({ leaseMs: LEASE_MS, writeLeaseMs: WRITE_LEASE_MS });
    other = instance;

    const summary = await world.backfill({
      object: 'lead',
      mode: 'bulk',
      pipeline: { dispatcher: { leaseMs: LEASE_MS, writeLeaseMs: WRITE_LEASE_MS } },
      bulk: {
        sleep: world.mondaySleep,
        pageSize: PAGE,
        // Every row is claimed by the job once it is recorded: from here the other instance looks.
        onJob: (_, job) => job.state === 'UPLOADING' && instance.start(),
      },
    });

    expect(summary.objects[0]).toMatchObject({ status: 'done', created: 3 * PAGE, failed: 0, bulkJobs: 1 });
    const createRequests = world.mondayEmulator.control.requestLog().filter((e) => e.status === 200 && e.fields.includes('create_item'));
    expect(createRequests).toHaveLength(1);
    // Claimed once each (by the job): a lapsed row taken by the other instance is claimed twice.
    const claims = await world.db.pool.query<{ dispatches: number; n: number }>(
      "SELECT dispatches, count(*)::int AS n FROM outbox WHERE kind = 'monday.create_item' GROUP BY 1 ORDER BY 1",
    );
    expect(claims.rows).toEqual([{ dispatches: 1, n: 3 * PAGE }]);
    const items = itemsBySalesforceId(world, BOARDS.lead);
    expect(leadIds.filter((id) => items.get(id)?.length !== 1)).toEqual([]);
    const links = await world.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE type = 'system.record_linked' AND payload->>'salesforceId' = ANY($1)", [leadIds]);
    expect(links.rows[0]?.n).toBe(3 * PAGE);
  }, 120_000);
});
