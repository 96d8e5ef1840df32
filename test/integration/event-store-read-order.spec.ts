import { readBatch, readBatchFast, START, type Checkpoint, type RecordedEvent } from '../../src/event-store';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * Read order is (transaction id, position) as numbers. Transaction ids are set by hand here: a
 * server's ids gain a digit (9 -> 10, 99,999 -> 100,000) only every so often, and read as text
 * '100000' sorts before '99999', so a page boundary there skipped or repeated events.
 */
describe('event store read order', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('reads events in numeric transaction id order across a transaction id that gains a digit, page by page, each once', async () => {
    await db.pool.query(
      `INSERT INTO events (transaction_id, source, source_event_id, stream, type, origin, payload, occurred_at)
       SELECT t::text::xid8, 'monday', 'e' || t, 'monday:item:1', 'monday.unknown', 'user', '{}', now()
       FROM unnest(ARRAY[8, 9, 10, 11]) AS t`,
    );
    const seen: string[] = [];
    let after = START;
    for (;;) {
      const page = await readBatch(db.pool, after, 1);
      if (page.length === 0) break;
      seen.push(page[0].transactionId);
      after = { transactionId: page[0].transactionId, position: page[0].position };
    }
    expect(seen).toEqual(['8', '9', '10', '11']);
  });

  it('readBatchFast reads the same events with the same timestamps as readBatch, sub-millisecond digits included', async () => {
    await db.pool.query(
      `INSERT INTO events (transaction_id, source, source_event_id, stream, type, origin, payload, occurred_at)
       SELECT (20 + i)::text::xid8, 'monday', 'fast' || i, 'monday:item:2', 'monday.unknown', 'user', '{"a":1}', t::timestamptz
       FROM unnest(ARRAY['2026-03-01 10:00:00.123+00', '2026-03-01 10:00:00.999999+00', '2026-03-01 10:00:00.0005+02', '1999-12-31 23:59:59.057+00', '2026-03-01 10:00:00+00']) WITH ORDINALITY AS x(t, i)`,
    );
    const slow = await readBatch(db.pool, START, 100);
    const fast = await readBatchFast(db.pool, START, 100);
    expect(fast.length).toBe(slow.length);
    expect(fast.map((e) => [e.occurredAt.getTime(), e.recordedAt.getTime()])).toEqual(slow.map((e) => [e.occurredAt.getTime(), e.recordedAt.getTime()]));
    expect(fast).toEqual(slow);
  });

  it('readBatchFast pages through the log in the same order as readBatch, payloads intact (escapes, unicode, numbers), and ends with an empty page', async () => {
    await db.pool.query(
      `INSERT INTO events (transaction_id, source, source_event_id, stream, type, origin, payload, occurred_at)
       SELECT (97 + i)::text::xid8, 'salesforce', 'json' || i, 'salesforce:Lead:1', 'monday.unknown', 'user', p::jsonb, now()
       FROM unnest(ARRAY['{"name":"Zoë \\"Q\\"\\nline\\t\\\\","n":1.50,"big":12345678901234,"nested":{"x":[1,null,true]}}', '{"emoji":"\\ud83d\\ude00","empty":""}', '{}', '[]']) WITH ORDINALITY AS x(p, i)`,
    );
    const read = async (reader: (after: Checkpoint) => Promise<RecordedEvent[]>) => {
      const all = [];
      let after = START;
      for (;;) {
        const page = await reader(after);
        if (page.length === 0) return all;
        all.push(...page);
        after = { transactionId: page[page.length - 1].transactionId, position: page[page.length - 1].position };
      }
    };
    const slow = await read((after) => readBatch(db.pool, after, 2));
    const fast = await read((after) => readBatchFast(db.pool, after, 2));
    expect(fast.map((e) => e.transactionId)).toContain('100');
    expect(fast).toEqual(slow);
    expect(fast.find((e) => e.sourceEventId === 'json1')?.payload).toEqual({ name: 'Zoë "Q"\nline\t\\', n: 1.5, big: 12345678901234, nested: { x: [1, null, true] } });
  });

  it('readBatchFast reads text columns as written: quotes, backslashes, control characters and unicode (each event is read as one JSON array built by Postgres)', async () => {
    await db.pool.query(
      `INSERT INTO events (transaction_id, source, source_event_id, stream, type, origin, payload, occurred_at)
       SELECT (200 + i)::text::xid8, 'monday', s, 'monday:item:"' || s, 'monday.unknown', 'user', '{}', now()
       FROM unnest(ARRAY[E'quote " back \\\\ slash', E'tab\tnew\nline\rcr\u0001', 'Zoë ✓ 😀', '']) WITH ORDINALITY AS x(s, i)`,
    );
    const slow = await readBatch(db.pool, START, 100);
    const fast = await readBatchFast(db.pool, START, 100);
    expect(fast).toEqual(slow);
    expect(fast.map((e) => e.sourceEventId)).toEqual(expect.arrayContaining(['quote " back \\ slash', 'tab\tnew\nline\rcr\u0001', 'Zoë ✓ 😀', '']));
  });
});
