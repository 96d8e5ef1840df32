import type { Pool } from 'pg';
import { withTransaction } from '../database/transaction';
import { appendEvents } from '../event-store/append';
import { derivedValueSealer } from '../personal-data/derived-values';
import { subjects } from '../personal-data/personal-fields';
import type { NewEvent } from '../event-store/events';
import type { ClaimedCommand } from './claim';
import type { StoredError } from './result-events';

/** How one claimed command ends this attempt. */
export interface Settlement {
  claimed: ClaimedCommand;
  status: 'done' | 'pending' | 'dead';
  /** pending: available again after a delay drawn by Postgres from this window (jitter in the same UPDATE). */
  delay?: { minMs: number; maxMs: number };
  error: StoredError | null;
  /** The result event and any facts learned (record linked, snapshots), appended with the status change. */
  events: NewEvent[];
}

/**
 * Records outcomes of one claim: every row's new status (with the retry time computed in the same
 * UPDATE, style lesson 10) and the events that tell the story, in ONE transaction. The rows are locked
 * in id order first (see HELD_IN_ID_ORDER: the projector may be revising them). Rows whose claim
 * was lost (lease expired and another dispatcher took them over) are left alone and their events are
 * not appended: the new owner will record its own outcome. The creates of one monday request saved
 * for a retry under its Idempotency-Key (progress.mondayCreateRequest) draw one retry time, so the
 * retry usually claims them together and can send that request again whole (monday-create-request.ts;
 * a retry that gets them apart traces their items in the activity log instead).
 */
const SETTLE_SQL = `
WITH held AS (
  SELECT id, progress->'mondayCreateRequest'->>'key' AS request_key FROM outbox
  WHERE id = ANY($1::bigint[]) AND claim_token = $6 AND status = 'in_flight' ORDER BY id FOR UPDATE
),
request_draws AS MATERIALIZED (SELECT request_key, random() AS r FROM (SELECT DISTINCT request_key FROM held WHERE request_key IS NOT NULL) k)
UPDATE outbox o
SET status = u.status,
    available_at = CASE WHEN u.status = 'pending'
                        THEN now() + (u.min_ms + COALESCE(d.r, random()) * (u.max_ms - u.min_ms)) * interval '1 millisecond'
                        ELSE o.available_at END,
    locked_until = NULL,
    claim_token = NULL,
    last_error = u.error::jsonb,
    progress = CASE WHEN u.status = 'done' THEN NULL ELSE o.progress END,
    finished_at = CASE WHEN u.status IN ('done', 'dead') THEN now() END
FROM unnest($1::bigint[], $2::text[], $3::float8[], $4::float8[], $5::text[]) AS u(id, status, min_ms, max_ms, error)
  JOIN held ON held.id = u.id
  LEFT JOIN request_draws d ON d.request_key = held.request_key
WHERE o.id = u.id
RETURNING o.id`;

export async function recordOutcomes(pool: Pool, claimToken: string, settlements: readonly Settlement[]): Promise<Set<number>> {
  if (settlements.length === 0) return new Set();
  // A CRM's error message may quote the value it refused: stored encrypted under the record's key.
  const sealer = await derivedValueSealer(() => settlements.map((s) => subjects.record(s.claimed.recordId)));
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string }>(SETTLE_SQL, [
      settlements.map((s) => s.claimed.id),
      settlements.map((s) => s.status),
      settlements.map((s) => s.delay?.minMs ?? 0),
      settlements.map((s) => s.delay?.maxMs ?? 0),
      settlements.map((s) => (s.error ? JSON.stringify(sealer ? sealer.error(subjects.record(s.claimed.recordId), s.error) : s.error) : null)),
      claimToken,
    ]);
    const recorded = new Set(rows.map((r) => Number(r.id)));
    await appendEvents(
      client,
      settlements.filter((s) => recorded.has(s.claimed.id)).flatMap((s) => s.events),
    );
    return recorded;
  });
}
