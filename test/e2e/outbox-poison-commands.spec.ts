import type { DeadLetterAlert } from '../../src/alerts';
import type { OutboxCommand } from '../../src/sync-commands/outbox-command';
import { insertCommands, outboxRow, updateCommand } from '../integration/outbox-support';
import { dispatcherFor, eventsOfType, startOutboxWorld, type OutboxWorld } from './outbox-support';

describe('outbox: a command crm-sync itself fails on becomes one dead letter, never a loop (issue 13)', () => {
  let world: OutboxWorld;
  beforeAll(async () => {
    world = await startOutboxWorld();
  });
  afterAll(() => world.close());

  it('a handler throwing a non-CRM error (TypeError) dead-letters that command at once with the error; its batch neighbour is sent', async () => {
    const [goodId, badId] = world.sf.control.seed([
      { type: 'Lead', fields: { LastName: 'Good', Company: 'Good Co' } },
      { type: 'Lead', fields: { LastName: 'Bad', Company: 'Bad Co' } },
    ]);
    // A row the update handler cannot read (no fields): the same TypeError on every attempt.
    const poison = { ...updateCommand(badId, {}), fields: null } as unknown as OutboxCommand;
    const [good, bad] = await insertCommands(world.db.pool, [
      { recordId: 1, command: updateCommand(goodId, { Title: 'Director' }) },
      { recordId: 2, command: poison },
    ]);
    const alerts: DeadLetterAlert[] = [];
    const dispatcher = dispatcherFor(world, {}, { alerts: { deadLettered: (alert) => alerts.push(alert) } });

    expect(await dispatcher.dispatchOnce()).toBe(2);
    expect(await dispatcher.dispatchOnce()).toBe(0);
    expect(await dispatcher.dispatchOnce()).toBe(0);

    expect((await outboxRow(world.db.pool, good)).status).toBe('done');
    expect(world.sf.control.getRecord(goodId)?.Title).toBe('Director');
    const dead = await outboxRow(world.db.pool, bad);
    expect(dead).toMatchObject({ status: 'dead', attempts: 1 });
    expect(dead.last_error).toMatchObject({ code: 'INTERNAL_ERROR', target: 'dispatcher', message: expect.stringMatching(/^TypeError: /), hint: expect.stringMatching(/a bug/) });
    expect(String(dead.last_error?.stack)).toMatch(/salesforce-update\.handler/);
    expect(alerts.map((a) => [a.commandId, a.error.code])).toEqual([[bad, 'INTERNAL_ERROR']]);
    const failedEvents = (await eventsOfType(world, 'system.command_failed')).filter((e) => e.payload.commandId === bad);
    expect(failedEvents).toHaveLength(1);
    expect(failedEvents[0].payload).toMatchObject({ deadLettered: true, error: { code: 'INTERNAL_ERROR' } });
  });

  it('a claim larger than one recording transaction (1,000 outcomes) records every page, and a poison command in a later page is its own dead letter', async () => {
    const ids = world.sf.control.seed(Array.from({ length: 1_002 }, (_, i) => ({ type: 'Lead', fields: { LastName: `Paged ${i}`, Company: 'Paged Co' } })));
    const commands = ids.map((id, i) => ({ recordId: 10_000 + i, command: updateCommand(id, { Title: `Title ${i}` }) }));
    const last = commands.length - 1;
    commands[last] = { recordId: 10_000 + last, command: { ...updateCommand(ids[last], {}), fields: null } as unknown as OutboxCommand };
    const outboxIds = await insertCommands(world.db.pool, commands);
    const dispatcher = dispatcherFor(world, { batchSize: 2_000 });

    expect(await dispatcher.dispatchOnce()).toBe(1_002);

    const { rows } = await world.db.pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM outbox WHERE id = ANY($1::bigint[]) GROUP BY status ORDER BY status', [outboxIds]);
    expect(rows).toEqual([
      { status: 'dead', n: 1 },
      { status: 'done', n: 1_001 },
    ]);
    expect((await outboxRow(world.db.pool, outboxIds[last])).last_error).toMatchObject({ code: 'INTERNAL_ERROR' });
    expect(world.sf.control.getRecord(ids[1_000])?.Title).toBe('Title 1000');
    const succeeded = new Set((await eventsOfType(world, 'system.command_succeeded')).map((e) => Number(e.payload.commandId)));
    expect(outboxIds.slice(0, last).filter((id) => !succeeded.has(id))).toEqual([]);
    const failed = (await eventsOfType(world, 'system.command_failed')).filter((e) => Number(e.payload.commandId) === outboxIds[last]);
    expect(failed).toHaveLength(1);
  });
});
