import { appendEvents, LeaderLock, SubscriptionRunner, type NewEvent, type RecordedEvent } from '../../src/event-store';
import { loadMapping } from '../../src/mapping';
import { buildSyncContext } from '../../src/sync-projector/build-sync-context';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { saveCachedContext } from '../../src/sync-projector/sync-context-cache';
import { SyncProjector } from '../../src/sync-projector/sync-projector';
import { EXAMPLE_MAPPING, sandboxSchemas } from '../support/sandbox-schemas';
import { mondayColumnChanged, recordLinked, salesforceChanged } from '../support/sync-events';
import { expectEventually } from '../support/eventually';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const OPPS = '9378000526';
const OPP_ID = '006000000000001AAA';
const asNew = ({ position: _p, transactionId: _t, recordedAt: _r, ...event }: RecordedEvent): NewEvent => event as NewEvent;
const amount = (value: string, at: number) => mondayColumnChanged({ boardId: OPPS, itemId: '501', columnId: 'amount', columnType: 'numeric', value: { value }, at });

/**
 * Issue 16: the projector, not the dispatcher, decides what a waiting command still carries. In the
 * transaction of the event that changes the record, a pending update is rewritten or cancelled; a
 * claimed one (in flight) comes back as an event, but what a retry of it would carry is revised too.
 */
describe('the projector revises pending outbox updates in its own transaction', () => {
  let db: TestDatabase;
  const mapping = loadMapping(EXAMPLE_MAPPING);
  const cached = { live: sandboxSchemas(), salesforceUsers: [], mondayUsers: [] };
  const links = new LinkIndex();

  beforeAll(async () => {
    db = await createTestDatabase();
    await saveCachedContext(db.pool, cached);
  });
  afterAll(async () => db.drop());

  async function project(...events: RecordedEvent[]): Promise<void> {
    await appendEvents(db.pool, events.map(asNew));
    await drain();
  }

  async function drain(): Promise<void> {
    const context = buildSyncContext(mapping, cached, links);
    const runner = new SubscriptionRunner(db.pool, null, new SyncProjector(() => context, links), new LeaderLock(db.url, 'projector:sync'));
    await runner.drain();
    await runner.stop();
  }

  const outbox = async () =>
    (await db.pool.query<{ id: string; status: string; fields: Record<string, unknown>; code: string | null }>("SELECT id, status, payload->'fields' AS fields, last_error->>'code' AS code FROM outbox ORDER BY id")).rows;

  it('a later edit cancels the pending update it supersedes, and trims one that carries more than the superseded value', async () => {
    await project(recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPS, itemId: '501', values: { stage: 'Follow-up' } }), amount('100', 2_000));
    expect(await outbox()).toEqual([expect.objectContaining({ status: 'pending', fields: { Amount: 100 } })]);

    await project(amount('200', 3_000));
    expect(await outbox()).toEqual([
      expect.objectContaining({ status: 'done', code: 'SUPERSEDED', fields: { Amount: 100 } }),
      expect.objectContaining({ status: 'pending', fields: { Amount: 200 } }),
    ]);

    // A person in Salesforce types the same 200 while our update waits: nothing is left to send.
    await project(salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { Amount: 200 }, at: 3_500 }));
    expect((await outbox()).map((c) => c.status)).toEqual(['done', 'done']);
  });

  it('a claimed (in-flight) update keeps its status and attempt; what a retry of it would carry is revised (here: nothing, a newer value follows it)', async () => {
    await project(amount('300', 4_000));
    const [claimed] = (await outbox()).filter((c) => c.status === 'pending');
    await claim(claimed.id);
    await project(amount('400', 5_000));
    const rows = await outbox();
    expect(rows.find((c) => c.id === claimed.id)).toEqual(expect.objectContaining({ status: 'in_flight', fields: {} }));
    expect(rows.at(-1)).toEqual(expect.objectContaining({ status: 'pending', fields: { Amount: 400 } }));
  });

  it('seed 216: a person typing in Salesforce the value a claimed update carries leaves its retry nothing to write', async () => {
    await project(amount('500', 6_000));
    const [claimed] = (await outbox()).filter((c) => c.status === 'pending');
    await claim(claimed.id);
    // The first attempt is failing (a 500, a locked row) while a person sets Amount 500 in Salesforce.
    await project(salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { Amount: 500 }, at: 6_500 }));
    expect((await outbox()).find((c) => c.id === claimed.id)).toEqual(expect.objectContaining({ status: 'in_flight', fields: {} }));
  });

  it('a claimed update being settled as failed while the projector revises it is revised once settled: its retry is not sent with what the state already superseded', async () => {
    await project(amount('700', 7_000));
    const [claimed] = (await outbox()).filter((c) => c.status === 'pending');
    await claim(claimed.id);
    // A person types 700 in Salesforce; then, while the projector works, the dispatcher records the
    // attempt's failure (pending again) in a transaction not yet committed.
    await appendEvents(db.pool, [asNew(salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { Amount: 700 }, at: 7_500 }))]);
    const settling = await db.pool.connect();
    try {
      await settling.query('BEGIN');
      await settling.query("UPDATE outbox SET status = 'pending', locked_until = NULL WHERE id = $1", [claimed.id]);
      const projecting = drain();
      // The projector waits for that row (it does not skip it) ...
      await expectEventually(async () => {
        const { rows } = await db.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM outbox%FOR UPDATE%'",
        );
        expect(rows[0].n).toBe(1);
      });
      // ... and revises it as it is once the failure is recorded.
      await settling.query('COMMIT');
      await projecting;
    } finally {
      settling.release();
    }
    expect((await outbox()).find((c) => c.id === claimed.id)).toEqual(expect.objectContaining({ status: 'done', code: 'SUPERSEDED' }));
  });

  /** What the dispatcher's claim does to a row. */
  async function claim(id: string): Promise<void> {
    await db.pool.query("UPDATE outbox SET status = 'in_flight', locked_until = now() + interval '1 minute', attempts = attempts + 1 WHERE id = $1", [id]);
  }
});
