import { DEMO_BOARDS } from '@crm-sync/sandbox';
import { MondayError, type MondayPort } from '../../src/monday';
import type { OutboxCommand } from '../../src/sync-commands/outbox-command';
import { expectEventually } from '../support/eventually';
import { insertCommands, outboxRow } from '../integration/outbox-support';
import { dispatcherFor, eventsOfType, leadCreateCommand, startOutboxWorld, type OutboxWorld } from './outbox-support';


/**
 * Fault campaign seed 527 (issue #20): a create answered by resource protection (HTTP 200, the
 * create_item field null, `tooManyRequests`). monday's documents say throttled requests were not
 * executed, but not whether a mutation refused that way ran: its outcome is unknown. The emulator
 * takes the strict side (it runs the mutation, answers the refusal and caches nothing under the key).
 * A person then deleted the item before the retry, whose Id lookup cannot see deleted items.
 */
describe('a monday create answered tooManyRequests (resource protection)', () => {
  let world: OutboxWorld;
  let nextRecord = 1;

  beforeAll(async () => {
    world = await startOutboxWorld();
  });
  afterAll(() => world.close());

  const seedLead = (name: string): { command: OutboxCommand; leadId: string } => {
    const [leadId] = world.sf.control.seed([{ type: 'Lead', fields: { LastName: name, Company: `${name} Co` } }]);
    const command = leadCreateCommand(leadId, name);
    return { command, leadId };
  };

  const itemsNamed = (name: string) => world.mondayEmulator.control.listItems(DEMO_BOARDS.leads.id, true).filter((i) => i.name === name);
  const createRequests = () => world.mondayEmulator.control.requestLog().filter((r) => r.operationType === 'mutation' && r.fields.includes('create_item'));

  it('looks the item up at once: the item monday made anyway is linked before a person could delete it, and no second item is made', async () => {
    const { command, leadId } = seedLead('Refused Made');
    const [id] = await insertCommands(world.db.pool, [{ recordId: nextRecord++, command }]);
    world.mondayEmulator.control.clearRequestLog();
    world.mondayEmulator.control.addFault({ kind: 'too_many_requests', count: 1, operation: 'create_item' });
    const dispatcher = dispatcherFor(world);
    dispatcher.start();
    try {
      // The first attempt ends (settled or waiting for its retry, 5 s after a resource refusal).
      await expectEventually(async () => {
        const row = await outboxRow(world.db.pool, id);
        expect(row.attempts).toBe(1);
        expect(row.status).not.toBe('in_flight');
      });
      // A person deletes the item the refused request made (found by its Salesforce Id column).
      const made = itemsNamed('Refused Made');
      expect(made).toHaveLength(1);
      world.mondayEmulator.control.deleteItem({ itemId: made[0].id });
      await expectEventually(async () => expect(['done', 'dead']).toContain((await outboxRow(world.db.pool, id)).status), { timeoutMs: 15_000 });
    } finally {
      await dispatcher.stop();
    }

    expect(await outboxRow(world.db.pool, id)).toMatchObject({ status: 'done', attempts: 1 });
    const items = itemsNamed('Refused Made');
    expect(items).toHaveLength(1);
    const links = (await eventsOfType(world, 'system.record_linked')).filter((e) => e.payload.salesforceId === leadId);
    expect(links.map((e) => [e.payload.mondayItemId, e.payload.via])).toEqual([[String(items[0].id), 'salesforce_id_column']]);
    expect(createRequests()).toHaveLength(1);
  });

  it('when nothing holds its Id the create did not run: the retry sends it under a new key, so a refusal monday kept for the first key is not replayed', async () => {
    const { command, leadId } = seedLead('Refused Not Made');
    const [id] = await insertCommands(world.db.pool, [{ recordId: nextRecord++, command }]);
    // A monday that refused the create without running it and kept that answer under its key.
    const refusedKeys = new Set<string>();
    const keys: string[] = [];
    const refusing: MondayPort = Object.create(world.monday) as MondayPort;
    refusing.applyMutations = async (boardId, mutations, options) => {
      const key = options?.idempotencyKey;
      if (key && mutations.some((m) => m.kind === 'create_item')) {
        keys.push(key);
        if (refusedKeys.size === 0 || refusedKeys.has(key)) {
          refusedKeys.add(key);
          const refusal = new MondayError('RATE_LIMITED', 'Rate limit already blocked for create_item-errors', { mondayCode: 'tooManyRequests', limit: 'resource', retryAfterMs: 20 });
          return mutations.map(() => ({ ok: false as const, error: refusal }));
        }
      }
      return world.monday.applyMutations(boardId, mutations, options);
    };
    const dispatcher = dispatcherFor(world, {}, { monday: refusing });
    dispatcher.start();
    try {
      await expectEventually(async () => expect(['done', 'dead']).toContain((await outboxRow(world.db.pool, id)).status));
    } finally {
      await dispatcher.stop();
    }

    expect(await outboxRow(world.db.pool, id)).toMatchObject({ status: 'done', attempts: 2 });
    expect(keys).toHaveLength(2);
    expect(keys[1]).not.toBe(keys[0]);
    const items = itemsNamed('Refused Not Made');
    expect(items).toHaveLength(1);
    const links = (await eventsOfType(world, 'system.record_linked')).filter((e) => e.payload.salesforceId === leadId);
    expect(links.map((e) => [e.payload.mondayItemId, e.payload.via])).toEqual([[String(items[0].id), 'created_monday_item']]);
  });
});
