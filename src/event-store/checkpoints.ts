import type { Checkpoint } from './read-batch';
import { START } from './read-batch';
import type { Queryable } from './queryable';

/**
 * Locks and returns a subscriber's checkpoint. Must run inside the transaction that will also hold
 * the subscriber's writes and `saveCheckpoint` (invariant 4); the row lock serialises two runners
 * of one subscriber even if leadership was briefly held twice.
 */
export async function lockCheckpoint(tx: Queryable, subscriber: string): Promise<Checkpoint> {
  await tx.query('INSERT INTO subscriber_checkpoints (subscriber) VALUES ($1) ON CONFLICT DO NOTHING', [subscriber]);
  const { rows } = await tx.query<{ transaction_id: string; position: string }>(
    'SELECT transaction_id::text AS transaction_id, position FROM subscriber_checkpoints WHERE subscriber = $1 FOR UPDATE',
    [subscriber],
  );
  const row = rows[0];
  return row ? { transactionId: row.transaction_id, position: Number(row.position) } : START;
}

export async function saveCheckpoint(tx: Queryable, subscriber: string, checkpoint: Checkpoint): Promise<void> {
  await tx.query(
    'UPDATE subscriber_checkpoints SET transaction_id = $2::xid8, position = $3, updated_at = now() WHERE subscriber = $1',
    [subscriber, checkpoint.transactionId, checkpoint.position],
  );
}

/** Replay: forget a subscriber's progress so it re-reads the log from the start. */
export async function resetCheckpoint(tx: Queryable, subscriber: string): Promise<void> {
  await tx.query('DELETE FROM subscriber_checkpoints WHERE subscriber = $1', [subscriber]);
}

export async function readCheckpoint(db: Queryable, subscriber: string): Promise<Checkpoint | null> {
  const { rows } = await db.query<{ transaction_id: string; position: string }>(
    'SELECT transaction_id::text AS transaction_id, position FROM subscriber_checkpoints WHERE subscriber = $1',
    [subscriber],
  );
  return rows[0] ? { transactionId: rows[0].transaction_id, position: Number(rows[0].position) } : null;
}
