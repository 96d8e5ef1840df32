import 'reflect-metadata';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { PoolClient } from 'pg';
import { AdminModule } from '../../src/admin';
import { buildSyncContext } from '../../src/sync-projector/build-sync-context';
import { appendEvents, LeaderLock, readCheckpoint, SubscriptionRunner, SystemicFailureError, type NewEvent, type ParkedEvent, type RecordedEvent } from '../../src/event-store';
import { loadMapping } from '../../src/mapping';
import { replayProjection } from '../../src/migration/replay';
import { decide } from '../../src/sync-projector/decide';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { metricsRegistry } from '../../src/observability/metrics-registry';
import { ParkedEventsMonitor } from '../../src/sync-projector/parked-events-monitor';
import pino from 'pino';
import { saveCachedContext } from '../../src/sync-projector/sync-context-cache';
import { SyncProjector, type DecideFunction } from '../../src/sync-projector/sync-projector';
import { EXAMPLE_MAPPING, sandboxSchemas } from '../support/sandbox-schemas';
import { mondayColumnChanged, recordLinked, salesforceChanged } from '../support/sync-events';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const OPPS = '9378000526';
const TOKEN = 'parked-events-admin-token';
const status = (text: string) => ({ label: { index: 0, text }, post_id: null });
const asNew = ({ position: _p, transactionId: _t, recordedAt: _r, ...event }: RecordedEvent): NewEvent => event as NewEvent;

/** The test seam: `decide`, except that it throws for the positions in `broken` (a decider bug). */
function faultyDecide(broken: Set<number>): DecideFunction {
  return (record, event, context) => {
    if (broken.has(event.position)) throw new TypeError(`Cannot read properties of undefined (reading 'name') [event ${event.position}]`);
    return decide(record, event, context);
  };
}

