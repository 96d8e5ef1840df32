import type { Queryable } from '../event-store/queryable';

export interface CommandState {
  id: number;
  kind: string;
  status: string;
  attempts: number;
  /** As stored (an error object, or its envelope while PII_ENCRYPTION_KEY is set). */
  lastError: unknown;
}

/** The outbox commands the event at `position` caused, oldest first. */
export async function commandsCausedBy(db: Queryable, position: number): Promise<CommandState[]> {
  const { rows } = await db.query<{ id: string; kind: string; status: string; attempts: number; last_error: unknown }>(
    'SELECT id, kind, status, attempts, last_error FROM outbox WHERE caused_by = $1 ORDER BY id',
    [position],
  );
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, status: r.status, attempts: r.attempts, lastError: r.last_error }));
}
