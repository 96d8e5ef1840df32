import { appendEvents, LeaderLock, type AppendResult, SubscriptionRunner, type NewEvent, type RecordedEvent } from '../../src/event-store';
import { readCheckpoint } from '../../src/event-store/checkpoints';
import { loadMapping } from '../../src/mapping';
import { buildSyncContext } from '../../src/sync-projector/build-sync-context';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { saveCachedContext } from '../../src/sync-projector/sync-context-cache';
import { SyncProjector, SYNC_PROJECTOR } from '../../src/sync-projector/sync-projector';
import { loadLinks } from '../../src/sync-projector/sync-records.repository';
import { EXAMPLE_MAPPING, sandboxSchemas } from '../support/sandbox-schemas';
import { expectEventually } from '../support/eventually';
import { itemSnapshot, mondayColumnChanged, recordLinked } from '../support/sync-events';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const OPPS = '9378000526';
const ACCOUNTS = '9378000512';
const OPP = '006000000000001AAA';
const ACCOUNT = '001000000000007AAA';
const positionOf = (result: AppendResult): number => {
  if (!result.appended) throw new Error('the event was a duplicate');
  return result.position;
};
const asNew = ({ position: _p, transactionId: _t, recordedAt: _r, ...event }: RecordedEvent): NewEvent => event as NewEvent;

/**
 * Seed 150's family (issues 16, 20): two instances, one leads the projector. Each loads the links
 * into memory at start, and the reference converters read them there. The standby takes the lead when
 * the leader dies; the links the leader made since the standby started must be known to it, or a
 * relation to such a record waits for a link that already exists and is never made again.
 */
describe('sync projector: an instance taking the lead knows the links made by the one before it', () => {
  let db: TestDatabase;
  const mapping = loadMapping(EXAMPLE_MAPPING);
  const cached = { live: sandboxSchemas(), salesforceUsers: [], mondayUsers: [] };

  beforeAll(async () => {
    db = await createTestDatabase();
    await saveCachedContext(db.pool, cached);
  });
  afterAll(async () => db.drop());

  /** An instance: its links loaded now, as sync-engine loads them at start, and its runner. */
  async function instance(): Promise<SubscriptionRunner> {
    const links = new LinkIndex();
    for (const link of await loadLinks(db.pool)) links.add(link.objectKey, link.salesforceId, link.itemId);
    const context = buildSyncContext(mapping, cached, links);
    return new SubscriptionRunner(db.pool, null, new SyncProjector(() => context, links), new LeaderLock(db.url, `projector:${SYNC_PROJECTOR}`), { pollIntervalMs: 50, takeoverIntervalMs: 50 });
  }

  async function handledUpTo(position: number): Promise<void> {
    await expectEventually(async () => expect(Number((await readCheckpoint(db.pool, SYNC_PROJECTOR))?.position ?? 0)).toBeGreaterThanOrEqual(position), { timeoutMs: 20_000 });
  }

  it("the standby, leading after the leader stopped, sends the opportunity's relation to the account the leader linked", async () => {
    const leader = await instance();
    leader.start();
    await expectEventually(() => expect(leader.status().leader).toBe(true));
    const standby = await instance();
    standby.start();
    try {
      // The leader: the opportunity is linked; a person creates account item 777, our create of it
      // links it (the leader's index has the link, the standby's, loaded before, does not).
      const before = [
        recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP, boardId: OPPS, itemId: '501', via: 'created_monday_item', values: { __name__: 'Deal', account: null } }),
        itemSnapshot(ACCOUNTS, '777', 'Acme', {}, 2_000),
        recordLinked({ objectKey: 'account', salesforceObject: 'Account', salesforceId: ACCOUNT, boardId: ACCOUNTS, itemId: '777', via: 'created_salesforce_record', values: { __name__: 'Acme' }, at: 4_000, sentAt: 2_500 }),
      ];
      const appended = await appendEvents(db.pool, before.map(asNew));
      await handledUpTo(positionOf(appended[appended.length - 1]));
      expect(standby.status().leader).toBe(false);
      await leader.stop();
      await expectEventually(() => expect(standby.status().leader).toBe(true));
      // The person relinks the opportunity to 777: the standby, now leading, decides it.
      const [relinked] = await appendEvents(db.pool, [
        asNew(mondayColumnChanged({ boardId: OPPS, itemId: '501', columnId: 'account', columnType: 'board-relation', value: { linkedPulseIds: [{ linkedPulseId: 777 }] }, at: 5_000 })),
      ]);
      await handledUpTo(positionOf(relinked));
      const { rows } = await db.pool.query<{ payload: { fields: Record<string, unknown> } }>("SELECT payload FROM outbox WHERE kind = 'salesforce.update' AND payload->>'salesforceId' = $1", [OPP]);
      expect(rows.map((r) => r.payload.fields)).toEqual([{ AccountId: ACCOUNT }]);
      const { rows: waiting } = await db.pool.query("SELECT waiting FROM sync_records WHERE monday_item_id = '501'");
      expect(waiting[0].waiting).toEqual([]);
    } finally {
      await leader.stop();
      await standby.stop();
    }
  });

  it('the standby, leading, resolves an owner by the user lists stored by an instance started after it', async () => {
    const standby = await instance();
    // A newer instance starts and stores the user lists it read: a user added since the standby's start.
    await saveCachedContext(db.pool, { ...cached, salesforceUsers: [{ id: '005000000000042AAA', email: 'new.hire@example.org' }], mondayUsers: [{ id: '4242', email: 'New.Hire@example.org' }] });
    standby.start();
    try {
      await expectEventually(() => expect(standby.status().leader).toBe(true));
      const [changed] = await appendEvents(db.pool, [
        asNew(mondayColumnChanged({ boardId: OPPS, itemId: '501', columnId: 'owner', columnType: 'multiple-person', value: { personsAndTeams: [{ id: 4242, kind: 'person' }] }, at: 6_000 })),
      ]);
      await handledUpTo(positionOf(changed));
      const { rows } = await db.pool.query<{ payload: { fields: Record<string, unknown> } }>("SELECT payload FROM outbox WHERE kind = 'salesforce.update' AND payload->'fields' ? 'OwnerId'");
      expect(rows.map((r) => r.payload.fields)).toEqual([{ OwnerId: '005000000000042AAA' }]);
    } finally {
      await standby.stop();
    }
  });
});
