import { randomUUID } from 'node:crypto';
import type { MondayItemSnapshot, RecordedEvent } from '../../src/event-store';
import { decide } from '../../src/sync-projector/decide';
import { LinkIndex } from '../../src/sync-projector/link-index';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import type { SyncRecord } from '../../src/sync-projector/sync-record';
import { EmailUserDirectory } from '../../src/sync-projector/user-directory';
import { exampleResolvedMapping } from '../support/sandbox-schemas';
import { recordLinked, recorded } from '../support/sync-events';

const OPPORTUNITY_BOARD = '9378000526';
const LEAD_BOARD = '9378000505';
const OPP_ID = '006000000000001AAA';
const LEAD_ID = '00Q000000000001AAA';
const LINKED_AT = 1_000_000;

function mondaySnapshot(options: { boardId: string; itemId: string; name: string; columns: MondayItemSnapshot['columnValues']; updatedAt: number; state?: MondayItemSnapshot['state']; reason?: MondayItemSnapshot['reason'] }): RecordedEvent {
  return recorded({
    type: 'monday.item_snapshot',
    source: 'monday',
    sourceEventId: randomUUID(),
    stream: `monday:item:${options.itemId}`,
    origin: 'unknown',
    occurredAt: new Date(options.updatedAt),
    payload: {
      boardId: options.boardId,
      itemId: options.itemId,
      name: options.name,
      groupId: 'topics',
      state: options.state ?? 'active',
      updatedAt: new Date(options.updatedAt).toISOString(),
      columnValues: options.columns,
      reason: options.reason ?? 'reconcile',
    },
  });
}

function salesforceSnapshot(object: string, record: Record<string, unknown> & { Id: string }, modstamp: number): RecordedEvent {
  return recorded({
    type: 'salesforce.record_snapshot',
    source: 'salesforce',
    sourceEventId: randomUUID(),
    stream: `salesforce:${object}:${record.Id}`,
    origin: 'unknown',
    occurredAt: new Date(modstamp),
    payload: { object, record, systemModstamp: new Date(modstamp).toISOString(), reason: 'reconcile' },
  });
}