describe('poison events are parked, never stop the pipeline (issue 13)', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const mapping = loadMapping(EXAMPLE_MAPPING);
  const cached = { live: sandboxSchemas(), salesforceUsers: [], mondayUsers: [] };
  const auth = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    db = await createTestDatabase();
    await saveCachedContext(db.pool, cached);
    const moduleRef = await Test.createTestingModule({ imports: [AdminModule.forRoot({ db: db.pool, adminToken: TOKEN, parkedRetryWaitMs: 20_000 })] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  function projectorRunner(broken: Set<number>, parked: ParkedEvent[] = []): SubscriptionRunner {
    const links = new LinkIndex();
    const context = buildSyncContext(mapping, cached, links);
    return new SubscriptionRunner(
      db.pool,
      null,
      new SyncProjector(() => context, links, { emitCommands: true, decide: faultyDecide(broken) }),
      new LeaderLock(db.url, 'projector:sync'),
      { pollIntervalMs: 50, onParked: (p) => parked.push(p) },
    );
  }

  const snapshot = async () =>
    (await db.pool.query('SELECT object_key, salesforce_id, monday_item_id, deleted_side, creating, fields, waiting FROM sync_records ORDER BY object_key, salesforce_id, monday_item_id')).rows;
  const commands = async () => (await db.pool.query<{ kind: string; payload: { fields?: Record<string, unknown> }; caused_by: string }>('SELECT kind, payload, caused_by FROM outbox ORDER BY id')).rows;

  it('parks the event whose decision throws, decides the ones after it (same record too), moves the checkpoint past it, and a retry after the fix applies its decision', async () => {
    const appended = await appendEvents(
      db.pool,
      [
        recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: '006000000000601AAA', boardId: OPPS, itemId: '601', values: { stage: 'Follow-up' } }),
        mondayColumnChanged({ boardId: OPPS, itemId: '601', columnId: 'stage', columnType: 'color', value: status('Quote'), at: 2_000 }),
        mondayColumnChanged({ boardId: OPPS, itemId: '601', columnId: 'next_step', columnType: 'text', value: { value: 'Call back' }, at: 3_000 }),
        mondayColumnChanged({ boardId: OPPS, itemId: '601', columnId: 'stage', columnType: 'color', value: status('MOU'), at: 4_000 }),
        salesforceChanged({ object: 'Opportunity', id: '006000000000602AAA', changeType: 'CREATE', fields: { Name: 'Fresh', StageName: 'Quote' }, at: 5_000 }),
      ].map(asNew),
    );
    const positions = appended.map((a) => (a.appended ? a.position : -1));
    const poison = positions[2];
    const broken = new Set([poison]);
    const alerted: ParkedEvent[] = [];

    const live = projectorRunner(broken, alerted);
    expect(await live.drain()).toBe(positions.length);
    await live.stop();

    // Parked with its error and record, alerted once; everything else decided, in one batch or not.
    const { rows: parkedRows } = await db.pool.query('SELECT position, event_type, record_keys, error_message, error_stack, resolved_at FROM parked_events');
    expect(parkedRows).toEqual([
      expect.objectContaining({ position: String(poison), event_type: 'monday.column_changed', record_keys: ['item:601'], resolved_at: null }),
    ]);
    expect(parkedRows[0].error_message).toMatch(/^TypeError: Cannot read properties of undefined/);
    expect(parkedRows[0].error_stack).toMatch(/faultyDecide|parked-events\.spec/);
    expect(alerted.map((p) => p.position)).toEqual([poison]);
    expect((await readCheckpoint(db.pool, 'sync'))?.position).toBe(positions[4]);
    const { rows: decided } = await db.pool.query<{ position: string }>('SELECT DISTINCT position FROM sync_decisions ORDER BY position');
    expect(decided.map((d) => Number(d.position))).toEqual(positions.filter((p) => p !== poison));
    // The later change of the same record went out; the parked one did not.
    expect((await commands()).map((c) => [c.kind, c.payload.fields ?? null])).toEqual([
      ['salesforce.update', { StageName: 'Quote' }],
      ['salesforce.update', { StageName: 'MOU' }],
      ['monday.create_item', null],
    ]);

    // /health shows it as a warning, not a failure; Prometheus counts it.
    const monitor = new ParkedEventsMonitor(db.pool, pino({ level: 'silent' }), null);
    expect(await monitor.check()).toEqual({ ok: true, detail: expect.objectContaining({ parked: 1, warning: expect.stringMatching(/GET \/admin\/parked-events/) }) });
    expect(await metricsRegistry.getSingleMetricAsString('crm_sync_parked_events')).toMatch(/crm_sync_parked_events\{subscriber="sync"\} 1/);

    // The admin API lists it.
    const listed = await app.inject({ method: 'GET', url: '/admin/parked-events', headers: auth });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().parkedEvents).toEqual([
      expect.objectContaining({ position: poison, eventType: 'monday.column_changed', recordKeys: ['item:601'], error: expect.objectContaining({ message: expect.stringMatching(/TypeError/) }), resolvedAt: null }),
    ]);
    expect((await app.inject({ method: 'GET', url: '/admin/parked-events' })).statusCode).toBe(401);

    // Replay skips it as live processing did (otherwise the next step would be on its record), and
    // does not die on an event that throws now: it parks that one too.
    await db.pool.query("UPDATE outbox SET status = 'done'");
    const liveState = await snapshot();
    const replayBroken = new Set([poison, positions[4]]);
    const replayed = await replayProjection(db.pool, db.url, mapping, undefined, { decide: faultyDecide(replayBroken) });
    expect(replayed).toMatchObject({ handled: positions.length, parked: 2 });
    const afterReplay = await snapshot();
    expect(afterReplay.filter((r) => r.salesforce_id !== '006000000000602AAA')).toEqual(liveState.filter((r) => r.salesforce_id !== '006000000000602AAA'));
    expect(afterReplay.some((r) => r.salesforce_id === '006000000000602AAA')).toBe(false);
    const { rows: parkedAfterReplay } = await db.pool.query<{ position: string }>('SELECT position FROM parked_events WHERE resolved_at IS NULL ORDER BY position');
    expect(parkedAfterReplay.map((r) => Number(r.position))).toEqual([poison, positions[4]]);

    // A retry before the fix reports the new error and leaves it parked.
    const running = projectorRunner(broken);
    running.start();
    try {
      const failed = await app.inject({ method: 'POST', url: `/admin/parked-events/${poison}/retry`, headers: auth });
      expect(failed.statusCode).toBe(200);
      expect(failed.json()).toMatchObject({ position: poison, outcome: 'failed', error: { message: expect.stringMatching(/TypeError/) } });
      expect((await db.pool.query('SELECT retries, resolved_at FROM parked_events WHERE position = $1', [poison])).rows[0]).toEqual({ retries: 1, resolved_at: null });

      // The fix is deployed: the seam stops throwing. The retry decides it for its record and resolves it.
      broken.clear();
      const resolved = await app.inject({ method: 'POST', url: `/admin/parked-events/${poison}/retry`, headers: auth });
      expect(resolved.statusCode).toBe(200);
      expect(resolved.json()).toEqual({ position: poison, outcome: 'resolved' });
      const sent = (await commands()).filter((c) => Number(c.caused_by) === poison);
      expect(sent.map((c) => [c.kind, c.payload.fields])).toEqual([['salesforce.update', { NextStep: 'Call back' }]]);
      const { rows: record } = await db.pool.query("SELECT fields -> 'next_step' ->> 'agreed' AS next_step, fields -> 'stage' ->> 'agreed' AS stage FROM sync_records WHERE monday_item_id = '601'");
      // Decided after the later stage change: that change stays (field values carry their source times).
      expect(record).toEqual([{ next_step: 'Call back', stage: 'MOU' }]);
      expect((await db.pool.query('SELECT outcome FROM sync_decisions WHERE position = $1', [poison])).rows).toEqual([{ outcome: 'projected' }]);

      const again = await app.inject({ method: 'POST', url: `/admin/parked-events/${poison}/retry`, headers: auth });
      expect(again.statusCode).toBe(409);
      expect((await app.inject({ method: 'POST', url: '/admin/parked-events/999999/retry', headers: auth })).statusCode).toBe(404);
      const open = await app.inject({ method: 'GET', url: '/admin/parked-events', headers: auth });
      expect(open.json().parkedEvents.map((p: ParkedEvent) => p.position)).toEqual([positions[4]]);
      const all = await app.inject({ method: 'GET', url: '/admin/parked-events?resolved=true', headers: auth });
      expect(all.json().parkedEvents.map((p: ParkedEvent) => [p.position, p.resolvedAt !== null])).toEqual([
        [poison, true],
        [positions[4], false],
      ]);
    } finally {
      await running.stop();
    }
  });
});

