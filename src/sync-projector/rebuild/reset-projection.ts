import type { Queryable } from '../../event-store';

/**
 * Empties the sync projection's tables before a rebuild from the log. Takes the caller's
 * transaction client: the rebuild resets the projector's checkpoint in the same transaction, so a
 * projection is never empty with a checkpoint that says it is built.
 */
export async function clearSyncProjection(tx: Queryable): Promise<void> {
  await tx.query('TRUNCATE sync_records, sync_decisions');
}
