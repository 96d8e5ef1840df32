import { Client } from 'pg';
import { appendEvent, EventNotifications, readBatch, readCheckpoint, START } from '../../src/event-store';
import { expectEventually } from '../support/eventually';
import { columnChangedEvent } from '../support/event-factory';
import { recordingRunner } from '../support/subscriptions';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

// These tests depend on the xmin horizon, which any open transaction on the server moves: they run
// serially inside this file (style lesson 7).
describe('event store subscriptions', () => {
  let db: TestDatabase;
  let notifications: EventNotifications;

  beforeEach(async () => {
    db = await createTestDatabase();
    notifications = new EventNotifications(db.url);
    await notifications.start();
  });
  afterEach(async () => {
    await notifications.stop();
    await db.drop();
  });

  it('20 concurrent appenders and one transaction held open for 2 s: every event is seen exactly once, in causal order (invariant 3)', async () => {
    const { runner, seen } = recordingRunner(db.pool, db.url, notifications, 'skip-guard', { batchSize: 50 });
    runner.start();

    // The slow transaction takes a low position first and commits last.
    const slow = new Client({ connectionString: db.url });
    await slow.connect();
    await slow.query('BEGIN');
    const slowEvent = columnChangedEvent({ itemId: 1 });
    const slowResult = await appendEvent(slow, slowEvent);
    const committedSlow = (async () => {
      await new Promise((r) => setTimeout(r, 2_000)); // the scenario itself: a transaction that stays open
      await slow.query('COMMIT');
      await slow.end();
    })();

    const perAppender = 25;
    const sequences = await Promise.all(
      Array.from({ length: 20 }, async (_, appender) => {
        const ids: string[] = [];
        for (let i = 0; i < perAppender; i++) {
          const event = columnChangedEvent({ itemId: 100 + appender });
          await appendEvent(db.pool, event);
          ids.push(event.sourceEventId);
        }
        return ids;
      }),
    );
    await committedSlow;

    const expectedCount = 20 * perAppender + 1;
    await expectEventually(() => expect(seen).toHaveLength(expectedCount), { timeoutMs: 15_000 });
    await runner.stop();

    const ids = seen.map((e) => e.sourceEventId);
    expect(new Set(ids).size).toBe(expectedCount);
    expect(ids).toContain(slowEvent.sourceEventId);
    expect(slowResult.appended && slowResult.position).toBeLessThan(Math.max(...seen.map((e) => e.position)));
    // Each appender awaited its previous append: its events must arrive in that order.
    for (const sequence of sequences) {
      const order = sequence.map((id) => ids.indexOf(id));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('a transaction whose id came before its position is read before a later transaction\'s lower position, and the checkpoint orders it as read', async () => {
    // The earlier transaction takes its id first (as the dispatcher's and the ingest's do: a row
    // written before the append) and its position last; the later one appends and commits between.
    const earlier = new Client({ connectionString: db.url });
    await earlier.connect();
    await earlier.query('BEGIN');
    await earlier.query('SELECT pg_current_xact_id()');
    const lateEvent = columnChangedEvent({ itemId: 2 });
    const late = await appendEvent(db.pool, lateEvent);
    const hidden = await readBatch(db.pool, START, 100);
    const earlyEvent = columnChangedEvent({ itemId: 1 });
    const early = await appendEvent(earlier, earlyEvent);
    await earlier.query('COMMIT');
    await earlier.end();
    if (!late.appended || !early.appended) throw new Error('both appends must store their event');
    expect(early.position).toBeGreaterThan(late.position);
    // While the earlier transaction was open, the later one's committed event was not readable.
    expect(hidden.map((e) => e.sourceEventId)).not.toContain(lateEvent.sourceEventId);

    const { runner, seen } = recordingRunner(db.pool, db.url, notifications, 'id-before-position');
    await runner.drain();
    await runner.stop();
    const ids = seen.map((e) => e.sourceEventId);
    expect(ids.indexOf(earlyEvent.sourceEventId)).toBeLessThan(ids.indexOf(lateEvent.sourceEventId));
    // A checkpoint at the later event (what a claim's stateAsOf records) is past the earlier event
    // although its position is lower: (transaction id, position) is the order events were handled in.
    const lateRead = seen.find((e) => e.sourceEventId === lateEvent.sourceEventId);
    const { rows } = await db.pool.query<{ before: boolean }>(
      'SELECT (transaction_id, position) <= ($1::xid8, $2::bigint) AS before FROM events WHERE position = $3',
      [lateRead?.transactionId, late.position, early.position],
    );
    expect(rows[0]?.before).toBe(true);
  });

  it('a notification wakes the subscriber without waiting for the slow poll', async () => {
    const { runner, seen } = recordingRunner(db.pool, db.url, notifications, 'wake', { pollIntervalMs: 60_000 });
    runner.start();
    await expectEventually(() => expect(runner.status().leader).toBe(true));
    await new Promise((r) => setTimeout(r, 50)); // let the runner reach its long idle wait
    await appendEvent(db.pool, columnChangedEvent());
    await expectEventually(() => expect(seen).toHaveLength(1), { timeoutMs: 5_000 });
    await runner.stop();
  });

  it('a dropped LISTEN connection does not stall progress', async () => {
    const { runner, seen } = recordingRunner(db.pool, db.url, notifications, 'dropped-listen', { pollIntervalMs: 300 });
    runner.start();
    await db.pool.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
      notifications.applicationName,
    ]);
    for (let i = 0; i < 5; i++) await appendEvent(db.pool, columnChangedEvent());
    await expectEventually(() => expect(seen).toHaveLength(5));
    await runner.stop();
  });

  it('a restarted subscriber resumes from its checkpoint with no repeats', async () => {
    const first = recordingRunner(db.pool, db.url, notifications, 'resume');
    first.runner.start();
    for (let i = 0; i < 10; i++) await appendEvent(db.pool, columnChangedEvent());
    await expectEventually(() => expect(first.seen).toHaveLength(10));
    await first.runner.stop();

    for (let i = 0; i < 7; i++) await appendEvent(db.pool, columnChangedEvent());
    const second = recordingRunner(db.pool, db.url, notifications, 'resume');
    second.runner.start();
    await expectEventually(() => expect(second.seen).toHaveLength(7));
    await second.runner.stop();

    const firstIds = new Set(first.seen.map((e) => e.sourceEventId));
    expect(second.seen.some((e) => firstIds.has(e.sourceEventId))).toBe(false);
    const checkpoint = await readCheckpoint(db.pool, 'resume');
    expect(checkpoint?.position).toBe(second.seen[second.seen.length - 1].position);
  });

  it('two runners of one named subscriber: only one runs, and killing it hands over', async () => {
    const a = recordingRunner(db.pool, db.url, notifications, 'leader');
    const b = recordingRunner(db.pool, db.url, notifications, 'leader');
    a.runner.start();
    await expectEventually(() => expect(a.runner.status().leader).toBe(true));
    b.runner.start();
    for (let i = 0; i < 5; i++) await appendEvent(db.pool, columnChangedEvent());
    await expectEventually(() => expect(a.seen).toHaveLength(5));
    expect(b.runner.status().leader).toBe(false);
    expect(b.seen).toHaveLength(0);

    // The leader's instance "dies": its lock connection is gone, and Postgres frees the lock.
    const pid = await a.lock.backendPid();
    await a.runner.stop().catch(() => undefined);
    await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    await expectEventually(() => expect(b.runner.status().leader).toBe(true), { timeoutMs: 5_000 });
    for (let i = 0; i < 3; i++) await appendEvent(db.pool, columnChangedEvent());
    await expectEventually(() => expect(b.seen).toHaveLength(3));
    await b.runner.stop();
  });
});
