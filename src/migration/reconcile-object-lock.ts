import type { Pool, PoolClient } from 'pg';

/**
 * One reconcile of an object at a time across instances, whoever starts it (the console's button
 * or the scheduled reconcile): both hold this advisory lock on a connection of their own while they
 * compare that object. Two runs at once would both find the same drift and both append its repair.
 */
export function reconcileObjectLockName(objectKey: string): string {
  return `reconcile:${objectKey}`;
}

/** The lock's connection, or null when another run of that object holds it. */
export async function tryLockReconcileObject(pool: Pool, objectKey: string): Promise<PoolClient | null> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtext('crm-sync'), hashtext($1)) AS locked", [reconcileObjectLockName(objectKey)]);
    if (rows[0]?.locked) return client;
    client.release();
    return null;
  } catch (error) {
    client.release(error instanceof Error ? error : true);
    throw error;
  }
}

export async function unlockReconcileObject(client: PoolClient, objectKey: string): Promise<void> {
  let broken: Error | undefined;
  await client.query("SELECT pg_advisory_unlock(hashtext('crm-sync'), hashtext($1))", [reconcileObjectLockName(objectKey)]).catch((error: Error) => (broken = error));
  client.release(broken);
}
