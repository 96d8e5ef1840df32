import { decide } from '../../src/sync-projector/decide';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import type { SyncRecord } from '../../src/sync-projector/sync-record';
import { contextWithDeletePolicy, creatingFromItem } from '../support/opportunity-delete-policy';
import { itemSnapshot, recordLinked, recorded } from '../support/sync-events';

const BOARD = '9378000526';
const ITEM = '601';
const OPP_ID = '006000000000002AAA';

const creating = (context: SyncContext): SyncRecord => creatingFromItem(context, BOARD, ITEM, 'Deleted while created');

const linkedToDeletedItem = (at: number) =>
  recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: BOARD, itemId: ITEM, via: 'created_salesforce_record', at, mondayItemDeletedAt: 2_000 });

/** The create's outcome when the item was already deleted before it was sent (nothing created). */
function createSettledItemDeleted(recordId: number): ReturnType<typeof recorded> {
  return recorded({
    type: 'system.command_succeeded',
    source: 'system',
    sourceEventId: 'command:1:1',
    stream: `monday:item:${ITEM}`,
    origin: 'unknown',
    occurredAt: new Date(3_000),
    payload: { commandId: 1, kind: 'salesforce.create', target: 'salesforce', recordId, written: {}, result: { mondayItemDeletedAt: 2_000 }, sentAt: 2_500 },
  });
}

describe('a monday item deleted while its Salesforce create ran (fault campaign seed 136, issue 20)', () => {
  it('the link reporting the deleted item applies delete: delete to the new record, before the delete webhook is seen', () => {
    const context = contextWithDeletePolicy('delete');
    const linked = decide(creating(context), linkedToDeletedItem(3_000), context);
    expect(linked.commands).toEqual([{ kind: 'salesforce.delete', target: 'salesforce', objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID }]);
    expect(linked.record).toMatchObject({ salesforceId: OPP_ID, deleted: { side: 'monday', at: 2_000 }, creating: null });
  });

  it('the delete webhook decided after that link deletes nothing twice', () => {
    const context = contextWithDeletePolicy('delete');
    const linked = decide(creating(context), linkedToDeletedItem(3_000), context);
    const webhook = recorded({
      type: 'monday.item_deleted',
      source: 'monday',
      sourceEventId: 'delete-601',
      stream: `monday:item:${ITEM}`,
      origin: 'user',
      occurredAt: new Date(2_000),
      payload: { type: 'delete_pulse', triggerTime: new Date(2_000).toISOString(), userId: 5001, triggerUuid: 'delete-601', boardId: Number(BOARD), itemId: Number(ITEM), itemName: 'gone' },
    } as Parameters<typeof recorded>[0]);
    expect(decide(linked.record, webhook, context).commands).toEqual([]);
  });

  it('delete: archive keeps the new Salesforce record (Salesforce has no archive) and writes nothing to the gone item', () => {
    const context = contextWithDeletePolicy('archive');
    const linked = decide(creating(context), linkedToDeletedItem(3_000), context);
    expect(linked.commands).toEqual([]);
    expect(linked.record?.deleted).toEqual({ side: 'monday', at: 2_000 });
  });

  it('deleted before the create was sent: the create ends, the item is tombstoned, and a restored item can be created again', () => {
    const context = contextWithDeletePolicy('archive');
    const record = { ...creating(context), id: 7 };
    const settled = decide(record, createSettledItemDeleted(7), context);
    expect(settled.commands).toEqual([]);
    expect(settled.record).toMatchObject({ creating: null, deleted: { side: 'monday', at: 2_000 }, salesforceId: null });
    const restored = decide(
      settled.record,
      recorded({
        type: 'monday.item_restored',
        source: 'monday',
        sourceEventId: 'restore-601',
        stream: `monday:item:${ITEM}`,
        origin: 'user',
        occurredAt: new Date(4_000),
        payload: { type: 'restore_pulse', triggerTime: new Date(4_000).toISOString(), userId: 5001, triggerUuid: 'restore-601', boardId: Number(BOARD), itemId: Number(ITEM), itemName: 'back' },
      } as Parameters<typeof recorded>[0]),
      context,
    );
    const readAgain = decide(restored.record, itemSnapshot(BOARD, ITEM, 'Deleted while created', { stage: 'Follow-up' }, 5_000), context);
    expect(readAgain.commands).toEqual([expect.objectContaining({ kind: 'salesforce.create' })]);
  });
});
