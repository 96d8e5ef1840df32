import { expectEventually } from '../support/eventually';
import { insertCommands, outboxRow, updateCommand } from '../integration/outbox-support';
import { dispatcherFor, startOutboxWorld, type OutboxWorld } from './outbox-support';

/**
 * Several instances share the outbox (interface.md section 5). A lease short enough for a dead
 * instance's commands to be taken over soon must not run out under a live dispatcher still sending:
 * it renews its claim while it works.
 */
describe('outbox lease renewal: a slow command is sent once even with a short lease and a second dispatcher', () => {
  let world: OutboxWorld;

  beforeAll(async () => {
    world = await startOutboxWorld();
  });
  afterAll(() => world.close());

  const leadWrites = (leadId: string) =>
    world.sf.control.requests().filter((r) => r.method !== 'GET' && (r.path.includes(leadId) || r.path.includes('/composite/sobjects')));

  it('a command whose request outlasts the lease many times over is not taken over by the other dispatcher', async () => {
    const [leadId] = world.sf.control.seed([{ type: 'Lead', fields: { LastName: 'Slow', Company: 'Slow Co' } }]);
    world.sf.control.clearRequests();
    // The request takes four leases; without renewal the second dispatcher would claim it after one.
    world.sf.control.injectFault({ kind: 'latency', latencyMs: 4_000, method: 'PATCH' });
    const [id] = await insertCommands(world.db.pool, [{ recordId: 1, command: updateCommand(leadId, { Title: 'Once' }) }]);

    const first = dispatcherFor(world, { leaseMs: 1_000 });
    const second = dispatcherFor(world, { leaseMs: 1_000 });
    first.start();
    try {
      await expectEventually(async () => expect((await outboxRow(world.db.pool, id)).status).toBe('in_flight'));
      second.start();
      await expectEventually(async () => expect((await outboxRow(world.db.pool, id)).status).toBe('done'), { timeoutMs: 20_000 });
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }

    expect(leadWrites(leadId)).toHaveLength(1);
    expect(world.sf.control.getRecord(leadId)?.Title).toBe('Once');
    const { rows } = await world.db.pool.query<{ dispatches: number }>('SELECT dispatches FROM outbox WHERE id = $1', [id]);
    expect(rows[0].dispatches).toBe(1);
  });

  it('the commands of a dispatcher that stopped renewing (a dead instance) are taken over once its lease ends', async () => {
    const [leadId] = world.sf.control.seed([{ type: 'Lead', fields: { LastName: 'Orphan', Company: 'Orphan Co' } }]);
    const [id] = await insertCommands(world.db.pool, [{ recordId: 2, command: updateCommand(leadId, { Title: 'Taken over' }) }]);
    // A claim as a killed instance leaves it: in flight, never renewed, never settled.
    await world.db.pool.query("UPDATE outbox SET status = 'in_flight', claim_token = gen_random_uuid(), locked_until = now() + interval '500 milliseconds', attempts = 1, dispatches = 1 WHERE id = $1", [id]);

    const survivor = dispatcherFor(world, { leaseMs: 1_000 });
    survivor.start();
    try {
      await expectEventually(async () => expect((await outboxRow(world.db.pool, id)).status).toBe('done'), { timeoutMs: 20_000 });
    } finally {
      await survivor.stop();
    }
    expect(world.sf.control.getRecord(leadId)?.Title).toBe('Taken over');
  });
});
