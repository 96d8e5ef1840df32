import type { MergeRequested, RecordedEvent } from '../../src/event-store';
import { decide, recordKeysOf } from '../../src/sync-projector/decide';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { groupForDispatch } from '../../src/outbox/batch-groups';
import { commandStream } from '../../src/outbox/result-events';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import { newRecord, type SyncRecord } from '../../src/sync-projector/sync-record';
import { EmailUserDirectory } from '../../src/sync-projector/user-directory';
import { exampleResolvedMapping } from '../support/sandbox-schemas';

const ACCOUNTS = '9378000512';
const OPPORTUNITIES = '9378000526';
const CONTACTS = '9378000519';
const MASTER = '001000000000001AAA';

function mergeRequested(overrides: Partial<MergeRequested> = {}): RecordedEvent {
  const payload: MergeRequested = {
    clusterId: 'dup-0123456789ab',
    objectKey: 'account',
    salesforceObject: 'Account',
    boardId: ACCOUNTS,
    master: { crm: 'salesforce', id: MASTER },
    masterRecordId: MASTER,
    masterItemId: '700',
    salesforceMerges: [
      { masterId: MASTER, mergeIds: ['001000000000002AAA', '001000000000003AAA'], masterFields: { BillingCity: 'Portland' } },
      { masterId: MASTER, mergeIds: ['001000000000004AAA'], masterFields: {} },
    ],
    itemsFollowingMerge: ['702'],
    mondayLosers: ['705', '706'],
    repoints: [{ objectKey: 'opportunity', boardId: OPPORTUNITIES, itemId: '900', column: 'account', linkedItemIds: ['700'] }],
    deletePolicy: 'archive',
    requestedVia: 'cli',
    ...overrides,
  };
  return {
    type: 'system.merge_requested',
    source: 'system',
    payload,
    sourceEventId: 'merge:dup-0123456789ab:1',
    stream: `salesforce:Account:${MASTER}`,
    origin: 'user',
    occurredAt: new Date(5_000),
    position: 42,
    transactionId: '1',
    recordedAt: new Date(5_000),
  } as RecordedEvent;
}

