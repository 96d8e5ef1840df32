import type { Queryable } from '../event-store/queryable';
import { isSalesforceId, to18 } from '../mapping/salesforce-id';

/**
 * A record is busy while one of its commands is claimed (in flight: under a live lease, or under
 * the expired lease of a dispatcher that died and not claimed again yet) or while its create waits
 * to be sent. What either side shows of it then may be half of a write: a catch-up or reconcile
 * that read it now would take our own unfinished write for news (an item created by a dispatcher
 * that died before recording its link looks like an unknown item). They leave it for their next
 * round, when the command has finished.
 */
const BUSY_RECORD = `
EXISTS (SELECT 1 FROM outbox o WHERE o.record_id = r.id
        AND (o.status = 'in_flight' OR (o.status = 'pending' AND o.kind IN ('monday.create_item', 'salesforce.create'))))`;

/** A monday item as a catch-up read it: its id and what its Salesforce Id column shows. */
export interface ItemIdentity {
  itemId: string;
  /** The Salesforce Id column's text ('' or not an Id: none). */
  salesforceIdText: string | null;
}

/**
 * Of `items` (of the boards of `objectKeys`), those whose record is busy: the record linked to the
 * item, or the record its Salesforce Id column names (our create of the item may be the command in
 * flight, its link not recorded yet).
 */
export async function itemsOfBusyRecords(db: Queryable, objectKeys: readonly string[], items: readonly ItemIdentity[]): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const salesforceIds = items.map((i) => {
    const text = i.salesforceIdText?.trim() ?? '';
    return isSalesforceId(text) ? to18(text) : null;
  });
  const { rows } = await db.query<{ item_id: string }>(
    `SELECT i.item_id FROM unnest($2::text[], $3::text[]) AS i(item_id, salesforce_id)
     WHERE EXISTS (SELECT 1 FROM sync_records r WHERE r.monday_item_id = i.item_id AND ${BUSY_RECORD})
        OR EXISTS (SELECT 1 FROM sync_records r WHERE r.object_key = ANY($1::text[]) AND r.salesforce_id = i.salesforce_id AND ${BUSY_RECORD})`,
    [objectKeys, items.map((i) => i.itemId), salesforceIds],
  );
  return new Set(rows.map((r) => r.item_id));
}

/** The ids of the busy sync records of one object. */
export async function busyRecordIds(db: Queryable, objectKey: string): Promise<Set<number>> {
  const { rows } = await db.query<{ record_id: string }>(
    `SELECT DISTINCT o.record_id FROM outbox o JOIN sync_records r ON r.id = o.record_id
     WHERE r.object_key = $1 AND o.status IN ('pending', 'in_flight')
       AND (o.status = 'in_flight' OR o.kind IN ('monday.create_item', 'salesforce.create'))`,
    [objectKey],
  );
  return new Set(rows.map((r) => Number(r.record_id)));
}
