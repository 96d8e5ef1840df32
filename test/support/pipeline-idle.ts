import type { Queryable } from '../../src/event-store/queryable';
import { expectEventually } from './eventually';

/** Nothing left to do: no command waiting in the outbox and every event decided by the projector. */
export async function expectPipelineIdle(db: Queryable): Promise<void> {
  const { rows } = await db.query<{ open: number; undecided: number }>(
    `SELECT (SELECT count(*)::int FROM outbox WHERE status IN ('pending', 'in_flight')) AS open,
            (SELECT count(*)::int FROM events e WHERE NOT EXISTS (SELECT 1 FROM sync_decisions d WHERE d.position = e.position)) AS undecided`,
  );
  if (rows[0]?.open !== 0 || rows[0]?.undecided !== 0) throw new Error(`pipeline not idle: ${JSON.stringify(rows[0])}`);
}

/** Waits (30 s at most) until the pipeline is idle. */
export async function waitForPipelineIdle(db: Queryable): Promise<void> {
  await expectEventually(() => expectPipelineIdle(db), { timeoutMs: 30_000, intervalMs: 250 });
}
