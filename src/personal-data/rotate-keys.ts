import type { Pool } from 'pg';
import type { KeyEncryptionKey } from './key-encryption-key';

export interface RotationReport {
  rewrapped: number;
  alreadyCurrent: number;
}

/**
 * Rewraps every data key with the new key-encryption key (PII_ENCRYPTION_KEY), unwrapping with the
 * previous one (PII_ENCRYPTION_KEY_PREVIOUS). Events are not touched: they are encrypted with the
 * data keys, which do not change. Batches of 500, each its own transaction, so it can be stopped
 * and run again; a key wrapped by neither KEK stops it with the subject named.
 */
export async function rotateDataKeys(pool: Pool, current: KeyEncryptionKey, previous: KeyEncryptionKey | null, onBatch?: (done: number) => void): Promise<RotationReport> {
  let rewrapped = 0;
  for (;;) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string; subject: string; wrapped_key: Buffer; kek_id: string }>(
        'SELECT id, subject, wrapped_key, kek_id FROM personal_data_keys WHERE kek_id <> $1 ORDER BY id LIMIT 500 FOR UPDATE',
        [current.id],
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        break;
      }
      const ids: string[] = [];
      const wrapped: Buffer[] = [];
      for (const row of rows) {
        if (row.kek_id !== previous?.id) {
          throw new Error(`the data key of ${row.subject} was wrapped by key id ${row.kek_id}, which is neither PII_ENCRYPTION_KEY (${current.id}) nor PII_ENCRYPTION_KEY_PREVIOUS (${previous?.id ?? 'unset'})`);
        }
        ids.push(row.id);
        wrapped.push(current.wrap(previous.unwrap(row.wrapped_key, row.subject), row.subject));
      }
      await client.query('UPDATE personal_data_keys k SET wrapped_key = v.w, kek_id = $3 FROM unnest($1::bigint[], $2::bytea[]) AS v(id, w) WHERE k.id = v.id', [ids, wrapped, current.id]);
      await client.query('COMMIT');
      rewrapped += rows.length;
      onBatch?.(rewrapped);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM personal_data_keys WHERE kek_id = $1', [current.id]);
  return { rewrapped, alreadyCurrent: rows[0].n - rewrapped };
}
