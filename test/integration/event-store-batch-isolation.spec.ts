import { BatchingAppender, type AppendResult, type NewEvent } from '../../src/event-store';
import { columnChangedEvent } from '../support/event-factory';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * Issue 13, defect 5: concurrent webhooks commit in one statement, so one event Postgres refuses
 * failed every event batched with it. Only the event that cannot be stored may fail.
 */
describe('BatchingAppender isolates an event that cannot be stored', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  const withPayload = (extra: Record<string, unknown>): NewEvent => {
    const event = columnChangedEvent();
    return { ...event, payload: { ...event.payload, ...extra } } as NewEvent;
  };
  const stored = async (events: readonly NewEvent[]): Promise<number> =>
    (await db.pool.query('SELECT count(*)::int AS n FROM events WHERE source_event_id = ANY($1)', [events.map((e) => e.sourceEventId)])).rows[0].n;

  it('appends every valid event of the batch and fails only the bad ones, each with its own error', async () => {
    // One flush at a time: the first append flushes alone, the rest queue behind it into one batch.
    const appender = new BatchingAppender(db.pool, { maxConcurrentFlushes: 1 });
    const valid = Array.from({ length: 30 }, () => columnChangedEvent());
    const nul = withPayload({ note: 'a\u0000b' });
    const badTime = { ...columnChangedEvent(), occurredAt: new Date(8.64e15 + 1) };
    const outOfRange = { ...columnChangedEvent(), occurredAt: new Date(Date.UTC(-5000, 0, 1)) };
    const batch = [...valid.slice(0, 10), nul, ...valid.slice(10, 20), badTime, outOfRange, ...valid.slice(20)];

    const settled = await Promise.allSettled(batch.map((event) => appender.append(event)));
    await appender.idle();

    const outcome = (event: NewEvent) => settled[batch.indexOf(event)];
    for (const event of valid) expect(outcome(event)).toEqual({ status: 'fulfilled', value: { appended: true, position: expect.any(Number) } });
    expect(outcome(nul)).toMatchObject({ status: 'rejected', reason: { code: '22P05' } });
    expect(outcome(badTime)).toMatchObject({ status: 'rejected', reason: expect.any(RangeError) });
    expect(outcome(outOfRange)).toMatchObject({ status: 'rejected', reason: { code: expect.stringMatching(/^22/) } });
    expect(await stored(valid)).toBe(valid.length);
    expect(await stored([nul, badTime, outOfRange])).toBe(0);
    const positions = valid.map((event) => ((outcome(event) as PromiseFulfilledResult<AppendResult>).value as { position: number }).position);
    expect(new Set(positions).size).toBe(valid.length);
  });

  it('still reports duplicates as such when a batch is split', async () => {
    const appender = new BatchingAppender(db.pool, { maxConcurrentFlushes: 1 });
    const first = columnChangedEvent();
    const again = { ...first };
    const results = await Promise.allSettled([columnChangedEvent(), first, withPayload({ note: '\u0000' }), again].map((event) => appender.append(event)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.appended : 'failed'))).toEqual([true, true, 'failed', false]);
  });

  it('fails the whole batch at once, without retries, when the database itself is the problem', async () => {
    const broken = await createTestDatabase();
    const appender = new BatchingAppender(broken.pool, { maxConcurrentFlushes: 1 });
    let statements = 0;
    const query = broken.pool.query.bind(broken.pool);
    broken.pool.query = ((...args: Parameters<typeof query>) => {
      statements++;
      return query(...args);
    }) as typeof query;
    await broken.pool.query('DROP TABLE events CASCADE');
    statements = 0;
    const events = Array.from({ length: 8 }, () => columnChangedEvent());
    const settled = await Promise.allSettled(events.map((event) => appender.append(event)));
    expect(settled.every((s) => s.status === 'rejected' && (s.reason as { code?: string }).code === '42P01')).toBe(true);
    // The first event flushed alone, the other seven as one batch: two statements, no bisection.
    expect(statements).toBe(2);
    await broken.drop();
  });
});
