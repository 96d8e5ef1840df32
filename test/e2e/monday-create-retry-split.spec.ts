import { MondayError, type MondayPort } from '../../src/monday';
import { DEMO_BOARDS } from '@crm-sync/sandbox';
import { expectEventually } from '../support/eventually';
import { insertCommands, outboxRow } from '../integration/outbox-support';
import { dispatcherFor, eventsOfType, leadCreateCommand, startOutboxWorld, type OutboxWorld } from './outbox-support';

/**
 * Fault campaign seed 3224 (issue #20): two creates went out in one request under its saved
 * Idempotency-Key; monday made both items but the outcome was never recorded (Postgres restarted
 * under the dispatcher); a person archived the first item (the Id lookup sees active items only);
 * the retry claimed the first create without the second (another dispatcher held it), so the saved
 * request could not go out again whole. The retry must still find the item its request made.
 */
describe('a retried monday create whose saved request cannot be sent again whole', () => {
  let world: OutboxWorld;
  let nextRecord = 1;

  beforeAll(async () => {
    world = await startOutboxWorld();
  });
  afterAll(() => world.close());

  it.each(['archived', 'deleted'] as const)('finds the %s item its first request made in the activity log and links it: no second item', async (removal) => {
    const names = [`Split ${removal} first`, `Split ${removal} second`];
    const leadIds = world.sf.control.seed(names.map((name) => ({ type: 'Lead', fields: { LastName: name, Company: `${name} Co` } })));
    const ids = await insertCommands(
      world.db.pool,
      leadIds.map((id, i) => ({ recordId: nextRecord++, command: leadCreateCommand(id, names[i]) })),
    );
    const firstItems: number[] = [];
    const losing: MondayPort = Object.create(world.monday) as MondayPort;
    losing.applyMutations = async (boardId, mutations, options) => {
      const outcomes = await world.monday.applyMutations(boardId, mutations, options);
      if (firstItems.length === 0 && mutations.some((m) => m.kind === 'create_item')) {
        for (const outcome of outcomes) if (outcome.ok) firstItems.push(Number(outcome.itemId));
        if (removal === 'archived') world.mondayEmulator.control.archiveItem({ itemId: firstItems[0] });
        else world.mondayEmulator.control.deleteItem({ itemId: firstItems[0] });
        // Another dispatcher holds the second create when the first is retried.
        await world.db.pool.query(`UPDATE outbox SET claim_token = gen_random_uuid(), locked_until = now() + interval '1 hour' WHERE id = $1`, [ids[1]]);
        throw new MondayError('TRANSIENT', 'socket hang up (the response was lost after monday created the items)');
      }
      return outcomes;
    };
    world.mondayEmulator.control.clearRequestLog();
    const dispatcher = dispatcherFor(world, {}, { monday: losing });
    dispatcher.start();
    try {
      await expectEventually(async () => expect(['done', 'dead']).toContain((await outboxRow(world.db.pool, ids[0])).status));
      // That dispatcher's lease ends: the second create is retried on its own too.
      await world.db.pool.query('UPDATE outbox SET locked_until = now() - interval \'1 second\' WHERE id = $1', [ids[1]]);
      await expectEventually(async () => expect(['done', 'dead']).toContain((await outboxRow(world.db.pool, ids[1])).status));
    } finally {
      await dispatcher.stop();
    }

    for (const id of ids) expect(await outboxRow(world.db.pool, id)).toMatchObject({ status: 'done' });
    expect(firstItems).toHaveLength(2);
    const items = world.mondayEmulator.control.listItems(DEMO_BOARDS.leads.id, true).filter((i) => names.includes(i.name));
    expect(items.map((i) => i.id).sort()).toEqual([...firstItems].sort());
    const links = (await eventsOfType(world, 'system.record_linked')).filter((e) => leadIds.includes(String(e.payload.salesforceId)));
    expect(links.map((e) => [e.payload.salesforceId, e.payload.mondayItemId, e.payload.via])).toEqual([
      [leadIds[0], String(firstItems[0]), 'created_monday_item'],
      [leadIds[1], String(firstItems[1]), 'salesforce_id_column'],
    ]);
    const requests = world.mondayEmulator.control.requestLog();
    expect(requests.filter((r) => r.operationType === 'mutation' && r.fields.includes('create_item'))).toHaveLength(1);
    expect(requests.filter((r) => r.operationName === 'BoardActivityLogs')).toHaveLength(1);
  });
});

