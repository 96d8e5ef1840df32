import { decide } from '../../src/sync-projector/decide';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { EmailUserDirectory } from '../../src/sync-projector/user-directory';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import type { SyncRecord } from '../../src/sync-projector/sync-record';
import type { RecordedEvent } from '../../src/event-store';
import { exampleResolvedMapping } from '../support/sandbox-schemas';
import { mondayColumnChanged, recordLinked, recorded, salesforceChanged } from '../support/sync-events';

const OPPORTUNITY_BOARD = '9378000526';
const OPP_ID = '006000000000001AAA';
const status = (text: string, index: number) => ({ label: { index, text, style: { color: '#fff' } }, post_id: null });

/**
 * Issue 16, the family of convergence seed 615's one redundant NumberOfEmployees write (a known
 * defect pinned here as `it.failing` until fixed): FieldState.sendingTo says a command carrying the
 * agreed value is on its way to a side, but the echo of an OLDER command of ours that carried the same
 * value (decided for an earlier agreed version) ended it while the command carrying the current
 * version was still queued; the echo of the command between them then looked like a lost write and
 * was "repaired" with a second update carrying the value the queued command carries already. Now
 * commands are numbered per record and side (SyncRecord.commandSeq) and the wait remembers the
 * number of the one carrying the current version (FieldState.sendingSeq): only its outcome ends it.
 */
/** Opportunity 006..001 linked to item 501 at stage Follow-up; `step` decides an event on it, `stage` is a monday Stage edit. */
function linkedOpportunity() {
  const links = new LinkIndex();
  const context: SyncContext = { mapping: exampleResolvedMapping(), links, users: new EmailUserDirectory() };
  const pair = {
    record: decide(null, recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', values: { stage: 'Follow-up' } }), context).record as SyncRecord,
    step(event: RecordedEvent) {
      const result = decide(pair.record, event, context);
      pair.record = result.record as SyncRecord;
      return result.commands;
    },
    stage: (text: string, index: number, at: number) => mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status(text, index), at }),
  };
  links.add('opportunity', OPP_ID, '501');
  return pair;
}

describe('sendingTo and echoes of older commands carrying the same value', () => {
  it('monday Quote, MOU, Quote while the first two updates are in flight: the MOU echo sends nothing (the third update carries Quote)', () => {
    const pair = linkedOpportunity();
    const { step, stage } = pair;
    // Three updates to Salesforce, in this order (the first two claimed, so no longer revisable).
    expect(step(stage('Quote', 3, 2_000))).toEqual([expect.objectContaining({ fields: { StageName: 'Quote' } })]);
    expect(step(stage('MOU', 1, 2_100))).toEqual([expect.objectContaining({ fields: { StageName: 'MOU' } })]);
    expect(step(stage('Quote', 3, 2_200))).toEqual([expect.objectContaining({ fields: { StageName: 'Quote' } })]);
    // The first lands (Quote), then the second (MOU); the third, carrying Quote, is still queued.
    expect(step(salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'Quote' }, at: 2_300, origin: 'own_echo' }))).toEqual([]);
    expect(step(salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'MOU' }, at: 2_400, origin: 'own_echo' }))).toEqual([]);
  });

  it("the wait ends with the carrying command's outcome (its number), not before: a numbered dead letter of it lets the older echo be repaired", () => {
    const pair = linkedOpportunity();
    const { step, stage } = pair;
    const seqs = [...step(stage('Quote', 3, 2_000)), ...step(stage('MOU', 1, 2_100)), ...step(stage('Quote', 3, 2_200))].map((c) => (c as { seq?: number }).seq);
    expect(seqs).toEqual([1, 2, 3]);
    expect(pair.record.commandSeq).toEqual({ salesforce: 3 });
    expect(step(salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'Quote' }, at: 2_300, origin: 'own_echo' }))).toEqual([]);
    expect(pair.record.fields.stage).toMatchObject({ sendingTo: ['salesforce'], sendingSeq: { salesforce: 3 } });
    // The third is dead-lettered (its number in the failure): nothing carries Quote there any more.
    const failed = recorded({
      type: 'system.command_failed',
      source: 'system',
      sourceEventId: 'command:3:1',
      stream: `salesforce:Opportunity:${OPP_ID}`,
      origin: 'unknown',
      occurredAt: new Date(2_350),
      payload: { commandId: 3, kind: 'salesforce.update', target: 'salesforce', recordId: 1, error: { code: 'X', message: 'refused' }, attempts: 5, deadLettered: true, seq: 3 },
    });
    expect(step(failed)).toEqual([]);
    expect(pair.record.fields.stage.sendingTo).toBeUndefined();
    expect(step(salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'MOU' }, at: 2_400, origin: 'own_echo' }))).toEqual([expect.objectContaining({ fields: { StageName: 'Quote' }, seq: 4 })]);
  });

  it("a create's success, recorded after its link pushed what monday changed meanwhile, sends that push no second time", () => {
    // Campaign seed 1301 (commands 658 and 660, twice more on other records): the item shows Quote;
    // our Salesforce create carries Quote (sent at 1200); a person sets MOU on monday while it is in
    // flight. The link (recorded with the create's success, just before it) sends MOU as update 1;
    // the create's success, not numbered, ended that update's wait and was taken for a lost write.
    const links = new LinkIndex();
    const context: SyncContext = { mapping: exampleResolvedMapping(), links, users: new EmailUserDirectory() };
    let record = decide(null, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Quote', 3), at: 1_000 }), context).record as SyncRecord;
    record = decide({ ...record, creating: 'salesforce' }, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('MOU', 1), at: 1_500 }), context).record as SyncRecord;
    const linked = decide(record, recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', via: 'created_salesforce_record', values: { stage: 'Quote' }, at: 2_000, sentAt: 1_200 }), context);
    links.add('opportunity', OPP_ID, '501');
    expect(linked.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'MOU' }, seq: 1 })]);
    const created = recorded({
      type: 'system.command_succeeded',
      source: 'system',
      sourceEventId: 'command:1:1',
      stream: `salesforce:Opportunity:${OPP_ID}`,
      origin: 'unknown',
      occurredAt: new Date(2_000),
      payload: { commandId: 1, kind: 'salesforce.create', target: 'salesforce', recordId: 1, written: { stage: 'Quote' }, result: { salesforceId: OPP_ID }, sentAt: 1_200 },
    });
    const succeeded = decide(linked.record, created, context);
    expect(succeeded.commands).toEqual([]);
    // The update still carries MOU: its own outcome ends the wait.
    expect(succeeded.record?.fields.stage).toMatchObject({ agreed: 'MOU', sendingTo: ['salesforce'], sendingSeq: { salesforce: 1 } });
  });
});
