/**
 * `crm-sync backfill --mode auto|mutations|bulk` with monday API 2026-10 (interface.md 5): large
 * creates go through monday's bulk import, the created items are linked through the same events as a
 * create_item mutation's, real-time sync continues on them, a rerun creates nothing, `mutations`
 * never imports, and a run interrupted after its job was recorded is finished by the next one.
 */
import pino from 'pino';
import { SalesforceCdcIngest } from '../../src/ingest/salesforce/salesforce-cdc.ingest';
import { runBackfill, type BackfillOptions } from '../../src/migration/backfill.runner';
import type { BulkJobProgress } from '../../src/migration/bulk-import-polling';
import { createChangeEventStream } from '../../src/salesforce';
import { expectEventually } from '../support/eventually';
import { BOARDS, cell, itemsBySalesforceId, partnerLeads, startBackfillWorld, type BackfillWorld } from './backfill-world';

const silent = pino({ level: 'silent' });

describe('crm-sync backfill through monday bulk import (API 2026-10)', () => {
  let world: BackfillWorld;
  const calls = (field: string) => world.mondayEmulator.control.requestLog().filter((e) => e.fields.includes(field)).length;
  const linked = async (ids: readonly string[]) =>
    (await world.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM sync_records WHERE object_key = 'lead' AND salesforce_id = ANY($1) AND monday_item_id IS NOT NULL", [ids])).rows[0].n;
  const backfill = (options: BackfillOptions) => world.backfill({ object: 'lead', ...options, bulk: { sleep: world.mondaySleep, ...options.bulk } });

  beforeAll(async () => {
    world = await startBackfillWorld({ mondayApiVersion: '2026-10', monday: { integrationUserIsAdmin: true } });
  }, 60_000);
  afterAll(() => world.close());

  it('creates a few hundred Leads in one backfill_items job, with the values a mutation writes, and links every item', async () => {
    const leadIds = world.sf.control.seed(partnerLeads(300, 'Bulk', (i) => ({ Phone: `(415) 555-${String(1000 + i).slice(-4)}`, Title: i % 2 ? 'Director' : null })));
    world.mondayEmulator.control.clearRequestLog();
    const jobs: BulkJobProgress[] = [];

    const summary = await backfill({ bulk: { threshold: 100, onJob: (_, job) => jobs.push(job) } });

    expect(summary.objects[0]).toMatchObject({ status: 'done', read: 300, created: 300, failed: 0, createPath: 'backfill_items', bulkJobs: 1 });
    expect(calls('backfill_items')).toBe(1);
    expect(calls('ingest_items')).toBe(0);
    expect(calls('create_item')).toBe(0);
    expect(new Set(jobs.map((j) => j.jobId)).size).toBe(1);
    expect(jobs.at(-1)).toMatchObject({ rows: 300, percent: 100, state: 'COMPLETED' });
    const items = itemsBySalesforceId(world, BOARDS.lead);
    expect(leadIds.filter((id) => items.get(id)?.length === 1)).toHaveLength(300);
    expect(await linked(leadIds)).toBe(300);
    const item = items.get(leadIds[7])?.[0];
    expect(item?.name).toBe('Bulk Org 7');
    expect(cell(item!, 'city')).toBe('City 7');
    expect(cell(item!, 'phone')).toMatchObject({ phone: '+14155551007', countryShortName: 'US' });
    expect(cell(items.get(leadIds[8])![0], 'title')).toBeNull();
    // The same event a create_item mutation's outcome appends.
    const links = await world.db.pool.query<{ via: string; n: number }>(
      "SELECT payload->>'via' AS via, count(*)::int AS n FROM events WHERE type = 'system.record_linked' AND payload->>'salesforceId' = ANY($1) GROUP BY 1",
      [leadIds],
    );
    expect(links.rows).toEqual([{ via: 'created_monday_item', n: 300 }]);
  });

  it('a rerun creates nothing and starts no job', async () => {
    world.mondayEmulator.control.clearRequestLog();
    const before = world.mondayEmulator.control.listItems(BOARDS.lead).length;

    const summary = await backfill({ bulk: { threshold: 100 } });

    expect(summary.objects[0]).toMatchObject({ status: 'done', created: 0, bulkJobs: 0 });
    expect(calls('backfill_items') + calls('ingest_items') + calls('create_item')).toBe(0);
    expect(world.mondayEmulator.control.listItems(BOARDS.lead)).toHaveLength(before);
  });

  it('a Salesforce change to a bulk-created Lead reaches its item in real time', async () => {
    const leadId = [...itemsBySalesforceId(world, BOARDS.lead).keys()].find((id) => world.sf.control.getRecord(id)?.LastName === 'Bulk 11') as string;
    const cdc = new SalesforceCdcIngest(world.db.pool, world.db.url, createChangeEventStream(world.salesforce), ['Lead'], 'crm-sync', silent, { takeoverIntervalMs: 100 });
    const pipeline = await world.pipeline();
    try {
      await cdc.start();
      await expectEventually(() => expect(cdc.states().map((s) => s.status)).toEqual(['subscribed']));
      world.mondayEmulator.control.clearRequestLog();
      world.sf.control.updateAsHuman('Lead', leadId, { City: 'Realtime Town' });

      await expectEventually(() => expect(cell(itemsBySalesforceId(world, BOARDS.lead).get(leadId)![0], 'city')).toBe('Realtime Town'), { timeoutMs: 20_000 });
      expect(calls('create_item')).toBe(0);
      expect(itemsBySalesforceId(world, BOARDS.lead).get(leadId)).toHaveLength(1);
    } finally {
      await cdc.stop();
      await pipeline.stop();
    }
  });

  it('--mode mutations never calls ingest_items or backfill_items, whatever the number of creates', async () => {
    const leadIds = world.sf.control.seed(partnerLeads(150, 'Mutation'));
    world.mondayEmulator.control.clearRequestLog();

    const summary = await backfill({ mode: 'mutations', bulk: { threshold: 10 } });

    expect(summary.objects[0]).toMatchObject({ status: 'done', created: 150, failed: 0, createPath: 'mutations', bulkJobs: 0 });
    expect(calls('backfill_items') + calls('ingest_items')).toBe(0);
    expect(calls('create_item')).toBeGreaterThan(0);
    expect(await linked(leadIds)).toBe(150);
  });

  it('auto with few creates uses mutations; the board is no longer new, so a large run uses ingest_items', async () => {
    const few = world.sf.control.seed(partnerLeads(20, 'Few'));
    world.mondayEmulator.control.clearRequestLog();
    expect((await backfill({ bulk: { threshold: 100 } })).objects[0]).toMatchObject({ created: 20, createPath: 'mutations', bulkJobs: 0 });
    expect(calls('backfill_items') + calls('ingest_items')).toBe(0);

    const many = world.sf.control.seed(partnerLeads(120, 'Many'));
    world.mondayEmulator.control.clearRequestLog();
    const summary = await backfill({ bulk: { threshold: 100 } });

    expect(summary.objects[0]).toMatchObject({ created: 120, failed: 0, createPath: 'ingest_items', bulkJobs: 1 });
    expect(calls('ingest_items')).toBe(1);
    expect(calls('create_item')).toBe(0);
    expect(await linked([...few, ...many])).toBe(140);
  });

  it('a run interrupted after its job was recorded and uploaded is finished by the next run: no row lost, none doubled', async () => {
    const leadIds = world.sf.control.seed(partnerLeads(200, 'Killed'));
    world.mondayEmulator.control.clearRequestLog();
    const abort = new AbortController();
    const recorded: string[] = [];

    const first = await runBackfill(
      { pool: world.db.pool, databaseUrl: world.db.url, salesforce: world.salesforce, monday: world.monday, logger: silent, mapping: world.mapping, live: world.live },
      {
        object: 'lead',
        mode: 'bulk',
        signal: abort.signal,
        bulk: {
          sleep: world.mondaySleep,
          onJob: (_, job) => {
            recorded.push(job.jobId);
            // Recorded, about to upload: the run stops before its first poll.
            if (job.state === 'UPLOADING') abort.abort();
          },
        },
      },
    );
    expect(first.objects[0]?.bulkJobs).toBe(1);
    const open = await world.db.pool.query<{ job_id: string; status: string }>('SELECT job_id, status FROM bulk_import_jobs WHERE job_id = $1', [recorded[0]]);
    expect(open.rows).toEqual([{ job_id: recorded[0], status: 'uploaded' }]);
    expect(await linked(leadIds)).toBe(0);

    const second = await backfill({ mode: 'bulk' });

    expect(second.objects[0]).toMatchObject({ status: 'done', failed: 0, bulkJobs: 0 });
    expect(calls('ingest_items') + calls('backfill_items')).toBe(1);
    expect(calls('create_item')).toBe(0);
    const items = itemsBySalesforceId(world, BOARDS.lead);
    expect(leadIds.filter((id) => items.get(id)?.length === 1)).toHaveLength(200);
    expect(await linked(leadIds)).toBe(200);
    // Linked from the job's report, with the values the job wrote: no write follows.
    const links = await world.db.pool.query<{ via: string; n: number }>(
      "SELECT payload->>'via' AS via, count(*)::int AS n FROM events WHERE type = 'system.record_linked' AND payload->>'salesforceId' = ANY($1) GROUP BY 1",
      [leadIds],
    );
    expect(links.rows).toEqual([{ via: 'created_monday_item', n: 200 }]);
    expect(calls('change_multiple_column_values')).toBe(0);
    const finished = await world.db.pool.query<{ status: string; state: string }>('SELECT status, state FROM bulk_import_jobs WHERE job_id = $1', [recorded[0]]);
    expect(finished.rows).toEqual([{ status: 'finished', state: 'COMPLETED' }]);
  });

  // A job's claim holds only ids and decides which rows it sends for the whole job at once.
  it('a record whose item exists is linked to that item and left out of the job; the job creates the rest and links them from their stored progress', async () => {
    const leadIds = world.sf.control.seed(partnerLeads(150, 'Paged'));
    const existing = world.mondayEmulator.control.seedItems(BOARDS.lead, [{ name: 'Already here', columnValues: { salesforce_id: leadIds[5] } }]);
    world.mondayEmulator.control.clearRequestLog();
    const jobs: BulkJobProgress[] = [];

    const summary = await backfill({ mode: 'bulk', bulk: { onJob: (_, job) => jobs.push(job) } });

    expect(summary.objects[0]).toMatchObject({ status: 'done', created: 149, matched: 1, failed: 0, bulkJobs: 1 });
    expect(calls('ingest_items') + calls('backfill_items')).toBe(1);
    expect(jobs.at(-1)).toMatchObject({ rows: 149, state: 'COMPLETED' });
    expect(calls('create_item')).toBe(0);
    const items = itemsBySalesforceId(world, BOARDS.lead);
    expect(items.get(leadIds[5])?.map((item) => item.id)).toEqual([existing[0].id]);
    expect(leadIds.filter((id) => items.get(id)?.length === 1)).toHaveLength(150);
    expect(await linked(leadIds)).toBe(150);
    const links = await world.db.pool.query<{ via: string; n: number }>(
      "SELECT payload->>'via' AS via, count(*)::int AS n FROM events WHERE type = 'system.record_linked' AND payload->>'salesforceId' = ANY($1) GROUP BY 1 ORDER BY 1",
      [leadIds],
    );
    expect(links.rows).toEqual([
      { via: 'created_monday_item', n: 149 },
      { via: 'salesforce_id_column', n: 1 },
    ]);
  });
});
