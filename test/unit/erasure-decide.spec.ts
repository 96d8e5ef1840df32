import { randomUUID } from 'node:crypto';
import { decide, recordKeysOf } from '../../src/sync-projector/decide';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { decideEvents, RecordBatch } from '../../src/sync-projector/sync-projector';
import { EmailUserDirectory } from '../../src/sync-projector/user-directory';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import type { SyncRecord } from '../../src/sync-projector/sync-record';
import type { RecordedEvent } from '../../src/event-store';
import { exampleResolvedMapping } from '../support/sandbox-schemas';
import { itemSnapshot, recordLinked, recorded } from '../support/sync-events';

const OPPORTUNITY_BOARD = '9378000526';
const OPP_ID = '006000000000001AAA';

function erased(itemId: string): RecordedEvent {
  return recorded({
    type: 'system.personal_data_erased',
    source: 'system',
    sourceEventId: `erasure:${randomUUID()}`,
    stream: 'system:personal-data',
    origin: 'user',
    occurredAt: new Date(3_000),
    payload: { subjects: [`monday:${itemId}`, `record:1`, `salesforce:${OPP_ID}`], keysDestroyed: 3, via: 'monday' },
  });
}

function salesforceSnapshot(fields: Record<string, unknown>, at: number): RecordedEvent {
  return recorded({
    type: 'salesforce.record_snapshot',
    source: 'salesforce',
    sourceEventId: randomUUID(),
    stream: `salesforce:Opportunity:${OPP_ID}`,
    origin: 'unknown',
    occurredAt: new Date(at),
    payload: { object: 'Opportunity', record: { Id: OPP_ID, ...fields }, systemModstamp: new Date(at).toISOString(), reason: 'catch_up' },
  });
}

function catchUp(event: RecordedEvent): RecordedEvent {
  return { ...event, payload: { ...(event.payload as object), reason: 'catch_up' } } as RecordedEvent;
}

