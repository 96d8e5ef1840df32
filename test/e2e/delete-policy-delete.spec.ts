import { randomUUID } from 'node:crypto';
import { appendEvents, LeaderLock, SubscriptionRunner, type NewEvent, type RecordedEvent } from '../../src/event-store';
import { buildSyncContext } from '../../src/sync-projector/build-sync-context';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { SyncProjector } from '../../src/sync-projector/sync-projector';
import { exampleMappingVariant, type MappingVariant } from '../support/example-mapping-variant';
import { expectEventually } from '../support/eventually';
import { itemSnapshot, recordLinked, recorded } from '../support/sync-events';
import { BOARDS, startBackfillWorld, type BackfillWorld } from './backfill-world';

const asNew = ({ position: _p, transactionId: _t, recordedAt: _r, ...event }: RecordedEvent): NewEvent => event as NewEvent;

/** A person deleted the item on monday (delete_pulse carries the item as `itemId`). */
function itemDeleted(boardId: number, itemId: number, at: number): NewEvent {
  const triggerUuid = randomUUID().replace(/-/g, '');
  return asNew(
    recorded({
      type: 'monday.item_deleted',
      source: 'monday',
      sourceEventId: triggerUuid,
      stream: `monday:item:${itemId}`,
      origin: 'user',
      occurredAt: new Date(at),
      payload: { type: 'delete_pulse', triggerTime: new Date(at).toISOString(), userId: 5001, triggerUuid, boardId, itemId, itemName: 'gone' },
    } as NewEvent),
  );
}

/**
 * Issue 14: `delete: delete` had no test, and a tombstone found at link time did not apply it. The
 * example mapping with the opportunity's policy set to `delete`, through the projector and the
 * dispatcher against the Salesforce emulator.
 */