describe('subscription runner: what is parked and what is retried', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query('CREATE TABLE handled (position bigint PRIMARY KEY)');
  });
  afterAll(async () => db.drop());

  async function appendOne(): Promise<number> {
    const [result] = await appendEvents(db.pool, [asNew(salesforceChanged({ object: 'Opportunity', id: '006000000000901AAA', fields: { Amount: 1 }, at: 1_000 }))]);
    if (!result.appended) throw new Error('not appended');
    return result.position;
  }

  /** A subscriber writing each position; `fail` decides what a position throws. */
  function runner(name: string, fail: (position: number) => Error | null, options: { maxConsecutiveParked?: number } = {}) {
    return new SubscriptionRunner(
      db.pool,
      null,
      {
        name,
        handle: async (events: RecordedEvent[], tx: PoolClient) => {
          for (const event of events) {
            const error = fail(event.position);
            if (error) throw error;
            await tx.query('INSERT INTO handled (position) VALUES ($1) ON CONFLICT DO NOTHING', [event.position]);
          }
        },
      },
      new LeaderLock(db.url, name),
      options,
    );
  }

  it('a batch that fails in the database because of one event keeps the others and parks that one', async () => {
    const positions = [await appendOne(), await appendOne(), await appendOne()];
    await db.pool.query('INSERT INTO handled (position) VALUES ($1)', [positions[1]]);
    // The second event's insert breaks a unique index (the shape of defect 1), not a thrown JS error.
    const subject = new SubscriptionRunner(
      db.pool,
      null,
      { name: 'unique', handle: async (events, tx) => void (await tx.query('INSERT INTO handled (position) SELECT unnest($1::bigint[])', [events.map((e) => e.position)])) },
      new LeaderLock(db.url, 'unique'),
    );
    expect(await subject.drain()).toBe(3);
    await subject.stop();
    const { rows } = await db.pool.query("SELECT position, error_message FROM parked_events WHERE subscriber = 'unique'");
    expect(rows).toEqual([{ position: String(positions[1]), error_message: expect.stringMatching(/duplicate key/) }]);
    expect((await readCheckpoint(db.pool, 'unique'))?.position).toBe(positions[2]);
  });

  it('never parks an event because the database failed: the batch is retried', async () => {
    await appendOne();
    let failures = 1;
    const subject = runner('transient', () => (failures-- > 0 ? Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }) : null));
    await expect(subject.drain()).rejects.toMatchObject({ code: '57P01' });
    expect(await subject.drain()).toBeGreaterThan(0);
    await subject.stop();
    expect((await db.pool.query("SELECT count(*)::int AS n FROM parked_events WHERE subscriber = 'transient'")).rows[0].n).toBe(0);
  });

  it('stops parking when every event fails (a systemic fault) and says so', async () => {
    await appendOne();
    const subject = runner('systemic', () => new Error('relation "gone" does not exist'), { maxConsecutiveParked: 2 });
    await expect(subject.drain()).rejects.toBeInstanceOf(SystemicFailureError);
    await subject.stop();
    expect((await db.pool.query("SELECT count(*)::int AS n FROM parked_events WHERE subscriber = 'systemic'")).rows[0].n).toBe(2);
  });
});
