import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Pool } from 'pg';
import type { MondayPort } from '../../src/monday/monday.port';
import { claimCommands, saveProgress } from '../../src/outbox/claim';
import { ClaimLease } from '../../src/outbox/claim-lease';
import { OutboxDispatcher } from '../../src/outbox/dispatcher';
import { outboxMetrics } from '../../src/outbox/outbox-metrics';
import { SalesforceError } from '../../src/salesforce/salesforce.error';
import type { RecordFields, SalesforcePort, SaveResult } from '../../src/salesforce/salesforce.port';
import { expectEventually } from '../support/eventually';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { insertCommands, outboxRow, updateCommand } from './outbox-support';

/**
 * Issue #20, "nothing sent twice" with several instances. The interleaving that sent a command twice:
 * dispatcher A claims it (lease L) and then stalls (event loop under load, a starved connection) for
 * longer than L before sending; its renewal timer cannot run either, so the lease ends; dispatcher B
 * takes the command over and sends it; A resumes and sends it as well (it never re-checked that the
 * claim was still its own; only its outcome was dropped afterwards). Each test stalls A at one point
 * of that path, deterministically, by holding the answer of one of its queries until B has sent.
 */
describe('outbox lease fencing: a dispatcher whose claim was taken over never sends it', () => {
  let db: TestDatabase;
  const LEASE_MS = 400;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(() => db.pool.query('TRUNCATE outbox'));

  /** A Salesforce that records every update it receives (who sent it, which records). */
  function recordingSalesforce(sent: Array<{ by: string; ids: string[] }>, by: string): SalesforcePort {
    const updateMany = async (_object: string, records: readonly RecordFields[]): Promise<SaveResult[]> => {
      sent.push({ by, ids: records.map((r) => String(r.Id)) });
      return records.map((r) => ({ ok: true, id: String(r.Id) }) as SaveResult);
    };
    return { updateMany } as unknown as SalesforcePort;
  }

  /**
   * The pool as dispatcher A sees it, stalled from the first query matching `stallAt` until `release()`:
   * that query reaches Postgres but its answer is held; later matching queries (renewals) are held
   * before they reach it, as in a process whose event loop is stalled.
   */
  function stallingPool(pool: Pool, stallAt: RegExp): { pool: Pool; stalled: Promise<void>; release(): void } {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const stalled = new Promise<void>((resolve) => (reached = resolve));
    let first = true;
    const query = async (sql: string, params?: unknown[]) => {
      if (!stallAt.test(sql)) return pool.query(sql, params);
      if (!first) await gate;
      const result = await pool.query(sql, params);
      if (first) {
        first = false;
        reached();
        await gate;
      }
      return result;
    };
    return { pool: { query, connect: () => pool.connect() } as unknown as Pool, stalled, release };
  }

  /** The write lease (set while a write is in flight) one millisecond longer than the lease: its confirmation is recognisable. */
  const WRITE_LEASE_MS = LEASE_MS + 1;
  const dispatcher = (pool: Pool, salesforce: SalesforcePort) =>
    new OutboxDispatcher({ pool, salesforce, monday: {} as MondayPort, logger, linkedItems: async () => new Map() }, { leaseMs: LEASE_MS, writeLeaseMs: WRITE_LEASE_MS, pollIntervalMs: 20 });

  /** B claims (once A's lease has ended) and sends; returns when the command is done. */
  async function takeOver(b: OutboxDispatcher, id: number): Promise<void> {
    await expectEventually(async () => {
      await b.dispatchOnce();
      expect((await outboxRow(db.pool, id)).status).toBe('done');
    }, { timeoutMs: 20_000, intervalMs: 50 });
  }

  it('A stalled between its claim and its send: B takes over and sends, A sends nothing', async () => {
    const [id] = await insertCommands(db.pool, [{ recordId: 1, command: updateCommand('00Q000000000001AAA', { Title: 'Once' }) }]);
    const sent: Array<{ by: string; ids: string[] }> = [];
    const stall = stallingPool(db.pool, /claim_token = \$3, attempts/);
    const a = dispatcher(stall.pool, recordingSalesforce(sent, 'A'));
    const b = dispatcher(db.pool, recordingSalesforce(sent, 'B'));

    const aBatch = a.dispatchOnce();
    await stall.stalled; // A holds the claim and is stalled
    await takeOver(b, id);
    stall.release();
    await aBatch;

    expect(sent).toEqual([{ by: 'B', ids: ['00Q000000000001AAA'] }]);
    const { rows } = await db.pool.query<{ status: string; dispatches: number; claim_token: string | null }>('SELECT status, dispatches, claim_token FROM outbox WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ status: 'done', dispatches: 2, claim_token: null });
  });

  it('A stalled right after confirming its claim, for longer than the lease: it does not send on the stale confirmation', async () => {
    const [id] = await insertCommands(db.pool, [{ recordId: 1, command: updateCommand('00Q000000000002AAA', { Title: 'Once' }) }]);
    const sent: Array<{ by: string; ids: string[] }> = [];
    const stall = stallingPool(db.pool, /RETURNING o\.id AS confirmed/);
    const a = dispatcher(stall.pool, recordingSalesforce(sent, 'A'));
    const b = dispatcher(db.pool, recordingSalesforce(sent, 'B'));

    const aBatch = a.dispatchOnce();
    await stall.stalled; // the confirmation reached Postgres; its answer reaches A only after the lease
    await takeOver(b, id);
    stall.release();
    await aBatch;

    expect(sent).toEqual([{ by: 'B', ids: ['00Q000000000002AAA'] }]);
    expect((await outboxRow(db.pool, id)).status).toBe('done');
  });

  it('A whose renewals stall while its first request is slow does not send the command\'s second request after its lease may have ended; B sends the command once', async () => {
    const [id] = await insertCommands(db.pool, [{ recordId: 1, command: updateCommand('00Q000000000003AAA', { Title: 'Once' }) }]);
    const sent: Array<{ by: string; ids: string[] }> = [];
    // After its write's own confirmation (the write lease), A is stalled on renewals (the first one's
    // answer never comes back, later ones never leave); its update takes three leases (this port,
    // unlike the CRM clients, ignores the write's deadline) and is refused by a duplicate rule's alert,
    // which the handler answers with a second write acknowledging the alert.
    const renewals = stallingPool(db.pool, /RETURNING o\.id AS confirmed/);
    let writeLeaseSet = false;
    const countingPool = {
      query: async (sql: string, params?: unknown[]) => {
        if (!/RETURNING o\.id AS confirmed/.test(sql) || !writeLeaseSet) {
          const result = await db.pool.query(sql, params);
          if (params?.[2] === WRITE_LEASE_MS) writeLeaseSet = true;
          return result;
        }
        return renewals.pool.query(sql, params);
      },
      connect: () => db.pool.connect(),
    } as unknown as Pool;
    const duplicateAlert = new SalesforceError({ code: 'DUPLICATE', sfCode: 'DUPLICATES_DETECTED', message: 'Use one of these records?' } as ConstructorParameters<typeof SalesforceError>[0]);
    const salesforceOfA = {
      updateMany: async (_object: string, records: readonly RecordFields[]): Promise<SaveResult[]> => {
        sent.push({ by: 'A', ids: records.map((r) => String(r.Id)) });
        await new Promise((resolve) => setTimeout(resolve, LEASE_MS * 3));
        return records.map((r) => ({ ok: false, id: String(r.Id), error: duplicateAlert }) as SaveResult);
      },
      update: async (_object: string, recordId: string) => {
        sent.push({ by: 'A', ids: [recordId] });
      },
    } as unknown as SalesforcePort;
    const a = dispatcher(countingPool, salesforceOfA);
    const b = dispatcher(db.pool, recordingSalesforce(sent, 'B'));

    const lost = async (stage: string) => (await outboxMetrics.claimsLost.get()).values.find((v) => v.labels.stage === stage)?.value ?? 0;
    const [outlivedBefore, refusedBefore] = [await lost('during_send'), await lost('while_sending')];
    const aBatch = a.dispatchOnce();
    await renewals.stalled;
    await aBatch; // A's first request came back after its lease may have ended: the second one is refused
    await takeOver(b, id);
    renewals.release();

    expect(sent).toEqual([
      { by: 'A', ids: ['00Q000000000003AAA'] },
      { by: 'B', ids: ['00Q000000000003AAA'] },
    ]);
    // The first write outlived A's lease (counted: it could have overlapped a takeover); the second was refused.
    expect([(await lost('during_send')) - outlivedBefore, (await lost('while_sending')) - refusedBefore]).toEqual([1, 1]);
    const { rows } = await db.pool.query<{ status: string; dispatches: number; last_error: unknown }>('SELECT status, dispatches, last_error FROM outbox WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ status: 'done', dispatches: 2, last_error: null });
  });
  it('a write extends its claim to the write lease while it is in flight; the first renewal after it brings the plain lease back', async () => {
    const [A, B] = [randomUUID(), randomUUID()];
    const [id] = await insertCommands(db.pool, [{ recordId: 1, command: updateCommand('00Q000000000004AAA', { Title: 'Once' }) }]);
    const clock = () => performance.now();
    const claimedAt = clock();
    expect(await claimCommands(db.pool, { limit: 1, leaseMs: LEASE_MS, claimToken: A })).toHaveLength(1);
    const lease = new ClaimLease(db.pool, [id], A, { leaseMs: LEASE_MS, writeLeaseMs: 60_000, clock, claimedAt });
    const pause = () => new Promise((resolve) => setTimeout(resolve, LEASE_MS * 2));

    await lease.beginWrite(LEASE_MS / 2);
    await pause(); // the write is in flight, no renewal: only the write lease holds the command
    expect(await claimCommands(db.pool, { limit: 1, leaseMs: LEASE_MS, claimToken: B })).toEqual([]);
    expect(lease.remainingMs()).toBeGreaterThan(LEASE_MS);

    lease.endWrite();
    await lease.confirm(); // a renewal with the plain lease
    expect(lease.remainingMs()).toBeLessThanOrEqual(LEASE_MS);
    await pause();
    expect(await claimCommands(db.pool, { limit: 1, leaseMs: LEASE_MS, claimToken: B })).toHaveLength(1);
  });

  it('progress is saved only under the claim that holds the command: a create request is never sent unsaved', async () => {
    const [A, B] = [randomUUID(), randomUUID()];
    const [id] = await insertCommands(db.pool, [{ recordId: 1, command: updateCommand('00Q000000000005AAA', { Title: 'Once' }) }]);
    await claimCommands(db.pool, { limit: 1, leaseMs: LEASE_MS, claimToken: A });
    await db.pool.query("UPDATE outbox SET locked_until = now() - interval '1 second' WHERE id = $1", [id]);
    expect(await claimCommands(db.pool, { limit: 1, leaseMs: LEASE_MS, claimToken: B })).toHaveLength(1);

    expect(await saveProgress(db.pool, id, A, { mondayItemId: '1' })).toBe(false);
    expect(await saveProgress(db.pool, id, B, { mondayItemId: '2' })).toBe(true);
  });
});
