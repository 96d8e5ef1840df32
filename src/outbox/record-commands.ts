import type { Queryable } from '../event-store/queryable';

/** An outbox row as the record history shows it (raw columns; last_error may be sealed personal data). */
export interface RecordCommandRow {
  id: string;
  kind: string;
  status: string;
  attempts: number;
  caused_by: string;
  last_error: unknown;
  created_at: Date;
  finished_at: Date | null;
}

/** The commands issued for one sync record (`sync_records.id`), oldest first, at most 1,000. */
export async function commandsOfRecord(db: Queryable, recordId: string): Promise<RecordCommandRow[]> {
  const { rows } = await db.query<RecordCommandRow>(
    `SELECT id, kind, status, attempts, caused_by, last_error, created_at, finished_at
     FROM outbox WHERE record_id = $1 ORDER BY id LIMIT 1000`,
    [recordId],
  );
  return rows;
}
