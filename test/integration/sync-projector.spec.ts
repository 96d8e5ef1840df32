import { appendEvents, LeaderLock, SubscriptionRunner, type NewEvent, type RecordedEvent } from '../../src/event-store';
import { loadMapping } from '../../src/mapping';
import { replayProjection } from '../../src/migration/replay';
import { buildSyncContext } from '../../src/sync-projector/build-sync-context';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { saveCachedContext } from '../../src/sync-projector/sync-context-cache';
import { SyncProjector } from '../../src/sync-projector/sync-projector';
import { EXAMPLE_MAPPING, sandboxSchemas } from '../support/sandbox-schemas';
import { mondayColumnChanged, recordLinked, salesforceChanged } from '../support/sync-events';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const OPPS = '9378000526';
const status = (text: string) => ({ label: { index: 0, text }, post_id: null });
const asNew = ({ position: _p, transactionId: _t, recordedAt: _r, ...event }: RecordedEvent): NewEvent => event as NewEvent;

describe('sync projector runner on Postgres (invariants 4, 10, 11)', () => {
  let db: TestDatabase;
  const mapping = loadMapping(EXAMPLE_MAPPING);
  const cached = { live: sandboxSchemas(), salesforceUsers: [], mondayUsers: [] };

  beforeAll(async () => {
    db = await createTestDatabase();
    await saveCachedContext(db.pool, cached);
  });
  afterAll(async () => db.drop());

  async function runLive(): Promise<void> {
    const links = new LinkIndex();
    const context = buildSyncContext(mapping, cached, links);
    const runner = new SubscriptionRunner(db.pool, null, new SyncProjector(() => context, links), new LeaderLock(db.url, 'projector:sync'));
    await runner.drain();
    await runner.stop();
  }

  const snapshot = async () =>
    (await db.pool.query('SELECT object_key, salesforce_id, monday_item_id, deleted_side, creating, fields, waiting FROM sync_records ORDER BY object_key, salesforce_id, monday_item_id')).rows;

  it('writes record state, outbox commands and a decision for every event in the checkpoint transaction; replay rebuilds the same state and sends nothing', async () => {
    const events = [
      recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: '006000000000001AAA', boardId: OPPS, itemId: '501', values: { stage: 'Follow-up' } }),
      mondayColumnChanged({ boardId: OPPS, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Quote'), at: 2_000 }),
      salesforceChanged({ object: 'Opportunity', id: '006000000000001AAA', fields: { Amount: 5000, NextStep: 'Call' }, at: 3_000 }),
      mondayColumnChanged({ boardId: OPPS, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Quote'), at: 3_500, origin: 'own_echo' }),
      mondayColumnChanged({ boardId: OPPS, itemId: '501', columnId: 'account', columnType: 'board-relation', value: { linkedPulseIds: [{ linkedPulseId: 777 }] }, at: 4_000 }),
      recordLinked({ objectKey: 'account', salesforceObject: 'Account', salesforceId: '001000000000007AAA', boardId: '9378000512', itemId: '777' }),
      salesforceChanged({ object: 'Opportunity', id: '006000000000002AAA', changeType: 'CREATE', fields: { Name: 'Fresh', StageName: 'Quote' }, at: 5_000 }),
    ];
    await appendEvents(db.pool, events.map(asNew));
    await runLive();

    const { rows: commands } = await db.pool.query('SELECT kind, payload FROM outbox ORDER BY id');
    expect(commands.map((c) => c.kind)).toEqual(['salesforce.update', 'monday.change_columns', 'salesforce.update', 'monday.create_item']);
    expect(commands[0].payload.fields).toEqual({ StageName: 'Quote' });
    expect(commands[2].payload.fields).toEqual({ AccountId: '001000000000007AAA' });
    const { rows: decisions } = await db.pool.query('SELECT count(DISTINCT position)::int AS n FROM sync_decisions');
    expect(decisions[0].n).toBe(events.length);
    const { rows: echo } = await db.pool.query("SELECT outcome, reason FROM sync_decisions WHERE reason = 'own_echo'");
    expect(echo).toHaveLength(1);

    const live = await snapshot();
    await db.pool.query("UPDATE outbox SET status = 'done'");
    const outboxBefore = (await db.pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n;
    const result = await replayProjection(db.pool, db.url, mapping);
    expect(result.handled).toBe(events.length);
    expect(await snapshot()).toEqual(live);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBe(outboxBefore);
  });

  it('replay refuses while commands are still waiting to be sent', async () => {
    await db.pool.query("INSERT INTO outbox (record_id, target, kind, payload, caused_by) VALUES (1, 'monday', 'monday.change_columns', '{}', 1)");
    await expect(replayProjection(db.pool, db.url, mapping)).rejects.toThrow(/still waiting in the outbox/);
  });
});
