import type { Queryable } from '../event-store/queryable';
import { isSalesforceId, to18 } from '../mapping/salesforce-id';
import { busyAmong } from '../outbox/busy-records';
import { recordsOfItems } from '../sync-projector/records-of-items';

/*
 * A record is busy while one of its commands is claimed or while its create waits to be sent (the
 * outbox's busy-records.ts). What either side shows of it then may be half of a write: a catch-up or
 * reconcile that read it now would take our own unfinished write for news (an item created by a
 * dispatcher that died before recording its link looks like an unknown item). They leave it for
 * their next round, when the command has finished.
 */

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
  const salesforceIdOf = (item: ItemIdentity): string | null => {
    const text = item.salesforceIdText?.trim() ?? '';
    return isSalesforceId(text) ? to18(text) : null;
  };
  const salesforceIds = items.map(salesforceIdOf).filter((id): id is string => id !== null);
  const records = await recordsOfItems(db, objectKeys, items.map((i) => i.itemId), salesforceIds);
  const busy = await busyAmong(db, records.map((r) => r.id));
  const busyRecords = records.filter((r) => busy.has(r.id));
  const busyItems = new Set(busyRecords.map((r) => r.mondayItemId));
  // The Salesforce Id column names a record only among the boards' objects.
  const busySalesforceIds = new Set(busyRecords.filter((r) => objectKeys.includes(r.objectKey)).map((r) => r.salesforceId));
  return new Set(items.filter((i) => busyItems.has(i.itemId) || (salesforceIdOf(i) !== null && busySalesforceIds.has(salesforceIdOf(i)))).map((i) => i.itemId));
}