describe('a duplicate merge request, decided (pure)', () => {
  const mapping = exampleResolvedMapping();
  const context: SyncContext = { mapping, links: new LinkIndex(), users: new EmailUserDirectory() };
  const master = (): SyncRecord => ({ ...newRecord('account', ACCOUNTS, { salesforceId: MASTER, mondayItemId: '700' }), id: 7 });

  it('concerns the master record, by its Salesforce Id and its item', () => {
    expect(recordKeysOf(mergeRequested(), context)).toEqual([{ objectKey: 'account', salesforceId: MASTER }, { mondayItemId: '700' }]);
  });

  it('queues on the master: one merge() per master + up to two others, a run-time re-pointing per board that looks the object up, then the delete policy for item-only losers; nothing for items of merged records', () => {
    const result = decide(master(), mergeRequested(), context);
    expect(result.outcome).toEqual({ outcome: 'projected', reason: 'merge_requested', detail: { clusterId: 'dup-0123456789ab', commands: 6 } });
    expect(result.record?.id).toBe(7);
    expect(result.commands).toEqual([
      { kind: 'salesforce.merge', target: 'salesforce', objectKey: 'account', salesforceObject: 'Account', clusterId: 'dup-0123456789ab', masterId: MASTER, mergeIds: ['001000000000002AAA', '001000000000003AAA'], masterFields: { BillingCity: 'Portland' } },
      { kind: 'salesforce.merge', target: 'salesforce', objectKey: 'account', salesforceObject: 'Account', clusterId: 'dup-0123456789ab', masterId: MASTER, mergeIds: ['001000000000004AAA'], masterFields: {} },
      // One re-pointing per board that looks accounts up, read when it runs (not the plan's repoints).
      { kind: 'monday.repoint_relations', target: 'monday', objectKey: 'opportunity', boardId: OPPORTUNITIES, columns: ['account'], mergedItemIds: ['705', '706'], masterItemId: '700', clusterId: 'dup-0123456789ab' },
      { kind: 'monday.repoint_relations', target: 'monday', objectKey: 'contact', boardId: CONTACTS, columns: ['account'], mergedItemIds: ['705', '706'], masterItemId: '700', clusterId: 'dup-0123456789ab' },
      { kind: 'monday.archive_item', target: 'monday', objectKey: 'account', boardId: ACCOUNTS, itemId: '705', merge: { clusterId: 'dup-0123456789ab', mergedInto: { crm: 'monday', id: '700' } } },
      { kind: 'monday.archive_item', target: 'monday', objectKey: 'account', boardId: ACCOUNTS, itemId: '706', merge: { clusterId: 'dup-0123456789ab', mergedInto: { crm: 'monday', id: '700' } } },
    ]);
    expect(result.commands.some((c) => 'itemId' in c && c.itemId === '702')).toBe(false);
  });

  it('the delete policy decides: delete deletes, none keeps every merged-away item with a note naming the master (relations are still re-pointed)', () => {
    expect(decide(master(), mergeRequested({ deletePolicy: 'delete' }), context).commands.filter((c) => c.kind === 'monday.delete_item').map((c) => 'itemId' in c && c.itemId)).toEqual(['705', '706']);
    const kept = decide(master(), mergeRequested({ deletePolicy: 'none' }), context).commands;
    expect(kept.map((c) => c.kind)).toEqual(['salesforce.merge', 'salesforce.merge', 'monday.repoint_relations', 'monday.repoint_relations', 'monday.note_merged', 'monday.note_merged', 'monday.note_merged']);
    const merge = { clusterId: 'dup-0123456789ab', mergedInto: { crm: 'monday', id: '700' } };
    expect(kept.filter((c) => c.kind === 'monday.note_merged')).toEqual(
      ['702', '705', '706'].map((itemId) => ({ kind: 'monday.note_merged', target: 'monday', objectKey: 'account', boardId: ACCOUNTS, itemId, merge })),
    );
  });

  it('no item of its own to remove, or no master item: nothing to re-point', () => {
    expect(decide(master(), mergeRequested({ mondayLosers: [] }), context).commands.some((c) => c.kind === 'monday.repoint_relations')).toBe(false);
    expect(decide(master(), mergeRequested({ masterItemId: null }), context).commands.some((c) => c.kind === 'monday.repoint_relations')).toBe(false);
  });

  it('a master the sync does not know, or deleted meanwhile, is refused with a reason and no command', () => {
    expect(decide(null, mergeRequested(), context)).toEqual({ record: null, commands: [], outcome: expect.objectContaining({ outcome: 'dead_lettered', reason: 'merge_master_not_synced' }) });
    const deleted = { ...master(), deleted: { side: 'salesforce' as const, at: 1 } };
    expect(decide(deleted, mergeRequested(), context)).toEqual(expect.objectContaining({ commands: [], outcome: expect.objectContaining({ reason: 'merge_master_deleted' }) }));
  });

  it('the dispatcher groups merges apart and records their outcome on the master', () => {
    const [merge] = decide(master(), mergeRequested(), context).commands;
    const claimed = { id: 1, recordId: 7, command: merge!, causedBy: 42, attempts: 1, dispatch: 1, progress: null, lastError: null, createdAt: new Date(0) };
    const groups = groupForDispatch([claimed as never]);
    expect(groups.salesforceMerges.map((c) => c.id)).toEqual([1]);
    expect(groups.invalid).toEqual([]);
    expect(commandStream(merge!)).toBe(`salesforce:Account:${MASTER}`);
    const followUps = decide(master(), mergeRequested({ deletePolicy: 'none' }), context).commands.filter((c) => c.kind === 'monday.repoint_relations' || c.kind === 'monday.note_merged');
    const claimedFollowUps = followUps.map((command, i) => ({ ...claimed, id: 10 + i, command }));
    expect(groupForDispatch(claimedFollowUps as never).mondayMergeFollowUps.map((c) => c.id)).toEqual(claimedFollowUps.map((c) => c.id));
    expect(followUps.map(commandStream)).toEqual(['monday:item:700', 'monday:item:700', 'monday:item:702', 'monday:item:705', 'monday:item:706']);
  });
});
