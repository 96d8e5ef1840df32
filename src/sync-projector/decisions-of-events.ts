import type { Queryable } from '../event-store/queryable';

export interface DecisionRow {
  position: string;
  event_type: string;
  outcome: string;
  reason: string | null;
  /** As stored (sealed while PII_ENCRYPTION_KEY is set). */
  detail: unknown;
  commands: number | null;
}

/** The projector's decisions about the events at these positions (keyed by position and event type, as stored). */
export async function decisionsOfEvents(db: Queryable, positions: readonly number[]): Promise<DecisionRow[]> {
  if (positions.length === 0) return [];
  const { rows } = await db.query<DecisionRow>(
    'SELECT position, event_type, outcome, reason, detail, commands FROM sync_decisions WHERE position = ANY($1::bigint[])',
    [positions],
  );
  return rows;
}
