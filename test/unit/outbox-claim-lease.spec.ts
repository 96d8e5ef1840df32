import type { Queryable } from '../../src/event-store/queryable';
import { ClaimLease, LeaseLostError } from '../../src/outbox/claim-lease';

/** A database whose confirmation answers with the ids the test says are still held. */
function fakeDb(stillHeld: () => number[]): Queryable & { confirmations: number } {
  const db = {
    confirmations: 0,
    query: async () => {
      db.confirmations++;
      return { rows: stillHeld().map((id) => ({ confirmed: String(id) })), rowCount: stillHeld().length };
    },
  };
  return db as unknown as Queryable & { confirmations: number };
}

describe('ClaimLease: a lower bound of the lease, lost for good once it may have ended', () => {
  const LEASE = 1_000;
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 0));

  it('holds while confirmations come in time, each extending the lease from when it was issued', async () => {
    const lease = new ClaimLease(fakeDb(() => [1, 2]), [1, 2], 't', { leaseMs: LEASE, clock, claimedAt: 0 });
    now = 900;
    expect([...(await lease.confirm())]).toEqual([1, 2]);
    now = 1_800;
    expect(() => lease.assertHeldFor(0)).not.toThrow();
    expect(() => lease.assertHeldFor(200)).toThrow(LeaseLostError); // only 100 ms left: too little for a send
    expect(lease.lost()).toBe(false);
  });

  it('is lost once the lease may have lapsed, and a later confirmation does not revive it', async () => {
    const db = fakeDb(() => [1]);
    const lease = new ClaimLease(db, [1], 't', { leaseMs: LEASE, clock, claimedAt: 0 });
    now = 1_000;
    expect(() => lease.assertHeldFor(0)).toThrow(/lease lapsed/);
    expect([...(await lease.confirm())]).toEqual([]);
    expect(db.confirmations).toBe(0);
  });

  it('is lost when a confirmation answers after the lease it extended may have ended (a stall while it was under way)', async () => {
    const db = fakeDb(() => [1]);
    const lease = new ClaimLease(
      { query: async (...args: unknown[]) => { const r = await (db.query as (...a: unknown[]) => Promise<unknown>)(...args); now = 1_500; return r; } } as unknown as Queryable,
      [1], 't', { leaseMs: LEASE, clock, claimedAt: 0 },
    );
    now = 400;
    expect([...(await lease.confirm())]).toEqual([]);
    expect(lease.lost()).toBe(true);
  });

  it('is lost when a confirmation lacks one of its commands (taken over)', async () => {
    const lease = new ClaimLease(fakeDb(() => [2]), [1, 2], 't', { leaseMs: LEASE, clock, claimedAt: 0 });
    expect([...(await lease.confirm())]).toEqual([]);
    expect(() => lease.assertHeldFor(0)).toThrow(/1 of 2 command\(s\) no longer held/);
  });

  it('a renewal timer that fires after the lease (event loop stalled) treats the claim as lost and renews no more', async () => {
    jest.useFakeTimers();
    try {
      const db = fakeDb(() => [1]);
      const lease = new ClaimLease(db, [1], 't', { leaseMs: LEASE, clock, claimedAt: 0 });
      lease.keepRenewed();
      now = 250;
      await jest.advanceTimersByTimeAsync(250);
      expect(db.confirmations).toBe(1);
      now = 5_000; // the next tick comes 4.75 s late
      await jest.advanceTimersByTimeAsync(250);
      expect(db.confirmations).toBe(1);
      expect(lease.lost()).toBe(true);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('ClaimLease.ensureHeldFor: a send with too little lease left confirms the claim first', () => {
  it('confirms again when less than the margin is left, and refuses when the confirmation shows the claim taken over', async () => {
    let now = 0;
    let held = [1];
    const db = fakeDb(() => held);
    const lease = new ClaimLease(db, [1], 't', { leaseMs: 1_000, clock: () => now, claimedAt: 0 });
    now = 300;
    await lease.ensureHeldFor(500);
    expect(db.confirmations).toBe(0);
    now = 700;
    await lease.ensureHeldFor(500); // 300 ms left: confirmed again, now 1000 ms from 700
    expect(db.confirmations).toBe(1);
    now = 1_300;
    held = [];
    await expect(lease.ensureHeldFor(500)).rejects.toThrow(LeaseLostError);
    expect(db.confirmations).toBe(2);
  });
});

describe('ClaimLease.beginWrite: one confirmation fences the writes of a write lease', () => {
  it('confirms before the first write, not again while at least half the write lease is left, and again after', async () => {
    let now = 0;
    const db = fakeDb(() => [1, 2]);
    const lease = new ClaimLease(db, [1, 2], 't', { leaseMs: 1_000, writeLeaseMs: 4_000, clock: () => now, claimedAt: 0 });
    await lease.beginWrite(100); // the normal lease: extended to the write lease
    lease.endWrite();
    expect(db.confirmations).toBe(1);
    for (now = 10; now <= 2_000; now += 10) {
      await lease.beginWrite(100); // a claim of many commands writes many times: no confirmation each
      lease.endWrite();
    }
    expect(db.confirmations).toBe(1);
    now = 2_010; // less than half the write lease left: confirmed again
    await lease.beginWrite(100);
    lease.endWrite();
    expect(db.confirmations).toBe(2);
  });
});

describe('ClaimLease of a claim taken page by page and sent page by page (a bulk-import job)', () => {
  /** A database whose confirmations the test answers: each waits until `answer()`. */
  function heldDb(stillHeld: () => number[]): Queryable & { sent: number[][]; answer: () => void } {
    const waiting: Array<() => void> = [];
    const db = {
      sent: [] as number[][],
      answer: () => waiting.shift()?.(),
      query: async (_sql: string, values: unknown[]) => {
        db.sent.push([...(values[0] as number[])]);
        await new Promise<void>((resolve) => waiting.push(resolve));
        const ids = (values[0] as number[]).filter((id) => stillHeld().includes(id));
        return { rows: ids.map((id) => ({ confirmed: String(id) })), rowCount: ids.length };
      },
    };
    return db as unknown as Queryable & { sent: number[][]; answer: () => void };
  }
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('a page added while a confirmation is under way is bounded by its own claim, not by that confirmation', async () => {
    let now = 0;
    const db = heldDb(() => [1, 2, 3]);
    const lease = new ClaimLease(db, [], 't', { leaseMs: 1_000, clock: () => now, claimedAt: 0 });
    lease.add([1], 0);
    now = 500;
    const confirming = lease.confirm(); // issued at 500 for [1]
    await settle();
    lease.add([2, 3], 400); // claimed by a statement issued at 400, before that confirmation
    db.answer();
    expect([...(await confirming)]).toEqual([1]);
    expect(db.sent).toEqual([[1]]);
    expect(lease.remainingMs()).toBe(900); // 400 + 1000, not 500 + 1000
    now = 600;
    const next = lease.confirm();
    await settle();
    db.answer();
    expect([...(await next)]).toEqual([1, 2, 3]);
    expect(lease.remainingMs()).toBe(1_000);
  });

  it('hands a page over after the confirmation in flight, renews only the rest, and does not miss the page once it is settled', async () => {
    let now = 0;
    let held = [1, 2, 3, 4];
    const db = heldDb(() => held);
    const lease = new ClaimLease(db, [1, 2, 3, 4], 't', { leaseMs: 1_000, clock: () => now, claimedAt: 0 });
    now = 100;
    const confirming = lease.confirm();
    await settle();
    let handed = false;
    const handOver = lease.handOver([1, 2]).then(() => (handed = true));
    await settle();
    expect(handed).toBe(false); // waits for the confirmation in flight (its row locks)
    db.answer();
    await confirming;
    await handOver;
    expect(handed).toBe(true);
    held = [3, 4]; // the page was sent and settled by the dispatcher's own lease
    now = 300;
    const next = lease.confirm();
    await settle();
    db.answer();
    expect([...(await next)]).toEqual([3, 4]);
    expect(db.sent.at(-1)).toEqual([3, 4]);
    expect(lease.lost()).toBe(false);
  });

  it('a renewal timer does not queue a renewal behind one still unanswered', async () => {
    jest.useFakeTimers();
    try {
      const now = 0;
      const db = heldDb(() => [1]);
      const lease = new ClaimLease(db, [1], 't', { leaseMs: 1_000, clock: () => now, claimedAt: 0 });
      lease.keepRenewed();
      await jest.advanceTimersByTimeAsync(250);
      await jest.advanceTimersByTimeAsync(250);
      await jest.advanceTimersByTimeAsync(250);
      expect(db.sent).toHaveLength(1);
      db.answer();
      await jest.advanceTimersByTimeAsync(0);
      expect(db.sent).toHaveLength(1); // no renewal queued behind the unanswered one runs after it
      await jest.advanceTimersByTimeAsync(250);
      expect(db.sent).toHaveLength(2); // the next tick renews
      lease.stop();
      db.answer();
    } finally {
      jest.useRealTimers();
    }
  });
});
