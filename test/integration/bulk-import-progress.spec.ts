import { randomUUID } from 'node:crypto';
import { storeItemsCreatedByBulkImport } from '../../src/outbox/bulk-import-progress';
import { claimCommands, confirmClaim } from '../../src/outbox/claim';
import { expectEventually } from '../support/eventually';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { insertCommands, updateCommand } from './outbox-support';

/**
 * A bulk-import job stores the items it created on its held commands while the claim's lease renewal
 * confirms the same rows. Both must lock rows in one order (by id), or each holds a row the other
 * waits for: the 100,000-Lead bench's backfill failed with `deadlock detected`.
 */
describe('bulk-import progress: storing created items beside a lease renewal', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('waits for a row the renewal holds without holding another it needs (no deadlock)', async () => {
    const ids = await insertCommands(
      db.pool,
      [1, 2, 3].map((n) => ({ recordId: n, command: updateCommand(`00Q00000000000${n}AAA`, { Status: 'x' }) })),
    );
    const token = randomUUID();
    await claimCommands(db.pool, { limit: 10, leaseMs: 60_000, claimToken: token });
    const [first, , last] = ids;
    // The first row's current version moved behind the others' (an update of an indexed column is
    // written elsewhere in the table, as happens to a busy outbox): a scan meets the last command first.
    await db.pool.query("UPDATE outbox SET status = 'pending' WHERE id = $1", [first]);
    await db.pool.query("UPDATE outbox SET status = 'in_flight' WHERE id = $1", [first]);
    // The renewal's transaction has locked the first row, as confirmClaim locks in id order.
    const renewal = await db.pool.connect();
    try {
      await renewal.query('BEGIN');
      await renewal.query('SELECT id FROM outbox WHERE id = $1 FOR UPDATE', [first]);
      // The job's report names the last command before the first.
      const stored = storeItemsCreatedByBulkImport(db.pool, [String(last), String(first)], ['9400000003', '9400000001']);
      await expectEventually(async () => {
        const { rows } = await db.pool.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%unnest($1::bigint[], $2::text[])%'");
        expect(rows).toHaveLength(1);
      });
      const confirmed = await confirmClaim(renewal, [first, last], token, 60_000);
      await renewal.query('COMMIT');
      expect([...confirmed].sort((a, b) => a - b)).toEqual([first, last]);
      await stored;
    } finally {
      renewal.release();
    }
    const { rows } = await db.pool.query<{ id: string; item: string | null }>("SELECT id, progress->>'mondayItemId' AS item FROM outbox ORDER BY id");
    expect(rows.map((r) => r.item)).toEqual(['9400000001', null, '9400000003']);
  });
});
