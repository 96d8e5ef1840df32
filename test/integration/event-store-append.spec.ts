import { appendEvent, appendEvents } from '../../src/event-store';
import { columnChangedEvent } from '../support/event-factory';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('event store append (invariant 1)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('appending the same source event twice stores it once and reports the second as a duplicate', async () => {
    const event = columnChangedEvent();
    const first = await appendEvent(db.pool, event);
    const second = await appendEvent(db.pool, event);

    expect(first).toEqual({ appended: true, position: expect.any(Number) });
    expect(second).toEqual({ appended: false, reason: 'duplicate' });
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM events WHERE source_event_id = $1', [event.sourceEventId]);
    expect(rows[0].n).toBe(1);
  });

  it('append-many reports which events were new, including a duplicate inside the same batch', async () => {
    const known = columnChangedEvent();
    await appendEvent(db.pool, known);
    const fresh = columnChangedEvent();
    const results = await appendEvents(db.pool, [known, fresh, fresh, columnChangedEvent()]);

    expect(results.map((r) => r.appended)).toEqual([false, true, false, true]);
    const positions = results.flatMap((r) => (r.appended ? [r.position] : []));
    expect(positions[1]).toBeGreaterThan(positions[0]);
  });

  it('stores the payload whole, the stream, the origin and a transaction id', async () => {
    const event = columnChangedEvent({ itemId: 555, label: 'Qualified' });
    const result = await appendEvent(db.pool, event);
    if (!result.appended) throw new Error('expected a new event');
    const { rows } = await db.pool.query(
      'SELECT stream, type, origin, payload, transaction_id::text AS tx FROM events WHERE position = $1',
      [result.position],
    );
    expect(rows[0]).toMatchObject({ stream: 'monday:item:555', type: 'monday.column_changed', origin: 'user', payload: event.payload });
    expect(BigInt(rows[0].tx)).toBeGreaterThan(0n);
  });

  it('the same source event id from two different sources are two events', async () => {
    const monday = columnChangedEvent({ triggerUuid: 'shared-id' });
    const system = { ...columnChangedEvent({ triggerUuid: 'shared-id' }), source: 'system' } as unknown as typeof monday;
    const results = await appendEvents(db.pool, [monday, system]);
    expect(results.every((r) => r.appended)).toBe(true);
  });
});
