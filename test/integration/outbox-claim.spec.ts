import { randomUUID } from 'node:crypto';
import { claimCommands, saveProgress, type ClaimedCommand } from '../../src/outbox/claim';
import { recordOutcomes, type Settlement } from '../../src/outbox/record-outcomes';
import { expectEventually } from '../support/eventually';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { insertCommands, outboxRow, updateCommand } from './outbox-support';

describe('outbox claim: per-record order, SKIP LOCKED, leases', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(() => db.pool.query('TRUNCATE outbox'));

  const claim = (token: string, limit = 100, leaseMs = 60_000) => claimCommands(db.pool, { limit, leaseMs, claimToken: token });
  const done = (claimed: ClaimedCommand): Settlement => ({ claimed, status: 'done', error: null, events: [] });

  it('claims only the head of each record queue and nothing behind an in-flight head', async () => {
    const [a1, a2, b1] = await insertCommands(db.pool, [
      { recordId: 1, command: updateCommand('00Q000000000001AAA', { Status: 'a1' }) },
      { recordId: 1, command: updateCommand('00Q000000000001AAA', { Status: 'a2' }) },
      { recordId: 2, command: updateCommand('00Q000000000002AAA', { Status: 'b1' }) },
    ]);
    const token = randomUUID();
    const first = await claim(token);
    expect(first.map((c) => c.id)).toEqual([a1, b1]);
    expect(first.every((c) => c.attempts === 1)).toBe(true);
    expect(await claim(randomUUID())).toEqual([]);

    await recordOutcomes(db.pool, token, [done(first[0])]);
    const second = await claim(randomUUID());
    expect(second.map((c) => c.id)).toEqual([a2]);
  });

  it('holds later commands of a record while its head waits for a retry, but not behind a dead letter', async () => {
    const [a1, a2, b1, b2] = await insertCommands(db.pool, [
      { recordId: 1, command: updateCommand('00Q000000000001AAA', { Status: 'a1' }) },
      { recordId: 1, command: updateCommand('00Q000000000001AAA', { Status: 'a2' }) },
      { recordId: 2, command: updateCommand('00Q000000000002AAA', { Status: 'b1' }) },
      { recordId: 2, command: updateCommand('00Q000000000002AAA', { Status: 'b2' }) },
    ]);
    const token = randomUUID();
    const claimed = await claim(token);
    const error = { code: 'TRANSIENT', message: 'x' };
    await recordOutcomes(db.pool, token, [
      { claimed: claimed[0], status: 'pending', delay: { minMs: 60_000, maxMs: 60_000 }, error, events: [] },
      { claimed: claimed[1], status: 'dead', error, events: [] },
    ]);
    const row = await outboxRow(db.pool, a1);
    expect(row.status).toBe('pending');
    expect(row.available_at.getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect((await outboxRow(db.pool, b1)).status).toBe('dead');

    const next = await claim(randomUUID());
    expect(next.map((c) => c.id)).toEqual([b2]);
    expect(next.map((c) => c.id)).not.toContain(a2);
  });

  it('skips rows another transaction holds locked instead of waiting for them', async () => {
    const [a1, b1] = await insertCommands(db.pool, [
      { recordId: 1, command: updateCommand('00Q000000000001AAA', { Status: 'a1' }) },
      { recordId: 2, command: updateCommand('00Q000000000002AAA', { Status: 'b1' }) },
    ]);
    const holder = await db.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM outbox WHERE id = $1 FOR UPDATE', [a1]);
      const claimed = await claim(randomUUID());
      expect(claimed.map((c) => c.id)).toEqual([b1]);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
  });

  it('lets another dispatcher take over a command whose lease expired, and ignores the old owner afterwards', async () => {
    const [a1] = await insertCommands(db.pool, [{ recordId: 1, command: updateCommand('00Q000000000001AAA', { Status: 'a1' }) }]);
    const deadInstance = randomUUID();
    const [lost] = await claim(deadInstance, 10, 1);
    expect(lost.id).toBe(a1);

    const survivor = randomUUID();
    const [taken] = await expectEventually(async () => {
      const claimed = await claim(survivor);
      expect(claimed).toHaveLength(1);
      return claimed;
    });
    expect(taken).toMatchObject({ id: a1, attempts: 2 });

    expect((await recordOutcomes(db.pool, deadInstance, [done(lost)])).size).toBe(0);
    expect((await outboxRow(db.pool, a1)).status).toBe('in_flight');
    expect([...(await recordOutcomes(db.pool, survivor, [done(taken)]))]).toEqual([a1]);
    expect((await outboxRow(db.pool, a1)).status).toBe('done');
  });

  it('two dispatchers claiming side by side never run two commands of one record at once and keep each record in order', async () => {
    const records = 20;
    const perRecord = 8;
    const rows = [];
    for (let n = 0; n < perRecord; n++) {
      for (let r = 1; r <= records; r++) rows.push({ recordId: r, command: updateCommand(`00Q0000000000${String(r).padStart(2, '0')}AAA`, { Status: `${n}` }) });
    }
    const ids = await insertCommands(db.pool, rows);
    const inFlight = new Set<number>();
    const order = new Map<number, number[]>();
    const violations: string[] = [];
    const seen = new Set<number>();

    const dispatcher = async (): Promise<void> => {
      for (let round = 0; round < 500 && seen.size < ids.length; round++) {
        const token = randomUUID();
        const claimed = await claim(token, 7);
        for (const c of claimed) {
          if (inFlight.has(c.recordId)) violations.push(`record ${c.recordId} claimed twice at once`);
          if (seen.has(c.id)) violations.push(`command ${c.id} claimed twice`);
          inFlight.add(c.recordId);
          seen.add(c.id);
          order.set(c.recordId, [...(order.get(c.recordId) ?? []), c.id]);
        }
        await new Promise((r) => setImmediate(r));
        for (const c of claimed) inFlight.delete(c.recordId);
        await recordOutcomes(db.pool, token, claimed.map(done));
      }
    };
    await Promise.all([dispatcher(), dispatcher()]);

    expect(violations).toEqual([]);
    expect(seen.size).toBe(ids.length);
    for (const [, claimedIds] of order) expect(claimedIds).toEqual([...claimedIds].sort((a, b) => a - b));
    const { rows: left } = await db.pool.query("SELECT count(*)::int AS n FROM outbox WHERE status <> 'done'");
    expect(left[0].n).toBe(0);
  });
});

