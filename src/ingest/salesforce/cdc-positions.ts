import { appendEvents, type AppendResult, type NewEvent, type Queryable } from '../../event-store';

/**
 * Stores one CDC message's events and the channel's replay id in the caller's transaction
 * (invariant 5). A redelivered message appends nothing new and leaves the position where it is.
 */
export async function storeChangeMessageEvents(
  tx: Queryable,
  channel: string,
  replayId: number,
  events: readonly NewEvent[],
): Promise<AppendResult[]> {
  const results = await appendEvents(tx, events);
  const commitAt = events[0]?.occurredAt ?? null;
  await tx.query(
    `INSERT INTO cdc_positions (channel, replay_id, last_commit_at) VALUES ($1, $2, $3)
     ON CONFLICT (channel) DO UPDATE SET replay_id = GREATEST(cdc_positions.replay_id, EXCLUDED.replay_id),
       last_commit_at = COALESCE(EXCLUDED.last_commit_at, cdc_positions.last_commit_at), updated_at = now()`,
    [channel, replayId, commitAt],
  );
  return results;
}

export async function readReplayPositions(db: Queryable): Promise<Map<string, { replayId: number; lastCommitAt: Date | null }>> {
  const { rows } = await db.query<{ channel: string; replay_id: string; last_commit_at: Date | null }>(
    'SELECT channel, replay_id, last_commit_at FROM cdc_positions',
  );
  return new Map(rows.map((r) => [r.channel, { replayId: Number(r.replay_id), lastCommitAt: r.last_commit_at }]));
}

/** After an expired replay id: the subscription restarts from -1, and the stored id must follow. */
export async function resetReplayPosition(db: Queryable, channel: string): Promise<void> {
  await db.query('DELETE FROM cdc_positions WHERE channel = $1', [channel]);
}
