import { decide } from '../../src/sync-projector/decide';
import { LinkIndex } from '../../src/sync-projector/link-index';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import type { SyncRecord } from '../../src/sync-projector/sync-record';
import { EmailUserDirectory } from '../../src/sync-projector/user-directory';
import { exampleResolvedMapping } from '../support/sandbox-schemas';
import { recordLinked, salesforceChanged } from '../support/sync-events';

const OPP_ID = '006000000000001AAA';

describe('a tombstone found at link time applies the delete policy (issue 14)', () => {
  const context: SyncContext = { mapping: exampleResolvedMapping(), links: new LinkIndex(), users: new EmailUserDirectory() };

  it('a record deleted in Salesforce while our item create was on its way: the link archives the new item (delete: archive) and writes nothing else to it', () => {
    const created = decide(null, salesforceChanged({ object: 'Opportunity', id: OPP_ID, changeType: 'CREATE', fields: { Name: 'Gone', StageName: 'Follow-up' }, at: 1_000 }), context);
    expect(created.commands).toEqual([expect.objectContaining({ kind: 'monday.create_item' })]);
    const deleted = decide(created.record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, changeType: 'DELETE', fields: {}, at: 2_000 }), context);
    expect(deleted.commands).toEqual([]);
    const linked = decide(
      deleted.record as SyncRecord,
      recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: '9378000526', itemId: '501', via: 'created_monday_item', values: { __name__: 'Gone' }, at: 3_000 }),
      context,
    );
    expect(linked.commands).toEqual([{ kind: 'monday.archive_item', target: 'monday', objectKey: 'opportunity', boardId: '9378000526', itemId: '501' }]);
    expect(linked.record?.deleted).toEqual({ side: 'salesforce', at: 2_000 });

    // The same link again (a retried create finding its item) removes nothing twice.
    expect(decide(linked.record, recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: '9378000526', itemId: '501', at: 4_000 }), context).commands).toEqual([]);
  });
});
