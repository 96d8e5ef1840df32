import type { Pool, PoolClient } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { dataSourceOfPool } from './data-source';

/**
 * Thrown inside withTransaction's work to roll back and still return a value (e.g. "this batch
 * failed, here are its events"), where a plain throw would mean "failed".
 */
export class RollbackTransaction<T> extends Error {
  constructor(readonly result: T) {
    super('transaction rolled back');
    this.name = 'RollbackTransaction';
  }
}

/**
 * Runs `work` in one transaction on one connection: committed when it returns, rolled back when it
 * throws (or throws RollbackTransaction, whose result is returned). The hot path keeps its explicit
 * SQL: `work` gets the transaction's pg client, inside `dataSource.transaction(manager => ...)` of
 * the DataSource owning `db`; a pool created on its own (benches) gets the same by hand.
 */
export async function withTransaction<T>(db: Pool | DataSource, work: (client: PoolClient, manager: EntityManager | null) => Promise<T>): Promise<T> {
  const dataSource = db instanceof DataSource ? db : dataSourceOfPool(db);
  try {
    if (dataSource) {
      return await dataSource.transaction(async (manager) => work((await manager.queryRunner!.connect()) as PoolClient, manager));
    }
    return await onPlainPool(db as Pool, work);
  } catch (error) {
    if (error instanceof RollbackTransaction) return error.result as T;
    throw error;
  }
}

async function onPlainPool<T>(pool: Pool, work: (client: PoolClient, manager: null) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client, null);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
