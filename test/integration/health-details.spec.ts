import { registerHealth } from '../../src/health/sync-checks';
import { HealthRegistry } from '../../src/observability/health-registry';
import { outboxDispatchCheck, readLeaseCounts } from '../../src/outbox/outbox-health';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { insertCommands, updateCommand } from './outbox-support';

/** Issue 13.8: what /health says while the CDC is in standby and while leases of a dead dispatcher run out. */
describe('health details', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(() => db.pool.query('TRUNCATE outbox'));

  it('a CDC in standby with no leader anywhere shows an object detail, not a string spread into one', async () => {
    const health = new HealthRegistry();
    registerHealth(
      { pool: db.pool, health },
      { status: () => ({ subscriber: 'sync', running: true, leader: true, lastBatchAt: null, eventsHandled: 0, lastError: null }) },
      { isLeader: () => false, states: () => [], channels: ['/data/LeadChangeEvent'] },
      { health: () => ({ healthy: true, reason: null, apiUsage: null }) },
    );
    const report = await health.report();
    expect(report.checks.salesforce_cdc).toEqual({
      ok: false,
      detail: { leader: false, standby: false, reason: 'no instance holds this role yet (starting)', pendingCatchUps: 0 },
    });
  });

  /** Commands as a dispatcher that died left them: in flight under a lease of `leaseMs` taken `claimedSecondsAgo`. */
  const heldByDeadDispatcher = async (count: number, claimedSecondsAgo: number, leaseMs: number) => {
    const ids = await insertCommands(
      db.pool,
      Array.from({ length: count }, (_, i) => ({ recordId: 100 + i, command: updateCommand(`00Q00000000000${i}AAA`, { Status: 'x' }) })),
    );
    await db.pool.query(
      `UPDATE outbox SET status = 'in_flight', claim_token = gen_random_uuid(),
         locked_until = now() + ($2::float8 * 1000 - $3::float8 * 1000) * interval '1 millisecond' WHERE id = ANY($1::bigint[])`,
      [ids, leaseMs / 1000, claimedSecondsAgo],
    );
  };

  it('commands waiting out a dead dispatcher\'s lease are shown without failing health', async () => {
    await heldByDeadDispatcher(3, 90, 120_000);
    const check = outboxDispatchCheck(true, await readLeaseCounts(db.pool, 120_000));
    expect(check.ok).toBe(true);
    expect(check.detail).toMatchObject({ running: true, inFlight: 3, leaseExpired: 0, stuck: 0 });
    const detail = check.detail as { heldLongestSeconds: number; nextLeaseEndsInSeconds: number };
    expect(detail.heldLongestSeconds).toBeGreaterThanOrEqual(89);
    expect(detail.nextLeaseEndsInSeconds).toBeGreaterThanOrEqual(28);
    expect(detail.nextLeaseEndsInSeconds).toBeLessThanOrEqual(30);
  });

  it('a lease that ended a whole lease ago with nobody taking the command over fails health', async () => {
    await heldByDeadDispatcher(1, 30, 120_000);
    await heldByDeadDispatcher(2, 250, 120_000);
    const check = outboxDispatchCheck(true, await readLeaseCounts(db.pool, 120_000));
    expect(check.ok).toBe(false);
    expect(check.detail).toMatchObject({ inFlight: 3, leaseExpired: 2, stuck: 2 });
  });

  it('nothing in flight: healthy while the dispatcher runs, unhealthy when it does not', async () => {
    const leases = await readLeaseCounts(db.pool, 120_000);
    expect(leases).toEqual({ inFlight: 0, leaseExpired: 0, stuck: 0, heldLongestSeconds: 0, nextLeaseEndsInSeconds: null });
    expect(outboxDispatchCheck(true, leases).ok).toBe(true);
    expect(outboxDispatchCheck(false, leases).ok).toBe(false);
  });
});
