import { decide } from '../../src/sync-projector/decide';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { resolveWaiting } from '../../src/sync-projector/links/links.decide';
import { EmailUserDirectory } from '../../src/sync-projector/user-directory';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import { newRecord, type SyncRecord } from '../../src/sync-projector/sync-record';
import type { RecordedEvent } from '../../src/event-store';
import { exampleResolvedMapping } from '../support/sandbox-schemas';
import { itemSnapshot, mondayColumnChanged, recordLinked, salesforceChanged } from '../support/sync-events';

const OPPORTUNITY_BOARD = '9378000526';
const OPP_ID = '006000000000001AAA';
const status = (text: string, index: number) => ({ label: { index, text, style: { color: '#fff' } }, post_id: null });

/**
 * A refresh (monday.refresh_item) reads the item, then its snapshot is appended: a webhook of a
 * change made after the read can be projected before the snapshot (convergence seed 21: the read at
 * 14.81 s, a relation change at 15.35 s projected first, the snapshot at position 483 after it).
 */
describe('a refresh snapshot read before a change already projected (convergence seed 21)', () => {
  const mapping = exampleResolvedMapping();
  let links: LinkIndex;
  let context: SyncContext;
  beforeEach(() => {
    links = new LinkIndex();
    context = { mapping, links, users: new EmailUserDirectory() };
  });

  /** An item snapshot read at `readAt` (the event's time) of an item last updated at `updatedAt`. */
  function refresh(itemId: string, texts: Record<string, string>, updatedAt: number, readAt: number, account?: string): RecordedEvent {
    const snapshot = itemSnapshot(OPPORTUNITY_BOARD, itemId, 'Deal', texts, updatedAt);
    const payload = snapshot.payload as { columnValues: Array<Record<string, unknown>> };
    if (account) payload.columnValues.push({ id: 'account', type: 'board_relation', value: null, text: 'Acme', linkedItemIds: [account] });
    payload.columnValues.push({ id: 'close_date', type: 'date', value: JSON.stringify({ date: '2027-01-31' }), text: '2027-01-31' });
    return { ...snapshot, occurredAt: new Date(readAt) };
  }

  it('its relation to an unlinked item does not replace the newer relation change waiting for its link', () => {
    const item = newRecord('opportunity', OPPORTUNITY_BOARD, { mondayItemId: '501' });
    // Created at t=2000 with account item 777 (not linked): the create is sent, 777 waits.
    const created = decide(item, refresh('501', { stage: 'Quote' }, 2_000, 2_100, '777'), context);
    expect(created.commands).toEqual([expect.objectContaining({ kind: 'salesforce.create' })]);
    // A person sets account item 888 at t=3000 (not linked either): it waits instead.
    const changed = decide(created.record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'account', columnType: 'board-relation', value: { linkedPulseIds: [{ linkedPulseId: 888 }] }, at: 3_000 }), context);
    expect(changed.record?.waiting).toEqual([expect.objectContaining({ fieldKey: 'account', at: 3_000 })]);
    // A second refresh, read at t=2500 (before that change), projected after it.
    const late = decide(changed.record, refresh('501', { stage: 'Quote' }, 2_000, 2_500, '777'), context);
    expect(late.record?.waiting).toEqual([expect.objectContaining({ fieldKey: 'account', at: 3_000, mondayValue: { linkedPulseIds: [{ linkedPulseId: 888 }] } })]);
    // Once everything is linked, Salesforce gets 888's account, never 777's.
    const linked = decide(late.record, recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', via: 'created_salesforce_record', values: { __name__: 'Deal', stage: 'Quote' }, at: 3_500 }), context);
    links.add('opportunity', OPP_ID, '501');
    links.add('account', '001000000000007AAA', '777');
    links.add('account', '001000000000008AAA', '888');
    const resolved = resolveWaiting(linked.record as SyncRecord, mapping.byKey.get('opportunity')!, context);
    expect(resolved.commands.filter(Boolean)).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { AccountId: '001000000000008AAA' } })]);
  });

  it('its older value is not taken as what monday holds: a later Salesforce change to that value still reaches monday', () => {
    let record = decide(null, recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', values: { __name__: 'Deal', stage: 'Follow-up', close_date: '2027-01-31' } }), context).record as SyncRecord;
    links.add('opportunity', OPP_ID, '501');
    // A person sets Quote on monday at t=3000: sent to Salesforce.
    const quote = decide(record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Quote', 3), at: 3_000 }), context);
    expect(quote.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'Quote' } })]);
    record = quote.record as SyncRecord;
    // A refresh read at t=2500, when the item still showed Follow-up, projected after that change.
    const late = decide(record, refresh('501', { stage: 'Follow-up' }, 2_000, 2_500), context);
    expect(late.commands.filter(Boolean)).toEqual([]);
    expect(late.record?.fields.stage.monday).toMatchObject({ value: 'Quote', at: 3_000 });
    // A person sets Follow-up in Salesforce at t=4000: monday shows Quote, so it must be written there.
    const back = decide(late.record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'Follow-up' }, at: 4_000 }), context);
    expect(back.commands).toEqual([expect.objectContaining({ kind: 'monday.change_columns', columnValues: { stage: { label: 'Follow-up' } } })]);
  });

  it('a read showing the value our create wrote to the item is no person\'s change: a newer Salesforce value stays agreed (seed 20)', () => {
    // A person creates the Opportunity at Quote (t=1000): we create its item, sent at t=1500.
    const created = decide(null, salesforceChanged({ object: 'Opportunity', id: OPP_ID, changeType: 'CREATE', fields: { Name: 'Deal', StageName: 'Quote', CloseDate: '2027-01-31' }, at: 1_000 }), context);
    expect(created.commands).toEqual([expect.objectContaining({ kind: 'monday.create_item' })]);
    // The person sets MOU (t=2000) while the create is in flight.
    const mou = decide(created.record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'MOU' }, at: 2_000 }), context);
    // The link (t=3000): the item shows Quote, MOU is sent to it.
    const linked = decide(mou.record, recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', via: 'created_monday_item', values: { __name__: 'Deal', stage: 'Quote', close_date: '2027-01-31' }, at: 3_000, sentAt: 1_500 }), context);
    links.add('opportunity', OPP_ID, '501');
    expect(linked.commands.filter(Boolean)).toEqual([expect.objectContaining({ kind: 'monday.change_columns', columnValues: { stage: { label: 'MOU' } } })]);
    // A refresh of the item (a person edited it before the link was recorded), read at t=3500 before
    // MOU lands, last updated at t=3000: it shows our create's Quote.
    const read = decide(linked.record, refresh('501', { stage: 'Quote' }, 3_000, 3_500), context);
    expect(read.commands.filter(Boolean)).toEqual([]);
    expect(read.record?.fields.stage).toMatchObject({ agreed: 'MOU', agreedFrom: 'salesforce' });
  });
});
