import type { Queryable } from '../event-store/queryable';

/**
 * Reads of the projector's tables (sync_records, sync_decisions) for the modules above it (console,
 * data quality), so they ask the owner instead of querying its tables.
 */

/** The monday item linked to this Salesforce record (18-character Id), or null. */
export async function linkedItemIdOf(db: Queryable, salesforceId: string): Promise<string | null> {
  const { rows } = await db.query<{ monday_item_id: string | null }>('SELECT monday_item_id FROM sync_records WHERE salesforce_id = $1', [salesforceId]);
  return rows[0]?.monday_item_id ?? null;
}

/**
 * The sync's record of a pair found by either side: whether it exists, and the side it was deleted
 * on (null while both sides live).
 */
export async function recordDeletion(db: Queryable, objectKey: string, salesforceId: string | null, itemId: string | null): Promise<{ deletedSide: string | null } | null> {
  const { rows } = await db.query<{ deleted_side: string | null }>(
    `SELECT deleted_side FROM sync_records WHERE (object_key = $1 AND salesforce_id = $2) OR monday_item_id = $3 ORDER BY id LIMIT 1`,
    [objectKey, salesforceId, itemId],
  );
  return rows[0] ? { deletedSide: rows[0].deleted_side } : null;
}

/** What the projector decided for the event at `position` of this type, or null while it has not. */
export async function decisionAt(db: Queryable, position: number, eventType: string): Promise<{ outcome: string; reason: string | null } | null> {
  const { rows } = await db.query<{ outcome: string; reason: string | null }>(
    'SELECT outcome, reason FROM sync_decisions WHERE position = $1 AND event_type = $2 LIMIT 1',
    [position, eventType],
  );
  return rows[0] ?? null;
}

/** The sync's record (sync_records row) holding this Salesforce Id (18 characters) or monday item id, or null. */
export interface SyncRecordRow {
  id: string;
  object_key: string;
  salesforce_id: string | null;
  monday_board_id: string;
  monday_item_id: string | null;
  deleted_side: string | null;
  /** Values waiting to be written (SyncRecord.waiting): a relation for a link, a person for the user directory. */
  waiting: Array<{ fieldKey: string; towards: string; waitsFor?: string; at: number }>;
}

const RECORD_BY_CRM_ID_SQL = {
  salesforce: 'SELECT * FROM sync_records WHERE salesforce_id = $1 ORDER BY id LIMIT 1',
  monday: 'SELECT * FROM sync_records WHERE monday_item_id = $1 ORDER BY id LIMIT 1',
};

export async function syncRecordByCrmId(db: Queryable, crm: 'salesforce' | 'monday', id: string): Promise<SyncRecordRow | null> {
  const { rows } = await db.query<SyncRecordRow>(RECORD_BY_CRM_ID_SQL[crm], [id]);
  return rows[0] ?? null;
}