describe('decide after crm-sync erase (issue 19: no erased value written to either CRM)', () => {
  const mapping = exampleResolvedMapping();
  let context: SyncContext;
  let links: LinkIndex;
  beforeEach(() => {
    links = new LinkIndex();
    links.add('opportunity', OPP_ID, '501');
    context = { mapping, links, users: new EmailUserDirectory() };
  });

  /** A linked opportunity after erase: its personal field states (the item name) cleared, as erase-person does, then the erasure read by the sync. */
  function erasedOpportunity(): SyncRecord {
    const linked = decide(null, recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', values: { __name__: 'Ann Smith', stage: 'Follow-up' } }), context).record as SyncRecord;
    const { __name__: _cleared, ...rest } = linked.fields;
    const cleared: SyncRecord = { ...linked, id: 1, fields: rest };
    expect(recordKeysOf(erased('501'), context)).toEqual([{ mondayItemId: '501' }]);
    const result = decide(cleared, erased('501'), context);
    expect(result.commands).toEqual([]);
    return result.record as SyncRecord;
  }

  it('a monday catch-up snapshot of the item is a baseline: nothing of it is sent to Salesforce', () => {
    const record = erasedOpportunity();
    const read = decide(record, catchUp(itemSnapshot(OPPORTUNITY_BOARD, '501', 'Ann Smith', { stage: 'Follow-up' }, 4_000)), context);
    expect(read.commands).toEqual([]);
    // Nor a later Salesforce snapshot holding another name: it is what Salesforce holds, not news.
    const salesforce = decide(read.record, salesforceSnapshot({ Name: 'Ann Smith-Jones', StageName: 'Follow-up' }, 4_500), context);
    expect(salesforce.commands).toEqual([]);
    expect(salesforce.record?.fields.__name__).toMatchObject({ erased: true, monday: { value: 'Ann Smith' }, salesforce: { value: 'Ann Smith-Jones' } });
  });

  it('a non-personal field changed on the snapshot still syncs', () => {
    const record = erasedOpportunity();
    const read = decide(record, catchUp(itemSnapshot(OPPORTUNITY_BOARD, '501', 'Ann Smith', { stage: 'Quote' }, 4_000)), context);
    expect(read.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'Quote' } })]);
  });

  it('a name a person types after the erasure is new data and syncs once', () => {
    const record = erasedOpportunity();
    const read = decide(record, catchUp(itemSnapshot(OPPORTUNITY_BOARD, '501', 'Ann Smith', { stage: 'Follow-up' }, 4_000)), context).record as SyncRecord;
    const renamed = recorded({
      type: 'monday.item_renamed',
      source: 'monday',
      sourceEventId: randomUUID(),
      stream: 'monday:item:501',
      origin: 'user',
      occurredAt: new Date(5_000),
      payload: { boardId: Number(OPPORTUNITY_BOARD), pulseId: 501, itemId: 501, value: { name: 'Bea Jones' }, previousValue: { name: 'Ann Smith' }, changedAt: 5 },
    } as never);
    const result = decide(read, renamed, context);
    expect(result.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { Name: 'Bea Jones' } })]);
    expect(result.record?.fields.__name__.erased).toBeUndefined();
    // Salesforce then read holding it: nothing more.
    const after = decide(result.record, salesforceSnapshot({ Name: 'Bea Jones', StageName: 'Follow-up' }, 6_000), context);
    expect(after.commands).toEqual([]);
  });

  it('one erasure of a person with two items marks the record of each (not only the first item\'s)', async () => {
    const SECOND_OPP = '006000000000002AAA';
    links.add('opportunity', SECOND_OPP, '502');
    const link = (salesforceId: string, itemId: string, id: number): SyncRecord => ({
      ...(decide(null, recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId, boardId: OPPORTUNITY_BOARD, itemId, values: { __name__: 'Ann Smith', stage: 'Follow-up' } }), context).record as SyncRecord),
      id,
    });
    const batch = new RecordBatch([link(OPP_ID, '501', 1), link(SECOND_OPP, '502', 2)]);
    const event = recorded({
      type: 'system.personal_data_erased',
      source: 'system',
      sourceEventId: `erasure:${randomUUID()}`,
      stream: 'system:personal-data',
      origin: 'user',
      occurredAt: new Date(3_000),
      payload: { subjects: ['monday:501', 'monday:502', 'record:1', 'record:2', `salesforce:${OPP_ID}`, `salesforce:${SECOND_OPP}`], keysDestroyed: 6, via: 'email' },
    });
    const { commands, decisions } = await decideEvents([event], batch, context, links, async () => []);
    expect(commands).toEqual([]);
    // Each record decided on its own: two decision rows, neither record merged into the other.
    expect(decisions.map((d) => [d.record?.mondayItemId, d.outcome.reason])).toEqual([
      ['501', 'personal_data_erased'],
      ['502', 'personal_data_erased'],
    ]);
    const changed = batch.changed();
    expect(changed.map((r) => [r.id, r.mondayItemId, r.salesforceId, r.fields.__name__?.erased])).toEqual([
      [1, '501', OPP_ID, true],
      [2, '502', SECOND_OPP, true],
    ]);
    expect(batch.retiredIds()).toEqual([]);
  });

  it('reconcile --fix snapshots of an erased field are a baseline too: no repair writes it to either CRM', () => {
    const record = erasedOpportunity();
    const reconcile = (event: RecordedEvent): RecordedEvent => ({ ...event, payload: { ...(event.payload as object), reason: 'reconcile' } }) as RecordedEvent;
    // Reconcile carries only the drifting fields (a monday snapshot always the item name).
    const monday = decide(record, reconcile(itemSnapshot(OPPORTUNITY_BOARD, '501', 'Ann Smith', {}, 4_000)), context);
    expect(monday.commands).toEqual([]);
    const salesforce = decide(monday.record, reconcile(salesforceSnapshot({ Name: 'Ann Smith-Jones' }, 4_500)), context);
    expect(salesforce.commands).toEqual([]);
    expect(salesforce.record?.fields.__name__).toMatchObject({ erased: true, monday: { value: 'Ann Smith' }, salesforce: { value: 'Ann Smith-Jones' } });
    // A drifting non-personal field carried with the name is still repaired (reconcile found it off on Salesforce).
    const drift = decide(salesforce.record, reconcile(itemSnapshot(OPPORTUNITY_BOARD, '501', 'Ann Smith', { stage: 'Follow-up' }, 5_000)), context);
    expect(drift.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'Follow-up' } })]);
    // The repair names only what it writes: not the erased name (the command builders leave it out as a last guard).
    expect(drift.outcome).toMatchObject({ reason: 'reconcile_repair', detail: { salesforce: ['stage'], monday: [] } });
  });
});