describe('delete: delete (monday item deleted -> Salesforce record deleted)', () => {
  let world: BackfillWorld;
  let mapping: MappingVariant;

  beforeAll(async () => {
    mapping = exampleMappingVariant([{ object: 'opportunity', from: '    delete: archive\n', to: '    delete: delete\n' }]);
    world = await startBackfillWorld({ mappingPath: mapping.path });
  });
  afterAll(async () => {
    await world?.close();
    mapping?.remove();
  });

  const sf = () => world.sf.control;
  const md = () => world.mondayEmulator.control;
  /** The projector alone (no dispatcher), up to the end of the log. */
  async function project(): Promise<void> {
    const links = new LinkIndex();
    const context = buildSyncContext(world.mapping, world.live, links);
    const runner = new SubscriptionRunner(world.db.pool, null, new SyncProjector(() => context, links), new LeaderLock(world.db.url, 'projector:sync'));
    await runner.drain();
    await runner.stop();
  }
  const deleted = (id: string) => expect(sf().getRecord(id)).toMatchObject({ IsDeleted: true });

  const newOpportunity = (name: string) => (sf().createAsHuman('Opportunity', { Name: name, StageName: 'Follow-up', CloseDate: '2027-05-01' }) as { id: string }).id;

  it('a person deletes a linked item: the Salesforce record is deleted', async () => {
    const id = newOpportunity('Linked then deleted');
    const item = md().createItem({ boardId: BOARDS.opportunity, name: 'Linked then deleted', columnValues: { salesforce_id: id } });
    await appendEvents(world.db.pool, [
      asNew(recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: id, boardId: String(BOARDS.opportunity), itemId: String(item.id), at: Date.now() - 60_000 })),
    ]);
    const pipeline = await world.pipeline();
    try {
      await pipeline.settled();
      expect(sf().getRecord(id)).toMatchObject({ IsDeleted: false });
      md().deleteItem({ itemId: item.id });
      await appendEvents(world.db.pool, [itemDeleted(BOARDS.opportunity, item.id, Date.now())]);
      await pipeline.settled();
      deleted(id);
    } finally {
      await pipeline.stop();
    }
  });

  it('an item deleted while its Salesforce create was on its way: the link applies the tombstone and deletes the new record', async () => {
    // A person creates an item; the sync reads it and decides a Salesforce create ...
    const item = md().createItem({ boardId: BOARDS.opportunity, name: 'Deleted before its link', columnValues: {} });
    const at = Date.now() - 60_000;
    await appendEvents(world.db.pool, [asNew(itemSnapshot(String(BOARDS.opportunity), String(item.id), 'Deleted before its link', { stage: 'Follow-up' }, at))]);
    // ... the create made the record, and the person deleted the item before the link was recorded.
    const id = newOpportunity('Deleted before its link');
    md().deleteItem({ itemId: item.id });
    await appendEvents(world.db.pool, [
      itemDeleted(BOARDS.opportunity, item.id, at + 1_000),
      asNew(recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: id, boardId: String(BOARDS.opportunity), itemId: String(item.id), via: 'created_salesforce_record', at: at + 2_000 })),
    ]);
    await project();
    // The create is what made that record and link (the test ran it in the dispatcher's place).
    await world.db.pool.query("UPDATE outbox SET status = 'done' WHERE kind = 'salesforce.create' AND status = 'pending'");
    const pipeline = await world.pipeline();
    try {
      await pipeline.settled();
      deleted(id);
      const { rows } = await world.db.pool.query<{ kind: string; status: string }>("SELECT kind, status FROM outbox WHERE kind = 'salesforce.delete' AND payload->>'salesforceId' = $1", [id]);
      expect(rows).toEqual([{ kind: 'salesforce.delete', status: 'done' }]);
    } finally {
      await pipeline.stop();
    }
  });

  /** The sync's read of a new item with what a create needs (CloseDate is required). */
  function newItemRead(itemId: number, name: string): NewEvent {
    const read = asNew(itemSnapshot(String(BOARDS.opportunity), String(itemId), name, { stage: 'Follow-up' }, Date.now() - 60_000)) as NewEvent & { type: 'monday.item_snapshot' };
    const closeDate = { id: 'close_date', type: 'date', value: JSON.stringify({ date: '2027-05-01' }), text: '2027-05-01' };
    return { ...read, payload: { ...read.payload, columnValues: [...read.payload.columnValues, closeDate] } };
  }
  const opportunitiesNamed = (name: string) => sf().records('Opportunity', { includeDeleted: true }).filter((r) => r.Name === name);
  /** The item's commands (its create) and every dead letter. */
  const createRows = async (itemId: number) =>
    (await world.db.pool.query<{ kind: string; status: string }>("SELECT kind, status FROM outbox WHERE payload->>'itemId' = $1 OR status = 'dead' ORDER BY id", [String(itemId)])).rows;

  it('an item deleted while the dispatcher creates its record (writing the Id back fails NOT_FOUND): no dead letter, the new record is deleted (seed 136)', async () => {
    const name = 'Deleted during its create';
    const item = md().createItem({ boardId: BOARDS.opportunity, name, columnValues: {} });
    await appendEvents(world.db.pool, [newItemRead(item.id, name)]);
    // The create request is held in Salesforce; the person deletes the item meanwhile. The poll's
    // timer always fires before the hold's (it was set earlier and is shorter), so the delete lands
    // before Salesforce answers and before the Id is written back.
    sf().injectFault({ kind: 'latency', latencyMs: 3_000, pathContains: '/composite/sobjects', method: 'POST' });
    const pipeline = await world.pipeline();
    try {
      await expectEventually(() => expect(sf().faults()).toEqual([]), { timeoutMs: 60_000, intervalMs: 10 });
      md().deleteItem({ itemId: item.id });
      await pipeline.settled();
      // No webhook of the delete was appended: the create's own outcome told the decision.
      expect(opportunitiesNamed(name)).toEqual([expect.objectContaining({ IsDeleted: true })]);
      expect(await createRows(item.id)).toEqual([{ kind: 'salesforce.create', status: 'done' }]);
      const { rows } = await world.db.pool.query<{ kind: string; status: string }>("SELECT kind, status FROM outbox WHERE kind = 'salesforce.delete' AND payload->>'salesforceId' = $1", [
        String(opportunitiesNamed(name)[0]?.Id),
      ]);
      expect(rows).toEqual([{ kind: 'salesforce.delete', status: 'done' }]);
    } finally {
      await pipeline.stop();
    }
  });

  it('an item deleted before its create is sent: the create ends with nothing created and no dead letter', async () => {
    const name = 'Deleted before its create';
    const item = md().createItem({ boardId: BOARDS.opportunity, name, columnValues: {} });
    await appendEvents(world.db.pool, [newItemRead(item.id, name)]);
    md().deleteItem({ itemId: item.id });
    const pipeline = await world.pipeline();
    try {
      await pipeline.settled();
      expect(opportunitiesNamed(name)).toEqual([]);
      expect(await createRows(item.id)).toEqual([{ kind: 'salesforce.create', status: 'done' }]);
      const { rows } = await world.db.pool.query<{ deleted_side: string | null; creating: string | null }>('SELECT deleted_side, creating FROM sync_records WHERE monday_item_id = $1', [String(item.id)]);
      expect(rows).toEqual([{ deleted_side: 'monday', creating: null }]);
    } finally {
      await pipeline.stop();
    }
  });

  it('an item whose Salesforce Id column names a deleted record: no second record, the item is deleted by the policy (issue 20, seed 605)', async () => {
    const name = 'Names a deleted record';
    const id = newOpportunity(name);
    sf().deleteAsHuman('Opportunity', id);
    // Our monday create for it made this item but its outcome was lost; a person edits the item, the
    // sync reads it as an unknown item and decides a Salesforce create.
    const item = md().createItem({ boardId: BOARDS.opportunity, name, columnValues: { salesforce_id: id } });
    const read = newItemRead(item.id, name) as NewEvent & { type: 'monday.item_snapshot' };
    const idColumn = { id: 'salesforce_id', type: 'text', value: JSON.stringify(id), text: id };
    await appendEvents(world.db.pool, [{ ...read, payload: { ...read.payload, columnValues: [...read.payload.columnValues, idColumn] } }]);
    const pipeline = await world.pipeline();
    try {
      await pipeline.settled();
      expect(opportunitiesNamed(name)).toEqual([expect.objectContaining({ Id: id, IsDeleted: true })]);
      const dead = await world.db.pool.query("SELECT last_error FROM outbox WHERE status = 'dead'");
      expect(dead.rows).toEqual([]);
      expect(await createRows(item.id)).toEqual([
        { kind: 'salesforce.create', status: 'done' },
        { kind: 'monday.delete_item', status: 'done' },
      ]);
      expect(md().getItem(item.id)?.state).toBe('deleted');
      const { rows } = await world.db.pool.query<{ deleted_side: string | null; salesforce_id: string | null }>('SELECT deleted_side, salesforce_id FROM sync_records WHERE monday_item_id = $1', [String(item.id)]);
      expect(rows).toEqual([{ deleted_side: 'salesforce', salesforce_id: id }]);
    } finally {
      await pipeline.stop();
    }
  });
});
