import { decide } from '../../src/sync-projector/decide';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import type { SyncRecord } from '../../src/sync-projector/sync-record';
import { contextWithDeletePolicy, creatingFromItem } from '../support/opportunity-delete-policy';
import { recordLinked } from '../support/sync-events';

const BOARD = '9378000526';
const ITEM = '605';
const OPP_ID = '006000000000605AAA';

const creating = (context: SyncContext): SyncRecord => creatingFromItem(context, BOARD, ITEM, 'Names a deleted record');

/** The create found the item's Id column naming a record in the recycle bin: linked to it, deleted. */
const linkedToDeletedRecord = () =>
  recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: BOARD, itemId: ITEM, via: 'salesforce_id_column', at: 3_000, salesforceRecordDeletedAt: 2_000 });

describe('a Salesforce create whose item names a deleted record (fault campaign seed 605, issue 20)', () => {
  it.each([
    ['delete', 'monday.delete_item'],
    ['archive', 'monday.archive_item'],
  ] as const)('the link tombstones the Salesforce side and applies delete: %s to the item, writing nothing else', (policy, kind) => {
    const context = contextWithDeletePolicy(policy);
    const linked = decide(creating(context), linkedToDeletedRecord(), context);
    expect(linked.commands).toEqual([{ kind, target: 'monday', objectKey: 'opportunity', boardId: BOARD, itemId: ITEM }]);
    expect(linked.record).toMatchObject({ salesforceId: OPP_ID, mondayItemId: ITEM, deleted: { side: 'salesforce', at: 2_000 }, creating: null });
  });

  it('with delete: none the item is left alone, but the record stays tombstoned (nothing is created or written)', () => {
    const context = contextWithDeletePolicy('none');
    const linked = decide(creating(context), linkedToDeletedRecord(), context);
    expect(linked.commands).toEqual([]);
    expect(linked.record).toMatchObject({ deleted: { side: 'salesforce', at: 2_000 }, creating: null });
  });
});
