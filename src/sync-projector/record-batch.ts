import type { RecordKey } from './decide';
import type { SyncRecord } from './sync-record';

/**
 * One record of a batch across its versions: decide returns a new object per decision, the slot
 * stays. The maps and sets below are keyed by slots and by the ids themselves, never by record
 * versions, so a new version costs no identity hash and no map insert (bench/replay: the
 * version-keyed maps were about 14% of replay's CPU).
 */
interface Slot {
  current: SyncRecord;
  /** The keys this slot is indexed under (as they were when it was indexed). */
  id: number | null;
  itemId: string | null;
  objectKey: string;
  salesforceId: string | null;
  /** False once replaced by another record under one of its keys, or retired. */
  live: boolean;
  /** Every key above names this slot (set when indexed, cleared when another slot takes one of them). */
  intact: boolean;
}

/**
 * The records of one batch, findable by any of their keys (item id, Salesforce id, stored id),
 * tracking which changed. Indexed: replay runs batches of thousands of events. Each key names at
 * most one record; a record stored under a key another record holds replaces that record.
 */
export class RecordBatch {
  private readonly byId = new Map<number, Slot>();
  private readonly byItem = new Map<string, Slot>();
  /** By object key, then Salesforce id (no key string per look-up). */
  private readonly bySalesforce = new Map<string, Map<string, Slot>>();
  /** Slots whose record has relations waiting for a link, in the order they last became so. */
  private readonly waiting = new Set<Slot>();
  /** Slots changed in this batch, in the order they last changed. */
  private readonly touched = new Set<Slot>();
  /** Stored ids of records merged into another in this batch. */
  private readonly retired = new Set<number>();
  /** The slot `find` found last: `put(record, previous)` right after it needs no look-up. */
  private lastFound: Slot | null = null;

  constructor(loaded: SyncRecord[]) {
    this.load(loaded);
  }

  /** Adds stored records the batch did not have (unchanged: not in changed()). */
  load(records: SyncRecord[]): void {
    for (const record of records) this.index(newSlot(record));
  }

  find(keys: RecordKey[]): { record: SyncRecord | null; duplicate: SyncRecord | null } {
    let found: Slot | null = null;
    let duplicate: SyncRecord | null = null;
    for (const key of keys) {
      const match = key ? this.slotOf(key) : undefined;
      if (!match) continue;
      if (found === null) found = match;
      else if (duplicate === null && match.current !== found.current) duplicate = match.current;
    }
    this.lastFound = found;
    // A link can join a record known only by its item with one known only by its Salesforce id.
    return { record: found?.current ?? null, duplicate };
  }

  /**
   * Stores `record` as the current version of the records sharing its keys. `previous`, the version
   * it was decided from, is a hint only: when it is still in the batch under exactly the same keys,
   * its slot takes the new version (same result as the general path, without re-indexing).
   */
  put(record: SyncRecord, previous?: SyncRecord | null): void {
    // The same object, changed in place (a caller owning its records, SyncContext.ownsRecords): its slot
    // takes it back as a new version when it is still indexed under the keys the record has now.
    const inPlace = previous === record && this.lastFound?.current === record && slotHasKeysOf(this.lastFound, record);
    if (previous && (inPlace || (previous !== record && sameKeys(previous, record)))) {
      const slot = this.lastFound?.current === previous ? this.lastFound : this.slotOfRecord(previous);
      if (slot && this.holdsAllKeys(slot)) {
        slot.current = record;
        this.waiting.delete(slot);
        if (record.waiting.length > 0) this.waiting.add(slot);
        this.touched.delete(slot);
        this.touched.add(slot);
        return;
      }
    }
    let same: Slot | null = null;
    for (const existing of this.slotsHolding(record)) {
      if (existing.current === record) same = existing;
      else {
        // A replaced version is no longer current, so changed() would skip it anyway; dropping it
        // here keeps a long batch from holding every version of every record.
        this.remove(existing);
        this.touched.delete(existing);
      }
    }
    if (same) {
      // The same object stored again (its id was just given): indexed under its keys as they are now.
      this.reindex(same);
      if (record.waiting.length > 0) this.waiting.add(same);
      this.touched.add(same);
      return;
    }
    const slot = newSlot(record);
    this.index(slot);
    this.touched.add(slot);
  }

  /**
   * Whether this batch's state replaces the stored version of `stored`: it holds a version of that
   * record (read or changed here), or merged it into another.
   */
  supersedes(stored: SyncRecord): boolean {
    return stored.id !== null && (this.byId.has(stored.id) || this.retired.has(stored.id));
  }

  retire(record: SyncRecord): void {
    const slot = this.slotOfRecord(record);
    if (slot) {
      this.remove(slot);
      this.touched.delete(slot);
    }
    if (record.id !== null) this.retired.add(record.id);
  }

  /** The stored id of `record` (decide returns copies: find the latest version of the same record). */
  idOf(record: SyncRecord): number | null {
    if (record.id !== null) return record.id;
    return this.latest(record)?.id ?? null;
  }

