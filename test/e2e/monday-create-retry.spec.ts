import { MondayError, type MondayPort } from '../../src/monday';
import { DEMO_BOARDS } from '@crm-sync/sandbox';
import { expectEventually } from '../support/eventually';
import { insertCommands, outboxRow } from '../integration/outbox-support';
import { dispatcherFor, eventsOfType, leadCreateCommand, startOutboxWorld, type OutboxWorld } from './outbox-support';


/**
 * Fault campaign seed 500 (issue #20): a create's first attempt made its item but its outcome was
 * never recorded (instance killed, or the response lost); a person deleted the item; the retry's
 * lookup of the Salesforce Id column does not see deleted items. The retry must not make a second item.
 */
describe('a retried monday create after a person deleted the item its first attempt made', () => {
  let world: OutboxWorld;
  let nextRecord = 1;

  beforeAll(async () => {
    world = await startOutboxWorld();
  });
  afterAll(() => world.close());

  const createCommand = leadCreateCommand;

  /**
   * Two creates in one request; the request runs on monday, then a person deletes the first item
   * and the response never arrives (as when the instance sending it is killed); `beforeRetry` runs
   * before the retry.
   */
  /** Runs a dispatcher with these dependencies until every command is done or dead. */
  const dispatchUntilSettled = async (ids: number[], deps: Parameters<typeof dispatcherFor>[2]) => {
    const dispatcher = dispatcherFor(world, {}, deps);
    dispatcher.start();
    try {
      await expectEventually(async () => {
        for (const id of ids) expect(['done', 'dead']).toContain((await outboxRow(world.db.pool, id)).status);
      });
    } finally {
      await dispatcher.stop();
    }
  };

  /** Our clock runs this much ahead of real time (a late retry moves it with monday's). */
  let ourClockAhead = 0;
  const laterOnBothClocks = (ms: number) => () => {
    world.mondayEmulator.control.advanceClock(ms);
    ourClockAhead += ms;
  };

  const lostCreates = async (names: string[], beforeRetry: () => void) => {
    const leadIds = world.sf.control.seed(names.map((name) => ({ type: 'Lead', fields: { LastName: name, Company: `${name} Co` } })));
    const firstItems: number[] = [];
    const losing: MondayPort = Object.create(world.monday) as MondayPort;
    losing.applyMutations = async (boardId, mutations, options) => {
      const outcomes = await world.monday.applyMutations(boardId, mutations, options);
      if (firstItems.length === 0 && mutations.some((m) => m.kind === 'create_item')) {
        for (const outcome of outcomes) if (outcome.ok) firstItems.push(Number(outcome.itemId));
        world.mondayEmulator.control.deleteItem({ itemId: firstItems[0] });
        beforeRetry();
        throw new MondayError('TRANSIENT', 'socket hang up (the response was lost after monday created the items)');
      }
      return outcomes;
    };
    const ids = await insertCommands(
      world.db.pool,
      leadIds.map((id, i) => ({ recordId: nextRecord++, command: createCommand(id, names[i]) })),
    );
    world.mondayEmulator.control.clearRequestLog();
    await dispatchUntilSettled(ids, { monday: losing, now: () => new Date(Date.now() + ourClockAhead) });
    for (const id of ids) expect(await outboxRow(world.db.pool, id)).toMatchObject({ status: 'done', attempts: 2 });
    const links = (await eventsOfType(world, 'system.record_linked')).filter((e) => leadIds.includes(String(e.payload.salesforceId)));
    const items = world.mondayEmulator.control.listItems(DEMO_BOARDS.leads.id, true).filter((i) => names.includes(i.name));
    const requests = world.mondayEmulator.control.requestLog();
    const creates = requests.filter((r) => r.operationType === 'mutation' && r.fields.includes('create_item'));
    const logReads = requests.filter((r) => r.operationName === 'BoardActivityLogs');
    return { leadIds, firstItems, links: links.map((e) => [e.payload.salesforceId, e.payload.mondayItemId, e.payload.via]), items, creates, logReads };
  };

  it('within the key window too: the deleted item is found in the activity log and linked, the other keeps its item, no create is sent again', async () => {
    const { leadIds, firstItems, links, items, creates, logReads } = await lostCreates(['Retry Deleted', 'Retry Kept'], () => undefined);

    expect(firstItems).toHaveLength(2);
    expect(items.map((i) => i.id).sort()).toEqual([...firstItems].sort());
    expect(links).toEqual([
      [leadIds[0], String(firstItems[0]), 'created_monday_item'],
      [leadIds[1], String(firstItems[1]), 'salesforce_id_column'],
    ]);
    // monday may forget a key before its 30 minutes (its cache has a budget per user and app; fault
    // seed 3803): the log, not the keyed resend, finds the deleted item.
    expect(creates.map((r) => [r.fields.filter((f) => f === 'create_item').length, r.idempotencyReplayed])).toEqual([[2, false]]);
    expect(logReads).toHaveLength(1);
  });

  it('within the key window, with the key forgotten early: no second item', async () => {
    const { firstItems, items, creates } = await lostCreates(['Early Forgotten Deleted', 'Early Forgotten Kept'], () => world.mondayEmulator.control.expireIdempotencyKeys());
    expect(items.map((i) => i.id).sort()).toEqual([...firstItems].sort());
    expect(creates).toHaveLength(1);
  });

  it('a first request that never reached monday: the log shows nothing, the request goes out again under its key (a failing resend too), one item each', async () => {
    const names = ['Never Sent A', 'Never Sent B'];
    const leadIds = world.sf.control.seed(names.map((name) => ({ type: 'Lead', fields: { LastName: name, Company: `${name} Co` } })));
    const failing: MondayPort = Object.create(world.monday) as MondayPort;
    let toFail = 2;
    const keys: Array<string | undefined> = [];
    failing.applyMutations = async (boardId, mutations, options) => {
      if (mutations.some((m) => m.kind === 'create_item')) {
        keys.push(options?.idempotencyKey);
        if (toFail-- > 0) throw new MondayError('TRANSIENT', 'connection reset (the request did not reach monday)');
      }
      return world.monday.applyMutations(boardId, mutations, options);
    };
    const ids = await insertCommands(world.db.pool, leadIds.map((id, i) => ({ recordId: nextRecord++, command: createCommand(id, names[i]) })));
    await dispatchUntilSettled(ids, { monday: failing });
    for (const id of ids) expect(await outboxRow(world.db.pool, id)).toMatchObject({ status: 'done', attempts: 3 });
    expect(world.mondayEmulator.control.listItems(DEMO_BOARDS.leads.id, true).filter((i) => names.includes(i.name))).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
    expect(keys).toHaveLength(3);
  });

  it('after monday forgot the key (30 minutes): the deleted item is found in the board\'s activity log and linked, no second item is made', async () => {
    const { leadIds, firstItems, links, items, creates, logReads } = await lostCreates(['Late Deleted', 'Late Kept'], laterOnBothClocks(31 * 60_000));

    // The retry sent no create: the lookup found one item, the activity log the deleted other.
    expect(creates.map((r) => r.idempotencyReplayed)).toEqual([false]);
    expect(logReads).toHaveLength(1);
    expect(items.map((i) => i.id).sort()).toEqual([...firstItems].sort());
    expect(items.filter((i) => i.state === 'active').map((i) => i.id)).toEqual([firstItems[1]]);
    expect(links).toEqual([
      [leadIds[0], String(firstItems[0]), 'created_monday_item'],
      [leadIds[1], String(firstItems[1]), 'salesforce_id_column'],
    ]);
  });

});
