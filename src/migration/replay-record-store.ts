import { keyOf, keysOfRecord } from '../projectors/sync-projector';
import type { SyncRecord } from '../projectors/sync-record';

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
  private readonly idByKey = new Map<string, number>();
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

  /** The records known for `keys`, and the keys this store has no record for. */
  find(keys: RecordKeys): { records: SyncRecord[]; missing: RecordKeys } {
    const found = new Map<number, SyncRecord>();
    const missing: RecordKeys = { itemIds: [], salesforce: [], recordIds: [] };
    const look = (key: string): boolean => {
      const id = this.idByKey.get(key);
      const record = id === undefined ? undefined : this.records.get(id);
      if (record) found.set(record.id as number, record);
      return record !== undefined;
    };
    for (const mondayItemId of keys.itemIds) if (!look(keyOf({ mondayItemId }))) missing.itemIds.push(mondayItemId);
    for (const key of keys.salesforce) if (!look(keyOf(key))) missing.salesforce.push(key);
    for (const recordId of keys.recordIds) if (!look(keyOf({ recordId }))) missing.recordIds.push(recordId);
    return { records: [...found.values()], missing };
  }

  /** Stores the new version of a record (it has its id). */
  put(record: SyncRecord): void {
    const id = record.id as number;
    const previous = this.records.get(id);
    if (previous) this.unindex(previous);
    this.records.delete(id);
    this.records.set(id, record);
    for (const key of keysOfRecord(record)) this.idByKey.set(key, id);
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
    for (const key of keysOfRecord(record)) if (this.idByKey.get(key) === record.id) this.idByKey.delete(key);
  }
}
