import pino from 'pino';
import type { Pool } from 'pg';
import { DEMO_BOARDS } from '@crm-sync/sandbox';
import type { MondayPort } from '../../src/monday';
import { OutboxDispatcher } from '../../src/outbox/dispatcher';
import { outboxMetrics } from '../../src/outbox/outbox-metrics';
import { linkedItems } from '../../src/sync-projector/linked-items';
import { expectEventually } from '../support/eventually';
import { insertCommands, outboxRow } from '../integration/outbox-support';
import { dispatcherFor, leadCreateCommand, startOutboxWorld, type OutboxWorld } from './outbox-support';


/**
 * Issue #20: the CRM request timeouts (Salesforce 120 s, monday 65 s) exceed the 20 s claim lease, so
 * a slow request could outlive the lease of its claim while another instance took the command over.
 * Now a write extends its claim to the write lease before it starts, and each of its requests gets a
 * timeout capped by what is left of that lease: it ends before the lease may, even when no renewal
 * gets through. Real Postgres, the real monday client against the emulator.
 */
describe('a CRM request never outlives the lease of the claim it is sent under', () => {
  let world: OutboxWorld;
  const LEASE_MS = 2_000;
  const WRITE_LEASE_MS = 4_000;

  beforeAll(async () => {
    world = await startOutboxWorld();
  });
  afterAll(() => world.close());

  /**
   * The pool as dispatcher A sees it: once a confirmation has set the write lease, every later one
   * (renewals) is held until released, before it reaches Postgres.
   */
  function renewalsStallAfterWriteLease(pool: Pool): { pool: Pool; release(): void } {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let stalling = false;
    const query = async (sql: string, params?: unknown[]) => {
      const confirmation = /RETURNING o\.id AS confirmed/.test(sql);
      if (confirmation && stalling) await gate;
      const result = await pool.query(sql, params);
      if (confirmation && params?.[2] === WRITE_LEASE_MS) stalling = true;
      return result;
    };
    return { pool: { query, connect: () => pool.connect() } as unknown as Pool, release };
  }

  it('a create held 8 s at monday with A\'s renewals stalled: A\'s request is cut before its lease ends, B takes over, one item', async () => {
    const [leadId] = world.sf.control.seed([{ type: 'Lead', fields: { LastName: 'Slow Create', Company: 'Slow Co' } }]);
    const command = leadCreateCommand(leadId, 'Slow Create');
    const [id] = await insertCommands(world.db.pool, [{ recordId: 1, command }]);
    world.mondayEmulator.control.addFault({ kind: 'latency', latencyMs: 8_000, count: 1, operation: 'create_item' });
    const stalled = renewalsStallAfterWriteLease(world.db.pool);
    const sentByA: string[] = [];
    const mondayOfA: MondayPort = Object.create(world.monday) as MondayPort;
    mondayOfA.applyMutations = (boardId, mutations, options) => {
      sentByA.push(...mutations.map((m) => m.kind));
      return world.monday.applyMutations(boardId, mutations, options);
    };
    const a = new OutboxDispatcher(
      { pool: stalled.pool, salesforce: world.salesforce, monday: mondayOfA, logger: pino({ level: 'silent' }), linkedItems: (itemIds) => linkedItems(world.db.pool, itemIds) },
      { leaseMs: LEASE_MS, writeLeaseMs: WRITE_LEASE_MS, sendMarginMs: LEASE_MS / 2, pollIntervalMs: 20 },
    );
    const outlived = async () => (await outboxMetrics.claimsLost.get()).values.find((v) => v.labels.stage === 'during_send')?.value ?? 0;
    const outlivedBefore = await outlived();

    await a.dispatchOnce();
    // A sent its create; the request ended (cut before the write lease) while monday still held it.
    expect(sentByA).toEqual(['create_item']);
    expect(await outlived()).toBe(outlivedBefore);
    // B's keyed resend meets A's request still running at monday (409) until it ends: retries a second apart.
    const b = dispatcherFor(world, { policy: { baseDelayMs: 1_000, maxDelayMs: 2_000 } });
    try {
      await expectEventually(async () => {
        await b.dispatchOnce();
        expect((await outboxRow(world.db.pool, id)).status).toBe('done');
      }, { timeoutMs: 20_000, intervalMs: 100 });
    } finally {
      stalled.release();
    }

    expect(world.mondayEmulator.control.listItems(DEMO_BOARDS.leads.id, true).filter((i) => i.name === 'Slow Create')).toHaveLength(1);
    const { rows } = await world.db.pool.query<{ dispatches: number }>('SELECT dispatches FROM outbox WHERE id = $1', [id]);
    expect(rows[0].dispatches).toBeGreaterThanOrEqual(2);
  });
});
