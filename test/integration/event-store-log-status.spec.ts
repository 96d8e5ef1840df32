/**
 * The event store's read functions other modules use instead of querying `events` and
 * `subscriber_checkpoints` themselves (the console's pipeline view, record history, the monday catch-up).
 */
import { appendEvents, checkpointStatus, countEventsAfter, eventsOfStreams, lockCheckpoint, newestEvent, newestOccurredAt, saveCheckpoint } from '../../src/event-store';
import { columnChangedEvent } from '../support/event-factory';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('event store log status', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('is empty on an empty log and reads the newest event, the count behind a position (capped) and a checkpoint once there are some', async () => {
    expect(await newestEvent(db.pool)).toBeNull();
    expect(await checkpointStatus(db.pool, 'log-status-test')).toBeNull();
    expect(await newestOccurredAt(db.pool, 'monday', 'boardId', '42')).toBeNull();

    const appended = await appendEvents(db.pool, [columnChangedEvent({ itemId: 1 }), columnChangedEvent({ itemId: 2 }), columnChangedEvent({ itemId: 1 })]);
    const positions = appended.map((a) => (a.appended ? a.position : -1));
    expect(positions).toHaveLength(3);

    expect(await newestEvent(db.pool)).toEqual({ position: Math.max(...positions), recordedAt: expect.any(Date) });
    expect(await countEventsAfter(db.pool, 0, 100)).toBe(3);
    expect(await countEventsAfter(db.pool, 0, 2)).toBe(2);
    expect(await countEventsAfter(db.pool, positions[0], 100)).toBe(2);
    expect(await newestOccurredAt(db.pool, 'monday', 'boardId', '42')).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(await newestOccurredAt(db.pool, 'monday', 'boardId', '43')).toBeNull();
    expect(await newestOccurredAt(db.pool, 'salesforce', 'boardId', '42')).toBeNull();

    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const checkpoint = await lockCheckpoint(client, 'log-status-test');
      await saveCheckpoint(client, 'log-status-test', { ...checkpoint, position: positions[1] });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(await checkpointStatus(db.pool, 'log-status-test')).toEqual({ position: positions[1], updatedAt: expect.any(Date) });
  });

  it("reads a record's streams, exact or by pattern, oldest first and at most the limit", async () => {
    const one = await eventsOfStreams(db.pool, 'monday:item:1', '', 100);
    expect(one.map((e) => e.stream)).toEqual(['monday:item:1', 'monday:item:1']);
    expect(Number(one[0].position)).toBeLessThan(Number(one[1].position));
    expect((await eventsOfStreams(db.pool, '', 'monday:item:%', 100)).map((e) => e.stream)).toEqual(['monday:item:1', 'monday:item:2', 'monday:item:1']);
    expect(await eventsOfStreams(db.pool, 'monday:item:1', '', 1)).toHaveLength(1);
    expect(await eventsOfStreams(db.pool, '', '', 100)).toEqual([]);
  });
});