describe('outbox retry times of one saved monday create request', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const retry = (claimed: ClaimedCommand): Settlement => ({ claimed, status: 'pending', delay: { minMs: 1_000, maxMs: 600_000 }, error: null, events: [] });

  it('creates saved as one request draw one retry time, so the retry claims them together and sends it again whole; other commands keep their own', async () => {
    const ids = await insertCommands(
      db.pool,
      [1, 2, 3, 4].map((n) => ({ recordId: n, command: updateCommand(`00Q00000000000${n}AAA`, { Status: `s${n}` }) })),
    );
    const token = randomUUID();
    const claimed = await claimCommands(db.pool, { limit: 10, leaseMs: 60_000, claimToken: token });
    expect(claimed).toHaveLength(4);
    // Commands 1 and 2 were sent in one request whose key was saved before it went out (monday-create-item.handler.ts).
    const saved = { mondayCreateRequest: { key: 'crm-sync:create_item:9378000505:abc', commandIds: [ids[0], ids[1]] } };
    for (const id of [ids[0], ids[1]]) await saveProgress(db.pool, id, token, saved);
    await recordOutcomes(db.pool, token, claimed.map(retry));
    const at = await Promise.all(ids.map(async (id) => (await outboxRow(db.pool, id)).available_at.getTime()));
    expect(at[0]).toBe(at[1]);
    // Drawn apart in a window of 599 s: equal only by a one-in-many-millions chance.
    expect(new Set([at[1], at[2], at[3]]).size).toBe(3);
  });
});
