/**
 * Issue 20: a bulk-import job whose claim was taken over sends nothing more. The job's process (A)
 * is held right before each of its fenced writes (the job's start, the file's upload, the follow-up
 * writes of values the file cannot carry) with its renewals held back, as a stalled process would be,
 * until its lease has lapsed in Postgres; another instance's dispatcher (B) then claims the rows and
 * does their work. A must not start, upload or write follow-ups; B does the work once; every record
 * ends with one item, linked once. Each case fails when the job's fence checks are removed.
 */
import type { Pool, QueryResult } from 'pg';
import type { BackfillSummary } from '../../src/migration/backfill.runner';
import { expectEventually } from '../support/eventually';
import { BOARDS, cell, itemsBySalesforceId, partnerLeads, startBackfillWorld, type BackfillWorld } from './backfill-world';

const LEASE_MS = 2_000;
const WRITE_LEASE_MS = 5_000;
const LEADS = 12;

/** The statements after which A is held (the last of A's before each fenced write). */
const BEFORE_START = /FROM outbox o WHERE o\.id = ANY\(\$1::bigint\[\]\) AND o\.claim_token = \$2/; // the file's read
const BEFORE_UPLOAD = /INSERT INTO bulk_import_jobs/; // the started job recorded
const BEFORE_FOLLOW_UPS = /UPDATE bulk_import_jobs SET status = 'finished'/; // the job over
/** A claim's renewal (confirmClaim). */
const RENEWAL = /SET locked_until = now\(\) \+ \$3/;

