import type { RecordHistory } from '../../src/admin/record-history';
import { recordHistoryView } from '../../src/console/views/records';

const record = (waiting: NonNullable<RecordHistory['record']>['waiting']): RecordHistory => ({
  record: { id: 7, objectKey: 'opportunity', salesforceId: '006000000000001AAA', mondayBoardId: '9378000526', mondayItemId: '501', deletedSide: null, waiting },
  events: [],
  mergedInto: null,
  commands: [],
});

describe('the console shows what a record waits for', () => {
  const names = new Map([['owner', 'OwnerId ⇄ Owner'], ['account', 'AccountId ⇄ Account']]);

  it('names each waiting value, where it goes and what it waits for', () => {
    const page = recordHistoryView(
      record([
        { field: 'owner', towards: 'salesforce', waitsFor: 'user', since: '2026-12-07T21:00:00.000Z' },
        { field: 'account', towards: 'monday', waitsFor: 'link', since: '2026-12-07T21:01:00.000Z' },
      ]),
      {},
      names,
    ).toString();
    expect(page).toContain('id="record-waiting"');
    expect(page).toContain('OwnerId ⇄ Owner to salesforce, for the user directory to know the person (since 2026-12-07T21:00:00.000Z)');
    expect(page).toContain('AccountId ⇄ Account to monday, for the related record to be linked');
  });

  it('says nothing when nothing waits', () => {
    expect(recordHistoryView(record([]), {}, names).toString()).not.toContain('record-waiting');
  });
});
