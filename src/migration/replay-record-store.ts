import type { RecordKey } from '../sync-projector/decide';
import type { SyncRecord } from '../sync-projector/sync-record';

export interface RecordKeys {
  itemIds: string[];
  salesforce: Array<{ objectKey: string; salesforceId: string }>;
  recordIds: number[];
}

/**
 * The records a replay has rebuilt so far, in memory and findable by any of their keys, at most
 * `maxRecords` of them (plus those changed since the last flush and those waiting for a link,
 * which are never dropped). Beyond that, the least recently changed records already written are
 * dropped and read back from sync_records when an event concerns them again. Nothing else writes
 * sync_records during a replay, so a key this store never dropped and does not know has no record.
 */
export class ReplayRecordStore {
  /** By id, least recently changed first. */
  private readonly records = new Map<number, SyncRecord>();
  /** Ids by item id, and by object key then Salesforce id: no key string built per look-up (one per event and page). */
  private readonly idByItem = new Map<string, number>();
  private readonly idBySalesforce = new Map<string, Map<string, number>>();
  private readonly waitingIds = new Set<number>();
  private readonly retiredIds = new Set<number>();
  private dropped = false;

  constructor(private readonly maxRecords: number) {}

  get size(): number {
    return this.records.size;
  }

  /** Whether records were dropped, so a key not found here may still have a record in sync_records. */
  get mayMiss(): boolean {
    return this.dropped;
  }

  /** The record known by `key`, if this store holds it. */
  get(key: NonNullable<RecordKey>): SyncRecord | undefined {
    let id: number | undefined;
    if ('mondayItemId' in key) id = this.idByItem.get(key.mondayItemId);
    else if ('salesforceId' in key) id = this.idBySalesforce.get(key.objectKey)?.get(key.salesforceId);
    else id = key.recordId;
    return id === undefined ? undefined : this.records.get(id);
  }

  /** Stores the new version of a record (it has its id). */
  put(record: SyncRecord): void {
    const id = record.id as number;
    const previous = this.records.get(id);
    if (previous) this.unindex(previous);
    this.records.delete(id);
    this.records.set(id, record);
    if (record.mondayItemId !== null) this.idByItem.set(record.mondayItemId, id);
    if (record.salesforceId !== null) {
      let ids = this.idBySalesforce.get(record.objectKey);
      if (!ids) this.idBySalesforce.set(record.objectKey, (ids = new Map()));
      ids.set(record.salesforceId, id);
    }
    if (record.waiting.length > 0) this.waitingIds.add(id);
    else this.waitingIds.delete(id);
  }

  /** A record merged into another (a link joined two records of one pair): gone for good. */
  retire(id: number): void {
    const record = this.records.get(id);
    if (record) this.unindex(record);
    this.records.delete(id);
    this.waitingIds.delete(id);
    this.retiredIds.add(id);
  }

  /** Records read back from sync_records; a version this store holds, or a retired record, is newer than the table's. */
  addStored(records: SyncRecord[]): SyncRecord[] {
    const added = records.filter((r) => !this.records.has(r.id as number) && !this.retiredIds.has(r.id as number));
    for (const record of added) this.put(record);
    return added;
  }

  waitingRecords(): SyncRecord[] {
    return [...this.waitingIds].map((id) => this.records.get(id) as SyncRecord);
  }

  /**
   * Drops the least recently changed records beyond `maxRecords`. Call only when every change not
   * in `unwritten` is committed: a dropped record is read back from the table.
   */
  dropWritten(unwritten: ReadonlySet<number>): void {
    if (this.records.size <= this.maxRecords) return;
    for (const [id, record] of this.records) {
      if (this.records.size <= this.maxRecords) break;
      if (unwritten.has(id) || this.waitingIds.has(id)) continue;
      this.unindex(record);
      this.records.delete(id);
      this.dropped = true;
    }
  }

  private unindex(record: SyncRecord): void {
    const id = record.id as number;
    if (record.mondayItemId !== null && this.idByItem.get(record.mondayItemId) === id) this.idByItem.delete(record.mondayItemId);
    if (record.salesforceId === null) return;
    const ids = this.idBySalesforce.get(record.objectKey);
    if (ids?.get(record.salesforceId) === id) ids.delete(record.salesforceId);
  }
}