describe('reconcile snapshots in sync decide (pure)', () => {
  const mapping = exampleResolvedMapping();
  let context: SyncContext;
  beforeEach(() => {
    const links = new LinkIndex();
    links.add('opportunity', OPP_ID, '501');
    links.add('lead', LEAD_ID, '601');
    context = { mapping, links, users: new EmailUserDirectory() };
  });

  /** Both sides agree (as far as the sync knows): stage Follow-up, probability 60. */
  function linkedOpportunity(): SyncRecord {
    const link = recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', values: { stage: 'Follow-up', probability: 60, __name__: 'Deal' }, at: LINKED_AT });
    return decide(null, link, context).record as SyncRecord;
  }

  function linkedLead(): SyncRecord {
    const link = recordLinked({ objectKey: 'lead', salesforceObject: 'Lead', salesforceId: LEAD_ID, boardId: LEAD_BOARD, itemId: '601', values: { lead_status: 'Working - Contacted', __name__: 'Acme' }, at: LINKED_AT });
    return decide(null, link, context).record as SyncRecord;
  }

  it('a Salesforce snapshot of a Salesforce-owned field whose value the state already agrees with rewrites the monday item that drifted behind our back', () => {
    const result = decide(linkedOpportunity(), salesforceSnapshot('Opportunity', { Id: OPP_ID, Probability: 60 }, LINKED_AT + 5_000), context);
    expect(result.outcome).toMatchObject({ outcome: 'projected', reason: 'reconcile_repair' });
    expect(result.commands).toEqual([expect.objectContaining({ kind: 'monday.change_columns', itemId: '501', columnValues: { probability: expect.anything() } })]);
  });

  it('a monday snapshot of a monday-owned field rewrites Salesforce, even though the state believes Salesforce holds it', () => {
    const snapshot = mondaySnapshot({ boardId: LEAD_BOARD, itemId: '601', name: 'Acme', columns: [{ id: 'lead_status', type: 'status', value: '{"index":0}', text: 'Working' }], updatedAt: LINKED_AT + 5_000 });
    const result = decide(linkedLead(), snapshot, context);
    expect(result.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', salesforceId: LEAD_ID, fields: { Status: 'Working - Contacted' } })]);
  });

  it('a newer monday value carried by a reconcile snapshot wins and is written to Salesforce exactly once', () => {
    const snapshot = mondaySnapshot({ boardId: OPPORTUNITY_BOARD, itemId: '501', name: 'Deal', columns: [{ id: 'stage', type: 'status', value: '{"index":3}', text: 'Quote' }], updatedAt: LINKED_AT + 5_000 });
    const result = decide(linkedOpportunity(), snapshot, context);
    expect(result.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'Quote' } })]);
    expect(result.record?.fields.stage.agreed).toBe('Quote');
  });

  it('a carried value older than the agreed one loses: the agreed value goes back to the side that drifted', () => {
    const snapshot = mondaySnapshot({ boardId: OPPORTUNITY_BOARD, itemId: '501', name: 'Deal', columns: [{ id: 'stage', type: 'status', value: '{"index":1}', text: 'MOU' }], updatedAt: LINKED_AT - 5_000 });
    const result = decide(linkedOpportunity(), snapshot, context);
    expect(result.record?.fields.stage.agreed).toBe('Follow-up');
    expect(result.commands).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'monday.change_columns', columnValues: { stage: expect.anything() } })]));
  });

  it('an item whose Salesforce Id column names another record gets the linked Id back, and an unchanged name is not rewritten', () => {
    const snapshot = mondaySnapshot({ boardId: OPPORTUNITY_BOARD, itemId: '501', name: 'Deal', columns: [{ id: 'salesforce_id', type: 'text', value: '"006000000000999AAA"', text: '006000000000999AAA' }], updatedAt: LINKED_AT + 5_000 });
    const result = decide(linkedOpportunity(), snapshot, context);
    expect(result.commands).toEqual([expect.objectContaining({ kind: 'monday.change_columns', itemId: '501', columnValues: { salesforce_id: OPP_ID } })]);
    expect(result.commands[0]).not.toHaveProperty('name');
  });

  it('a snapshot of a deleted item applies the missed delete: tombstone, and the Salesforce record stays under delete: archive', () => {
    const snapshot = mondaySnapshot({ boardId: OPPORTUNITY_BOARD, itemId: '501', name: 'Deal', columns: [], updatedAt: LINKED_AT + 5_000, state: 'deleted' });
    const result = decide(linkedOpportunity(), snapshot, context);
    expect(result.record?.deleted).toEqual({ side: 'monday', at: LINKED_AT + 5_000 });
    expect(result.commands).toEqual([]);
  });

  it('a snapshot of a deleted Salesforce record archives the item (delete: archive)', () => {
    const result = decide(linkedOpportunity(), salesforceSnapshot('Opportunity', { Id: OPP_ID, IsDeleted: true }, LINKED_AT + 5_000), context);
    expect(result.record?.deleted?.side).toBe('salesforce');
    expect(result.commands).toEqual([expect.objectContaining({ kind: 'monday.archive_item', itemId: '501' })]);
  });

  it('snapshots for other reasons are decided as before: no repair of a value the state agrees with', () => {
    const snapshot = mondaySnapshot({ boardId: OPPORTUNITY_BOARD, itemId: '501', name: 'Deal', columns: [{ id: 'probability', type: 'numbers', value: '"90"', text: '90' }], updatedAt: LINKED_AT + 5_000, reason: 'catch_up' });
    const result = decide(linkedOpportunity(), snapshot, context);
    expect(result.commands).toEqual([]);
    expect(result.outcome).not.toMatchObject({ reason: 'reconcile_repair' });
  });
});