  /** This batch's latest version of `record`, found by its keys (null once merged away). */
  latest(record: SyncRecord): SyncRecord | null {
    const slot =
      (record.id !== null ? this.byId.get(record.id) : undefined) ??
      (record.mondayItemId !== null ? this.byItem.get(record.mondayItemId) : undefined) ??
      (record.salesforceId !== null ? this.bySalesforce.get(record.objectKey)?.get(record.salesforceId) : undefined);
    return slot?.current ?? null;
  }

  waitingRecords(): SyncRecord[] {
    const records: SyncRecord[] = [];
    for (const slot of this.waiting) records.push(slot.current);
    return records;
  }

  changed(): SyncRecord[] {
    const records: SyncRecord[] = [];
    for (const slot of this.touched) if (slot.live) records.push(slot.current);
    return records;
  }

  retiredIds(): number[] {
    return [...this.retired];
  }

  private slotOf(key: NonNullable<RecordKey>): Slot | undefined {
    if ('mondayItemId' in key) return this.byItem.get(key.mondayItemId);
    if ('salesforceId' in key) return this.bySalesforce.get(key.objectKey)?.get(key.salesforceId);
    return this.byId.get(key.recordId);
  }

  /** The live slot whose current version is `record`, found through one of its keys. */
  private slotOfRecord(record: SyncRecord): Slot | null {
    for (const slot of this.slotsHolding(record)) if (slot.current === record) return slot;
    return null;
  }

  /** The slots indexed under `record`'s keys, each once, in key order (id, item, Salesforce id). */
  private slotsHolding(record: SyncRecord): Slot[] {
    const slots: Slot[] = [];
    const add = (slot: Slot | undefined) => {
      if (slot && !slots.includes(slot)) slots.push(slot);
    };
    if (record.id !== null) add(this.byId.get(record.id));
    if (record.mondayItemId !== null) add(this.byItem.get(record.mondayItemId));
    if (record.salesforceId !== null) add(this.bySalesforce.get(record.objectKey)?.get(record.salesforceId));
    return slots;
  }

  /** Whether every key of the slot still names it (kept by index and remove: no look-up per put). */
  private holdsAllKeys(slot: Slot): boolean {
    return slot.live && slot.intact;
  }

  private index(slot: Slot): void {
    if (slot.current.waiting.length > 0) this.waiting.add(slot);
    if (slot.id !== null) claim(this.byId, slot.id, slot);
    if (slot.itemId !== null) claim(this.byItem, slot.itemId, slot);
    if (slot.salesforceId !== null) {
      let ids = this.bySalesforce.get(slot.objectKey);
      if (!ids) this.bySalesforce.set(slot.objectKey, (ids = new Map()));
      claim(ids, slot.salesforceId, slot);
    }
    slot.intact = true;
  }

  private reindex(slot: Slot): void {
    const record = slot.current;
    slot.id = record.id;
    slot.itemId = record.mondayItemId;
    slot.objectKey = record.objectKey;
    slot.salesforceId = record.salesforceId;
    this.index(slot);
  }

  private remove(slot: Slot): void {
    slot.live = false;
    this.waiting.delete(slot);
    if (slot.id !== null && this.byId.get(slot.id) === slot) this.byId.delete(slot.id);
    if (slot.itemId !== null && this.byItem.get(slot.itemId) === slot) this.byItem.delete(slot.itemId);
    if (slot.salesforceId === null) return;
    const ids = this.bySalesforce.get(slot.objectKey);
    if (ids?.get(slot.salesforceId) === slot) ids.delete(slot.salesforceId);
  }
}

function newSlot(record: SyncRecord): Slot {
  return { current: record, id: record.id, itemId: record.mondayItemId, objectKey: record.objectKey, salesforceId: record.salesforceId, live: true, intact: false };
}

/** Indexes `slot` under `key`; a slot the key named before no longer holds all its keys. */
function claim<K>(map: Map<K, Slot>, key: K, slot: Slot): void {
  const before = map.get(key);
  if (before !== undefined && before !== slot) before.intact = false;
  map.set(key, slot);
}

function slotHasKeysOf(slot: Slot, record: SyncRecord): boolean {
  return slot.id === record.id && slot.itemId === record.mondayItemId && slot.salesforceId === record.salesforceId && slot.objectKey === record.objectKey;
}

function sameKeys(a: SyncRecord, b: SyncRecord): boolean {
  return a.id === b.id && a.mondayItemId === b.mondayItemId && a.salesforceId === b.salesforceId && a.objectKey === b.objectKey;
}

export function keyOf(key: NonNullable<RecordKey>): string {
  if ('mondayItemId' in key) return `item:${key.mondayItemId}`;
  if ('salesforceId' in key) return `sf:${key.objectKey}:${key.salesforceId}`;
  return `id:${key.recordId}`;
}
