import { randomUUID } from 'node:crypto';
import { appendEvents, LeaderLock, readCheckpoint, START, SubscriptionRunner, type NewEvent, type RecordedEvent } from '../../src/event-store';
import { buildSyncContext } from '../../src/sync-projector/build-sync-context';
import { runMondayCatchUp } from '../../src/migration/monday-catch-up';
import { claimCommands } from '../../src/outbox/claim';
import type { OutboxCommand } from '../../src/sync-commands/outbox-command';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { SYNC_PROJECTOR, SyncProjector } from '../../src/sync-projector/sync-projector';
import { ScaledClock } from '@crm-sync/sandbox';
import { expectEventually } from '../support/eventually';
import { mondayColumnChanged, salesforceChanged } from '../support/sync-events';
import { BOARDS, itemsBySalesforceId, startBackfillWorld, type BackfillWorld } from './backfill-world';

const LEASE_MS = 120_000;
/** The claim token of the dispatcher that died. */
const DEAD_PROCESS = randomUUID();
const asNew = ({ position: _p, transactionId: _t, recordedAt: _r, ...event }: RecordedEvent): NewEvent => event as NewEvent;

/**
 * Issue 13 item 4, built step by step instead of timed: the service dies (kill -9) while its monday
 * create for a new opportunity is in flight (the item exists, its link is not recorded, the lease of
 * the dead dispatcher still runs), a person edits the opportunity in Salesforce meanwhile, and the
 * monday catch-up runs before the lease expires. The person's edit must survive on both sides.
 */