/** The database as A sees it: once, after a statement matching `after`, A waits for `hold`, its renewals too. */
function holdingPool(pool: Pool, after: RegExp, hold: () => Promise<void>): Pool {
  let armed = true;
  let holding: Promise<void> | null = null;
  const query = async (...args: unknown[]): Promise<QueryResult> => {
    const sql = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text);
    if (holding && RENEWAL.test(sql)) await holding;
    const result = await (pool.query as (...a: unknown[]) => Promise<QueryResult>)(...args);
    if (armed && after.test(sql)) {
      armed = false;
      holding = hold();
      await holding;
      holding = null;
    }
    return result;
  };
  return new Proxy(pool, {
    get(target, key) {
      if (key === 'query') return query;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('bulk import fencing: a job whose claim was taken over sends nothing more (issue 20)', () => {
  let world: BackfillWorld;
  const requests = (field: string) => world.mondayEmulator.control.requestLog().filter((e) => e.status === 200 && e.fields.includes(field)).length;
  const rootFields = (field: string) => world.mondayEmulator.control.requestLog().reduce((n, e) => n + (e.status === 200 ? e.fields.filter((f) => f === field).length : 0), 0);

  beforeAll(async () => {
    world = await startBackfillWorld({ mondayApiVersion: '2026-10', monday: { integrationUserIsAdmin: true } });
  }, 60_000);
  afterAll(() => world.close());

  /**
   * A's backfill, held once after `after` until every row of its claim has lapsed and B has claimed
   * and sent them; returns A's summary and how many B claimed.
   */
  async function takenOverAfter(after: RegExp, leadIds: readonly string[]): Promise<{ summary: BackfillSummary; claimedByOther: number }> {
    let claimedByOther = -1;
    const takeOver = async (): Promise<void> => {
      await expectEventually(
        async () => {
          const leased = await world.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE kind = 'monday.create_item' AND status = 'in_flight' AND locked_until >= now()");
          expect(leased.rows[0]?.n).toBe(0);
        },
        { timeoutMs: 30_000 },
      );
      const other = world.otherInstanceDispatcher({ leaseMs: LEASE_MS, writeLeaseMs: WRITE_LEASE_MS });
      claimedByOther = await other.dispatchOnce();
    };
    const summary = await world.backfill(
      { object: 'lead', mode: 'bulk', pipeline: { dispatcher: { leaseMs: LEASE_MS, writeLeaseMs: WRITE_LEASE_MS } }, bulk: { sleep: world.mondaySleep } },
      holdingPool(world.db.pool, after, takeOver),
    );
    // Every record: one item, linked once; each create claimed by A, then by B, and done.
    const items = itemsBySalesforceId(world, BOARDS.lead);
    expect(leadIds.filter((id) => items.get(id)?.length !== 1)).toEqual([]);
    const links = await world.db.pool.query<{ salesforce_id: string; n: number }>(
      "SELECT payload->>'salesforceId' AS salesforce_id, count(*)::int AS n FROM events WHERE type = 'system.record_linked' AND payload->>'salesforceId' = ANY($1) GROUP BY 1",
      [leadIds],
    );
    expect(links.rows.filter((r) => r.n === 1)).toHaveLength(leadIds.length);
    const claims = await world.db.pool.query<{ status: string; dispatches: number; n: number }>(
      "SELECT status, dispatches, count(*)::int AS n FROM outbox WHERE kind = 'monday.create_item' AND payload->>'salesforceId' = ANY($1) GROUP BY 1, 2",
      [leadIds],
    );
    expect(claims.rows).toEqual([{ status: 'done', dispatches: 2, n: leadIds.length }]);
    return { summary, claimedByOther };
  }

  it('taken over before the job starts: A starts no job; B creates each item once', async () => {
    const leadIds = world.sf.control.seed(partnerLeads(LEADS, 'Fenced Start'));
    world.mondayEmulator.control.clearRequestLog();

    const { summary, claimedByOther } = await takenOverAfter(BEFORE_START, leadIds);

    expect(claimedByOther).toBe(LEADS);
    expect(requests('backfill_items') + requests('ingest_items')).toBe(0);
    expect(rootFields('create_item')).toBe(LEADS);
    expect(summary.objects[0]).toMatchObject({ status: 'done', failed: 0 });
  }, 120_000);

  it('taken over after the job started: A uploads no file (the job never runs); B creates each item once', async () => {
    const leadIds = world.sf.control.seed(partnerLeads(LEADS, 'Fenced Upload'));
    world.mondayEmulator.control.clearRequestLog();

    const { summary, claimedByOther } = await takenOverAfter(BEFORE_UPLOAD, leadIds);

    expect(claimedByOther).toBe(LEADS);
    expect(requests('backfill_items') + requests('ingest_items')).toBe(1);
    const job = await world.db.pool.query<{ status: string; state: string }>("SELECT status, state FROM bulk_import_jobs WHERE $1 = ANY(salesforce_ids)", [leadIds[0]]);
    expect(job.rows).toEqual([{ status: 'abandoned', state: 'UPLOAD_PENDING' }]);
    expect(rootFields('create_item')).toBe(LEADS);
    expect(summary.objects[0]).toMatchObject({ status: 'done', failed: 0 });
  }, 120_000);

  it('taken over after the job ran: A writes no follow-up values; B links the job\'s items and the values are written once', async () => {
    // Country cannot ride in the import file: a follow-up write per item.
    const leadIds = world.sf.control.seed(partnerLeads(LEADS, 'Fenced Follow', () => ({ Country: 'France' })));
    world.mondayEmulator.control.clearRequestLog();

    const { summary, claimedByOther } = await takenOverAfter(BEFORE_FOLLOW_UPS, leadIds);

    expect(claimedByOther).toBe(LEADS);
    expect(requests('backfill_items') + requests('ingest_items')).toBe(1);
    expect(rootFields('create_item')).toBe(0);
    const items = itemsBySalesforceId(world, BOARDS.lead);
    expect(leadIds.map((id) => cell(items.get(id)![0], 'country'))).toEqual(leadIds.map(() => expect.objectContaining({ countryCode: 'FR' })));
    expect(rootFields('change_multiple_column_values')).toBe(LEADS);
    expect(summary.objects[0]).toMatchObject({ status: 'done', failed: 0 });
  }, 120_000);
});
