import { entityManagerOf } from '../../database/data-source';
import { CdcPositionEntity } from '../../database/entities';
import { appendEvents, type AppendResult, type NewEvent, type Queryable } from '../../event-store';

/**
 * Stores one delivery's events (one CDC message or a batch, oldest first) and the channel's replay
 * id, the delivery's LAST one, in the caller's transaction (invariant 5: the stored id never runs
 * ahead of the stored events). A redelivered message appends nothing new and never moves the
 * position back.
 */
export async function storeChangeEvents(
  tx: Queryable,
  channel: string,
  lastReplayId: number,
  events: readonly NewEvent[],
): Promise<AppendResult[]> {
  const results = await appendEvents(tx, events);
  const commitAt = events.length > 0 ? events[events.length - 1]!.occurredAt : null;
  await tx.query(
    `INSERT INTO cdc_positions (channel, replay_id, last_commit_at) VALUES ($1, $2, $3)
     ON CONFLICT (channel) DO UPDATE SET replay_id = GREATEST(cdc_positions.replay_id, EXCLUDED.replay_id),
       last_commit_at = COALESCE(EXCLUDED.last_commit_at, cdc_positions.last_commit_at), updated_at = now()`,
    [channel, lastReplayId, commitAt],
  );
  return results;
}

/** The stored position of every channel. `db`: a DataSource's pool (read through its entity). */
export async function readReplayPositions(db: Queryable): Promise<Map<string, { replayId: number; lastCommitAt: Date | null }>> {
  const positions = await entityManagerOf(db).getRepository(CdcPositionEntity).find();
  return new Map(positions.map((p) => [p.channel, { replayId: Number(p.replayId), lastCommitAt: p.lastCommitAt }]));
}

/** The replay id a channel's row holds while it is subscribed from the tip (-1) and has seen no event yet. */
export const TIP_REPLAY_ID = -1;

/**
 * A subscription from -1 has no replay id until its first event: the row keeps replay id -1 and the
 * time it subscribed (this service's clock), so whoever subscribes the channel next (a takeover, a
 * restart) knows since when changes may have gone undelivered. Never overwrites a real position.
 */
export async function markTipSubscription(db: Queryable, channel: string, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO cdc_positions (channel, replay_id, last_commit_at) VALUES ($1, $2, $3)
     ON CONFLICT (channel) DO UPDATE SET last_commit_at = EXCLUDED.last_commit_at, updated_at = now() WHERE cdc_positions.replay_id = $2`,
    [channel, TIP_REPLAY_ID, at],
  );
}

/** After an expired replay id: the subscription restarts from -1 at `at`, and the stored row must follow. */
export async function resetReplayPosition(db: Queryable, channel: string, at: Date): Promise<void> {
  await db.query('DELETE FROM cdc_positions WHERE channel = $1', [channel]);
  await markTipSubscription(db, channel, at);
}

export interface CdcChannelPosition {
  channel: string;
  replayId: number;
  lastCommitAt: Date | null;
  updatedAt: Date;
}

/** Every channel's stored position, by channel name (the console's pipeline view). */
export async function listCdcPositions(db: Queryable): Promise<CdcChannelPosition[]> {
  const { rows } = await db.query<{ channel: string; replay_id: string; last_commit_at: Date | null; updated_at: Date }>('SELECT channel, replay_id, last_commit_at, updated_at FROM cdc_positions ORDER BY channel');
  return rows.map((c) => ({ channel: c.channel, replayId: Number(c.replay_id), lastCommitAt: c.last_commit_at, updatedAt: c.updated_at }));
}