describe('a catch-up while a dead process still leases its monday create', () => {
  let world: BackfillWorld;
  const clock = new ScaledClock(1);

  beforeAll(async () => {
    world = await startBackfillWorld({ monday: { clock } });
    // The demo items are history (the backfill's job): the first catch-up only sets each board's cursor.
    md().advanceClock(10 * 60_000);
    await catchUp();
  });
  afterAll(async () => world?.close());

  const sf = () => world.sf.control;
  const md = () => world.mondayEmulator.control;
  const columnText = async (itemId: number, column: string) => (await world.monday.itemsByIds([String(itemId)]))[0]?.columnValues.find((c) => c.id === column)?.text ?? null;

  const catchUp = () => runMondayCatchUp(world.db.pool, world.monday, world.mapping, { now: () => clock.now(), overlapMs: 1_000 });

  /** The projector alone (no dispatcher), up to the end of the log. */
  async function project(): Promise<void> {
    const links = new LinkIndex();
    const context = buildSyncContext(world.mapping, world.live, links);
    const runner = new SubscriptionRunner(world.db.pool, null, new SyncProjector(() => context, links), new LeaderLock(world.db.url, 'projector:sync'));
    await runner.drain();
    await runner.stop();
  }

  /**
   * A new opportunity (Amount 100) reaches the projector, a dispatcher claims its monday create,
   * creates the item and dies before recording anything: the outbox row stays in flight under its
   * lease. Returns the Salesforce Id and the item.
   */
  async function createInFlight(name: string): Promise<{ id: string; itemId: number; createdAt: number }> {
    const { id } = sf().createAsHuman('Opportunity', { Name: name, StageName: 'Follow-up', CloseDate: '2027-05-01', Amount: 100 }) as { id: string };
    await appendEvents(world.db.pool, [
      asNew(salesforceChanged({ object: 'Opportunity', id, changeType: 'CREATE', fields: { Name: name, StageName: 'Follow-up', CloseDate: '2027-05-01', Amount: 100 }, at: clock.now() - 60_000 })),
    ]);
    await project();
    const claimed = await claimCommands(world.db.pool, { limit: 10, leaseMs: LEASE_MS, claimToken: DEAD_PROCESS });
    expect(claimed.map((c) => c.command.kind)).toEqual(['monday.create_item']);
    const create = claimed[0].command as Extract<OutboxCommand, { kind: 'monday.create_item' }>;
    const [outcome] = await world.monday.applyMutations(create.boardId, [
      { kind: 'create_item', groupId: create.groupId, name: create.name, columnValues: create.columnValues, createLabelsIfMissing: create.createLabelsIfMissing },
    ]);
    if (!outcome?.ok) throw new Error('the dead dispatcher could not create the item');
    return { id, itemId: Number(outcome.itemId), createdAt: clock.now() };
  }

  /** A person's Salesforce edit, after the item was created, as its change event reports it. */
  async function humanSalesforceEdit(id: string, at: number): Promise<void> {
    sf().updateAsHuman('Opportunity', id, { Amount: 999, NextStep: 'human edit' });
    await appendEvents(world.db.pool, [asNew(salesforceChanged({ object: 'Opportunity', id, fields: { Amount: 999, NextStep: 'human edit' }, at }))]);
  }

  /**
   * Everything but the dead process's command is done: the projector has decided the whole log and
   * no other command waits or runs (twice, as BackfillPipeline.settled checks, which the leased
   * command would keep waiting).
   */
  async function settledButTheDeadLease(): Promise<void> {
    const quiet = async () => {
      const open = await world.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE status IN ('pending', 'in_flight') AND claim_token IS DISTINCT FROM $1", [DEAD_PROCESS]);
      const checkpoint = (await readCheckpoint(world.db.pool, SYNC_PROJECTOR)) ?? START;
      const behind = await world.db.pool.query<{ behind: boolean }>('SELECT EXISTS (SELECT 1 FROM events WHERE (transaction_id, position) > ($1::xid8, $2::bigint)) AS behind', [
        checkpoint.transactionId,
        checkpoint.position,
      ]);
      return open.rows[0].n === 0 && !behind.rows[0].behind;
    };
    await expectEventually(async () => expect((await quiet()) && (await quiet())).toBe(true), { timeoutMs: 20_000 });
  }

  async function expireDeadLeases(): Promise<void> {
    await world.db.pool.query("UPDATE outbox SET locked_until = now() - interval '1 second' WHERE claim_token = $1 AND status = 'in_flight'", [DEAD_PROCESS]);
  }

  it('the catch-up leaves the item of a leased create for its next round; the edit survives and reaches the item once the create finishes', async () => {
    const { id, itemId, createdAt } = await createInFlight('Lease Held Grant');
    await humanSalesforceEdit(id, createdAt + 60_000);

    const first = await catchUp();
    const opportunities = first.find((b) => b.boardId === String(BOARDS.opportunity));
    expect(opportunities?.held).toEqual([String(itemId)]);
    expect(opportunities?.appended).toBe(0);

    const pipeline = await world.pipeline();
    try {
      await settledButTheDeadLease();
      const { rows } = await world.db.pool.query("SELECT count(*)::int AS n FROM outbox WHERE kind = 'salesforce.create'");
      expect(rows[0].n).toBe(0);
      expect(sf().getRecord(id)).toMatchObject({ Amount: 999, NextStep: 'human edit' });

      // The dead process's lease runs out: the create is claimed again, finds its item and links it.
      await expireDeadLeases();
      await pipeline.settled();
      const again = await catchUp();
      expect(again.find((b) => b.boardId === String(BOARDS.opportunity))?.held).toEqual([]);
      await pipeline.settled();

      expect(sf().getRecord(id)).toMatchObject({ Amount: 999, NextStep: 'human edit' });
      expect(await columnText(itemId, 'amount')).toBe('999');
      expect(await columnText(itemId, 'next_step')).toBe('human edit');
      expect(itemsBySalesforceId(world, BOARDS.opportunity).get(id)).toHaveLength(1);
    } finally {
      await pipeline.stop();
    }
  });

  it('a link found by the Salesforce Id column keeps the later change of each side (a person edits the unlinked item, then the record)', async () => {
    const { id, itemId } = await createInFlight('Id Column Grant');
    // A person sets the stage on the new item (its webhook names an item the sync does not know yet:
    // the item is read and created in Salesforce, which finds the record by the Id column) ...
    md().changeColumnValues({ itemId, columnValues: { stage: { label: 'Quote' } } });
    const editedAt = md().getItem(itemId)?.updatedAt as number;
    await appendEvents(world.db.pool, [
      asNew(mondayColumnChanged({ boardId: String(BOARDS.opportunity), itemId: String(itemId), columnId: 'stage', columnType: 'color', value: { label: { index: 0, text: 'Quote' }, post_id: null }, at: editedAt })),
    ]);
    // ... and later another person edits the record in Salesforce.
    await humanSalesforceEdit(id, editedAt + 60_000);

    const pipeline = await world.pipeline();
    try {
      await expectEventually(async () => {
        const { rows } = await world.db.pool.query('SELECT 1 FROM sync_records WHERE monday_item_id = $1 AND salesforce_id = $2', [String(itemId), id]);
        expect(rows).toHaveLength(1);
      }, { timeoutMs: 20_000 });
      await settledButTheDeadLease();
      expect(sf().getRecord(id)).toMatchObject({ Amount: 999, NextStep: 'human edit', StageName: 'Quote' });
      expect(await columnText(itemId, 'amount')).toBe('999');
      expect(await columnText(itemId, 'next_step')).toBe('human edit');
      expect(await columnText(itemId, 'stage')).toBe('Quote');

      await expireDeadLeases();
      await pipeline.settled();
      expect(sf().getRecord(id)).toMatchObject({ Amount: 999, NextStep: 'human edit', StageName: 'Quote' });
      expect(await columnText(itemId, 'amount')).toBe('999');
      expect(itemsBySalesforceId(world, BOARDS.opportunity).get(id)).toHaveLength(1);
    } finally {
      await pipeline.stop();
    }
  });
});
