import { Pool } from 'pg';
import { RollbackTransaction, withTransaction } from '../../src/database/transaction';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('withTransaction', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query('CREATE TABLE tx_probe (n int)');
  });
  afterAll(async () => db.drop());
  beforeEach(async () => db.pool.query('TRUNCATE tx_probe'));

  const rows = async () => (await db.pool.query<{ n: number }>('SELECT n FROM tx_probe ORDER BY n')).rows.map((r) => r.n);

  it("runs inside the pool's DataSource transaction and commits what the work wrote when it returns", async () => {
    const result = await withTransaction(db.pool, async (client, manager) => {
      expect(manager?.queryRunner?.isTransactionActive).toBe(true);
      await client.query('INSERT INTO tx_probe VALUES (1)');
      // Both are the same connection: the explicit SQL sees the manager's transaction.
      expect(await manager!.query('SELECT n FROM tx_probe')).toEqual([{ n: 1 }]);
      expect(await rows()).toEqual([]);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await rows()).toEqual([1]);
  });

  it('rolls back and rethrows when the work throws', async () => {
    await expect(
      withTransaction(db.pool, async (client) => {
        await client.query('INSERT INTO tx_probe VALUES (2)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await rows()).toEqual([]);
  });

  it('rolls back and returns the result of a RollbackTransaction', async () => {
    const result = await withTransaction(db.pool, async (client) => {
      await client.query('INSERT INTO tx_probe VALUES (3)');
      throw new RollbackTransaction({ kept: false });
    });
    expect(result).toEqual({ kept: false });
    expect(await rows()).toEqual([]);
  });

  it('does the same on a pool that no DataSource owns', async () => {
    const plain = new Pool({ connectionString: db.url, max: 1 });
    try {
      await withTransaction(plain, async (client, manager) => {
        expect(manager).toBeNull();
        await client.query('INSERT INTO tx_probe VALUES (4)');
      });
      await expect(withTransaction(plain, async (client) => client.query('INSERT INTO tx_probe VALUES (5); SELECT 1/0'))).rejects.toThrow(/division by zero/);
      expect(await withTransaction(plain, async () => Promise.reject(new RollbackTransaction(7)))).toBe(7);
    } finally {
      await plain.end();
    }
    expect(await rows()).toEqual([4]);
  });
});
