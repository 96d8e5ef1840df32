import type { ResolvedMapping } from '../../src/mapping/resolved-mapping';
import { decide } from '../../src/sync-projector/decide';
import { LinkIndex } from '../../src/sync-projector/link-index';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import type { SyncRecord } from '../../src/sync-projector/sync-record';
import { EmailUserDirectory } from '../../src/sync-projector/user-directory';
import { exampleResolvedMapping } from '../support/sandbox-schemas';
import { itemSnapshot, recordLinked } from '../support/sync-events';

const BOARD = '9378000526';
const ITEM = '605';
const OPP_ID = '006000000000605AAA';

function contextWithDeletePolicy(policy: 'delete' | 'archive' | 'none'): SyncContext {
  const mapping: ResolvedMapping = exampleResolvedMapping();
  const opportunity = mapping.byKey.get('opportunity');
  if (!opportunity) throw new Error('the example mapping has no opportunity');
  opportunity.mapping = { ...opportunity.mapping, delete: policy };
  return { mapping, links: new LinkIndex(), users: new EmailUserDirectory() };
}

/** The unknown item is read and a Salesforce create decided for it. */
function creating(context: SyncContext): SyncRecord {
  const read = decide(null, itemSnapshot(BOARD, ITEM, 'Names a deleted record', { stage: 'Follow-up' }, 1_000), context);
  expect(read.commands).toEqual([expect.objectContaining({ kind: 'salesforce.create' })]);
  return read.record as SyncRecord;
}

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
