import { RecordBatch } from '../../src/sync-projector/record-batch';
import { newRecord, type SyncRecord } from '../../src/sync-projector/sync-record';

const record = (id: number | null, ids: { salesforceId?: string; mondayItemId?: string }, extra: Partial<SyncRecord> = {}): SyncRecord => ({ ...newRecord('lead', '100', ids), id, ...extra });
const version = (of: SyncRecord, extra: Partial<SyncRecord> = {}): SyncRecord => ({ ...of, fields: { ...of.fields }, ...extra });
const waitingOn = [{ fieldKey: 'account', towards: 'salesforce' as const, mondayValue: { linkedPulseIds: [] }, at: 1 }];

describe('RecordBatch: the records of one projector batch across their versions', () => {
  it('finds a record by each of its keys and reports a second record found by another key as the duplicate', () => {
    const byItem = record(1, { mondayItemId: 'i1' });
    const bySalesforce = record(2, { salesforceId: '00Q000000000001AAA' });
    const batch = new RecordBatch([byItem, bySalesforce]);
    expect(batch.find([{ recordId: 1 }]).record).toBe(byItem);
    expect(batch.find([{ objectKey: 'lead', salesforceId: '00Q000000000001AAA' }]).record).toBe(bySalesforce);
    expect(batch.find([{ objectKey: 'other', salesforceId: '00Q000000000001AAA' }]).record).toBeNull();
    expect(batch.find([{ mondayItemId: 'i1' }, { objectKey: 'lead', salesforceId: '00Q000000000001AAA' }])).toEqual({ record: byItem, duplicate: bySalesforce });
    expect(batch.changed()).toEqual([]);
  });

  it('keeps the latest version of a record, listed once in changed() in the order records last changed', () => {
    const a = record(1, { mondayItemId: 'a' });
    const b = record(2, { mondayItemId: 'b' });
    const batch = new RecordBatch([a, b]);
    const a2 = version(a);
    batch.find([{ mondayItemId: 'a' }]);
    batch.put(a2, a);
    const b2 = version(b);
    batch.put(b2, b);
    const a3 = version(a2);
    batch.put(a3, a2);
    expect(batch.changed()).toEqual([b2, a3]);
    expect(batch.changed()[1]).toBe(a3);
    expect(batch.find([{ recordId: 1 }]).record).toBe(a3);
    expect(batch.latest(a)).toBe(a3);
    expect(batch.supersedes(a)).toBe(true);
    expect(batch.supersedes(record(3, {}))).toBe(false);
  });

  it('indexes a version under its new keys: a created record found by its id once given, a link found by both ids', () => {
    const batch = new RecordBatch([]);
    const created = record(null, { mondayItemId: 'i9' });
    batch.put(created);
    expect(batch.idOf(version(created))).toBeNull();
    created.id = 42;
    batch.put(created);
    expect(batch.find([{ recordId: 42 }]).record).toBe(created);
    expect(batch.changed()).toEqual([created]);
    const linked = version(created, { salesforceId: '00Q000000000009AAA' });
    batch.put(linked, created);
    expect(batch.find([{ objectKey: 'lead', salesforceId: '00Q000000000009AAA' }]).record).toBe(linked);
    expect(batch.find([{ mondayItemId: 'i9' }]).record).toBe(linked);
    expect(batch.changed()).toEqual([linked]);
  });

  it('replaces a record whose key another version takes, and retires a merged one for good', () => {
    const byItem = record(1, { mondayItemId: 'i1' });
    const bySalesforce = record(2, { salesforceId: '00Q000000000001AAA' });
    const batch = new RecordBatch([byItem, bySalesforce]);
    const merged = version(byItem, { salesforceId: '00Q000000000001AAA' });
    batch.retire(bySalesforce);
    batch.put(merged, byItem);
    expect(batch.find([{ objectKey: 'lead', salesforceId: '00Q000000000001AAA' }]).record).toBe(merged);
    expect(batch.find([{ recordId: 2 }]).record).toBeNull();
    expect(batch.retiredIds()).toEqual([2]);
    expect(batch.supersedes(bySalesforce)).toBe(true);
    expect(batch.changed()).toEqual([merged]);

    // A new record under a key an unchanged one holds replaces it: it is neither found nor changed.
    const other = record(3, { mondayItemId: 'i3' });
    batch.load([other]);
    const taker = record(4, { mondayItemId: 'i3' });
    batch.put(taker);
    expect(batch.find([{ recordId: 3 }]).record).toBeNull();
    expect(batch.changed()).toEqual([merged, taker]);
  });

  it('a new version of a record that lost one of its keys to a record loaded later is stored under all its keys again', () => {
    const a = record(1, { mondayItemId: 'a' });
    const batch = new RecordBatch([a]);
    // Loaded later under the same item id: the item id now names it, the stored id still names a.
    const loaded = record(3, { mondayItemId: 'a' });
    batch.load([loaded]);
    expect(batch.find([{ mondayItemId: 'a' }]).record).toBe(loaded);
    expect(batch.find([{ recordId: 1 }]).record).toBe(a);
    const a2 = version(a);
    batch.put(a2, a);
    expect(batch.find([{ mondayItemId: 'a' }]).record).toBe(a2);
    expect(batch.find([{ recordId: 3 }]).record).toBeNull();
    expect(batch.changed()).toEqual([a2]);
  });

  it('lists the records waiting for a link as their latest versions, and drops those no longer waiting', () => {
    const a = record(1, { mondayItemId: 'a' }, { waiting: waitingOn });
    const b = record(2, { mondayItemId: 'b' });
    const batch = new RecordBatch([a, b]);
    expect(batch.waitingRecords()).toEqual([a]);
    const b2 = version(b, { waiting: waitingOn });
    batch.put(b2, b);
    const a2 = version(a, { waiting: [] });
    batch.put(a2, a);
    expect(batch.waitingRecords()).toEqual([b2]);
  });
});
