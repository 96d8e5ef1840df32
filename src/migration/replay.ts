import type { Pool } from 'pg';
import { LeaderLock, SubscriptionRunner } from '../event-store';
import type { Mapping } from '../mapping';
import { buildSyncContext } from '../app/sync-engine';
import { LinkIndex } from '../projectors/link-index';
import { loadCachedContext } from '../projectors/sync-context-cache';
import { SyncProjector, SYNC_PROJECTOR } from '../projectors/sync-projector';

/** Names users may pass to --projection: the four projections of the design run in one runner. */
export const PROJECTION_NAMES = ['sync', 'links', 'state', 'to-salesforce', 'to-monday'] as const;

export class ReplayError extends Error {
  readonly code = 'REPLAY_REFUSED';
}

export interface ReplayProgress {
  handled: number;
  total: number;
}

/**
 * Rebuilds the sync projection from the event log (invariant 10): resets its tables and checkpoint
 * and re-runs the pure decisions over every event with commands dropped, so nothing is sent to
 * either CRM and the live schemas come from the cache start-up wrote, not from the CRMs.
 */
export async function replayProjection(
  pool: Pool,
  databaseUrl: string,
  mapping: Mapping,
  onProgress: (progress: ReplayProgress) => void = () => undefined,
): Promise<ReplayProgress> {
  const cached = await loadCachedContext(pool);
  if (!cached) throw new ReplayError('no cached live schemas: start the service once so it can read them, then replay');
  const lock = new LeaderLock(databaseUrl, `projector:${SYNC_PROJECTOR}`);
  if (!(await lock.tryAcquire())) throw new ReplayError('the sync projector is running in a service instance: stop the service, then replay');
  try {
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE status IN ('pending', 'in_flight')");
    if ((rows[0]?.n ?? 0) > 0) throw new ReplayError(`${rows[0].n} commands are still waiting in the outbox: let the service send them first`);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('TRUNCATE sync_records, sync_decisions');
      await client.query('DELETE FROM subscriber_checkpoints WHERE subscriber = $1', [SYNC_PROJECTOR]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    const total = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n;
    const links = new LinkIndex();
    const context = buildSyncContext(mapping, cached, links);
    const projector = new SyncProjector(() => context, links, { emitCommands: false });
    let handled = 0;
    const counting = { name: projector.name, handle: async (...args: Parameters<SyncProjector['handle']>) => {
      // The projection is rebuildable from the log: a crash mid-replay only means replaying again,
      // so commits need not wait for the disk.
      await args[1].query('SET LOCAL synchronous_commit = off');
      await projector.handle(...args);
      handled += args[0].length;
      onProgress({ handled, total });
    } };
    // The lock above keeps live instances out; this runner needs no lock of its own.
    const runner = new SubscriptionRunner(pool, null, counting, new LeaderLock(databaseUrl, `replay:${SYNC_PROJECTOR}`), { batchSize: 5_000 });
    await runner.drain();
    return { handled, total };
  } finally {
    await lock.release();
  }
}
