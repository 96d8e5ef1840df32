import { groupForDispatch } from '../../src/outbox/batch-groups';
import type { ClaimedCommand } from '../../src/outbox/claim';
import type { OutboxCommand } from '../../src/sync-commands/outbox-command';

let nextId = 1;
const claimed = (command: OutboxCommand): ClaimedCommand => ({ id: nextId++, recordId: nextId, command, causedBy: 1, attempts: 1, dispatch: 1, progress: null, lastError: null, createdAt: new Date(0) });
const update = (object: string): OutboxCommand => ({ kind: 'salesforce.update', target: 'salesforce', objectKey: object, salesforceObject: object, salesforceId: '00Q000000000001AAA', fields: { A: 1 } });
const change = (boardId: string): OutboxCommand => ({ kind: 'monday.change_columns', target: 'monday', objectKey: 'x', boardId, itemId: '1', columnValues: {}, createLabelsIfMissing: false });

describe('grouping a claimed batch for dispatch', () => {
  it('puts Salesforce updates of one object together (one collection per 200) and monday writes per board', () => {
    const batch = [update('Lead'), update('Contact'), update('Lead'), change('1'), change('2'), change('1'), { ...change('1'), kind: 'monday.archive_item' } as OutboxCommand].map(claimed);
    const groups = groupForDispatch(batch);
    expect([...groups.salesforceUpdates.keys()].sort()).toEqual(['Contact', 'Lead']);
    expect(groups.salesforceUpdates.get('Lead')?.map((c) => c.id)).toEqual([batch[0].id, batch[2].id]);
    expect(groups.mondayWrites.get('1')?.map((c) => c.command.kind)).toEqual(['monday.change_columns', 'monday.change_columns', 'monday.archive_item']);
    expect(groups.mondayWrites.get('2')).toHaveLength(1);
  });

  it('keeps claim order inside a group whatever order the claim returned', () => {
    const [a, b] = [update('Lead'), update('Lead')].map(claimed);
    expect(groupForDispatch([b, a]).salesforceUpdates.get('Lead')?.map((c) => c.id)).toEqual([a.id, b.id]);
  });

  it('sends creates per object or board, conversions and refreshes on their own, and refuses unknown kinds', () => {
    const batch = [
      { kind: 'salesforce.create', target: 'salesforce', objectKey: 'lead', salesforceObject: 'Lead', boardId: '1', itemId: '2', salesforceIdColumn: 'sf', fields: {}, match: {} },
      { kind: 'monday.create_item', target: 'monday', objectKey: 'lead', boardId: '9', groupId: null, salesforceObject: 'Lead', salesforceId: '00Q000000000001AAA', name: 'n', columnValues: {}, createLabelsIfMissing: false },
      { kind: 'salesforce.convert_lead', target: 'salesforce', objectKey: 'lead', leadId: '00Q000000000001AAA', itemId: '2' },
      { kind: 'monday.refresh_item', target: 'monday', objectKey: 'lead', boardId: '9', itemId: '3' },
      { kind: 'salesforce.delete', target: 'salesforce', objectKey: 'lead', salesforceObject: 'Lead', salesforceId: '00Q000000000001AAA' },
      { kind: 'salesforce.teleport', target: 'salesforce', objectKey: 'lead' } as unknown as OutboxCommand,
    ].map((c) => claimed(c as OutboxCommand));
    const groups = groupForDispatch(batch);
    expect(groups.salesforceCreates.get('Lead')).toHaveLength(1);
    expect(groups.mondayCreates.get('9')).toHaveLength(1);
    expect(groups.leadConversions).toHaveLength(1);
    expect(groups.mondayRefreshes).toHaveLength(1);
    expect(groups.salesforceDeletes).toHaveLength(1);
    expect(groups.invalid.map((c) => c.id)).toEqual([batch[5].id]);
  });
});
