import type { RecordedEvent } from '../../src/event-store';
import type { OutboxCommand } from '../../src/sync-commands/outbox-command';
import { decide } from '../../src/sync-projector/decide';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { EmailUserDirectory } from '../../src/sync-projector/user-directory';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import type { SyncRecord } from '../../src/sync-projector/sync-record';
import { resolveWaiting } from '../../src/sync-projector/links/links.decide';
import { newRecord } from '../../src/sync-projector/sync-record';
import { withFieldsOf } from '../../src/sync-projector/sync-projector';
import { snapshotEvent } from '../../src/migration/backfill-snapshot-events';
import { exampleResolvedMapping } from '../support/sandbox-schemas';
import { itemSnapshot, mondayColumnChanged, recordLinked, recorded, salesforceChanged } from '../support/sync-events';

const OPPORTUNITY_BOARD = '9378000526';
const OPP_ID = '006000000000001AAA';
const status = (text: string, index = 0) => ({ label: { index, text, style: { color: '#fff' } }, post_id: null });

describe('sync decide (issue 6, pure)', () => {
  const mapping = exampleResolvedMapping();
  let links: LinkIndex;
  let context: SyncContext;
  beforeEach(() => {
    links = new LinkIndex();
    context = { mapping, links, users: new EmailUserDirectory() };
  });

  /** A linked opportunity whose stage both sides agree is Follow-up (as of t=1000). */
  function linkedOpportunity(): SyncRecord {
    const result = decide(null, recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', values: { stage: 'Follow-up' } }), context);
    links.add('opportunity', OPP_ID, '501');
    return result.record as SyncRecord;
  }

  it('a human stage change on monday becomes one Salesforce update of StageName through the values map', () => {
    const record = linkedOpportunity();
    const result = decide(record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Quote', 3), at: 2_000 }), context);
    expect(result.outcome).toMatchObject({ outcome: 'projected' });
    expect(result.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', salesforceId: OPP_ID, fields: { StageName: 'Quote' } })]);
  });

  it('own echo updates state and issues no command', () => {
    const record = linkedOpportunity();
    // The echo of an older write of ours, arriving late.
    const result = decide(record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('MOU', 1), at: 500, origin: 'own_echo' }), context);
    expect(result.commands).toEqual([]);
    expect(result.outcome).toMatchObject({ outcome: 'skipped', reason: 'own_echo' });
    // monday has shown Follow-up since t=1000: the older write it reports was overwritten there.
    expect(result.record?.fields.stage.monday?.value).toBe('Follow-up');
    expect(result.record?.fields.stage.agreed).toBe('Follow-up');
  });

  it('a write of ours that landed after a newer edit, overwriting it, is repaired once and then rests', () => {
    let record = linkedOpportunity();
    // monday says Quote (t=2000): we send it to Salesforce; a person sets MOU in Salesforce at t=2100
    // before our write lands at t=2200, so Salesforce ends up holding our older Quote.
    record = decide(record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Quote', 3), at: 2_000 }), context).record as SyncRecord;
    const human = decide(record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'MOU' }, at: 2_100 }), context);
    expect(human.commands).toEqual([expect.objectContaining({ kind: 'monday.change_columns', columnValues: { stage: { label: 'MOU' } } })]);
    const echo = decide(human.record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'Quote' }, at: 2_200, origin: 'own_echo' }), context);
    expect(echo.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'MOU' } })]);
    const repaired = decide(echo.record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'MOU' }, at: 2_300, origin: 'own_echo' }), context);
    expect(repaired.commands).toEqual([]);
  });

  it('the echo of an older write of ours, landing before our push of the newer agreed value, sends nothing more (that push follows it)', () => {
    let record = linkedOpportunity();
    // monday says Quote (t=2000): we send it to Salesforce; that write is in flight when a person sets
    // MOU on monday (t=2100): we send MOU too, behind it. Quote lands first (t=2200), then MOU.
    record = decide(record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Quote', 3), at: 2_000 }), context).record as SyncRecord;
    const second = decide(record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('MOU', 1), at: 2_100 }), context);
    expect(second.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'MOU' } })]);
    const firstLands = decide(second.record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'Quote' }, at: 2_200, origin: 'own_echo' }), context);
    expect(firstLands.commands).toEqual([]);
    const secondLands = decide(firstLands.record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'MOU' }, at: 2_300, origin: 'own_echo' }), context);
    expect(secondLands.commands).toEqual([]);
    // Once the MOU command reported (its number in its outcome), a later stray echo of Quote is a real
    // loss again; seen before that report, it is repaired by the report (the echo could have been
    // of an older command, with the MOU command still to land after it).
    const mouSent = second.commands[0] as OutboxCommand & { kind: 'salesforce.update' };
    const mouSucceeded = recorded({
      type: 'system.command_succeeded',
      source: 'system',
      sourceEventId: 'command:2:1',
      stream: `salesforce:Opportunity:${OPP_ID}`,
      origin: 'unknown',
      occurredAt: new Date(2_350),
      payload: { commandId: 2, kind: 'salesforce.update', target: 'salesforce', recordId: 1, written: { stage: 'MOU' }, sentAt: 2_250, seq: mouSent.seq },
    });
    const strayEcho = salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'Quote' }, at: 2_400, origin: 'own_echo' });
    const reported = decide(secondLands.record, mouSucceeded, context);
    expect(reported.commands).toEqual([]);
    expect(decide(reported.record, strayEcho, context).commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'MOU' } })]);
    const strayFirst = decide(secondLands.record, strayEcho, context);
    expect(strayFirst.commands).toEqual([]);
    expect(decide(strayFirst.record, mouSucceeded, context).commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'MOU' } })]);
  });

  it('fault seed 2225: our create making a second item for a record linked meanwhile to another removes that item and keeps the link', () => {
    const record = linkedOpportunity(); // linked to item 501
    const late = recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '777', via: 'created_monday_item', values: { stage: 'Follow-up' }, at: 3_000 });
    const result = decide(record, late, context);
    expect(result.outcome).toMatchObject({ outcome: 'projected', reason: 'duplicate_item_removed' });
    expect(result.commands).toEqual([{ kind: 'monday.delete_item', target: 'monday', objectKey: 'opportunity', boardId: OPPORTUNITY_BOARD, itemId: '777' }]);
    expect(result.record).toMatchObject({ salesforceId: OPP_ID, mondayItemId: '501' });
    // Linked the same way to its own item, nothing is removed.
    const same = decide(record, recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', via: 'created_monday_item', values: { stage: 'Follow-up' }, at: 3_000 }), context);
    expect(same.commands.filter((c) => c.kind === 'monday.delete_item')).toEqual([]);
  });

  it('fields Salesforce set itself in our own create (default owner, stage probability) are sent to monday; fields we wrote are not', () => {
    const record = linkedOpportunity();
    const echo = decide(
      record,
      salesforceChanged({ object: 'Opportunity', id: OPP_ID, changeType: 'CREATE', fields: { StageName: 'Follow-up', Probability: 25 }, at: 2_000, origin: 'own_echo' }),
      context,
    );
    expect(echo.commands).toEqual([expect.objectContaining({ kind: 'monday.change_columns', columnValues: { probability: '25' } })]);
    expect(echo.record?.fields.probability).toMatchObject({ agreed: 25, agreedFrom: 'salesforce' });
  });

  it('the echo of our own create arriving before its link creates no item, and what Salesforce set reaches monday once linked', () => {
    const echo = decide(null, salesforceChanged({ object: 'Opportunity', id: OPP_ID, changeType: 'CREATE', fields: { Name: 'From monday', StageName: 'Quote', Probability: 50 }, at: 2_000, origin: 'own_echo' }), context);
    expect(echo.commands).toEqual([]);
    expect(echo.record).toMatchObject({ salesforceId: OPP_ID, mondayItemId: null, creating: 'salesforce' });
    // A human edit in Salesforce before the link: no second item.
    const early = decide(echo.record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { NextStep: 'Call' }, at: 2_100 }), context);
    expect(early.commands).toEqual([]);
    expect(early.outcome).toMatchObject({ reason: 'already_creating' });
    // The link (our create's outcome) joins the item's record with this one.
    const item = newRecord('opportunity', OPPORTUNITY_BOARD, { mondayItemId: '501' });
    const link = recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', values: { __name__: 'From monday', stage: 'Quote' }, at: 2_200 });
    const linked = decide(withFieldsOf(item, early.record as SyncRecord), link, context);
    expect(linked.commands).toEqual([expect.objectContaining({ kind: 'monday.change_columns', itemId: '501', columnValues: { probability: '50', next_step: 'Call' } })]);
  });

  it("a created record's link is timed by when the create was sent: a person's edit of the new record seen before the link stays what Salesforce holds", () => {
    // Item 501 shows Quote; our create of its Opportunity is sent at t=2000 and lands at t=2050 (its
    // echo); a person sets MOU on the new record at t=2100; the link is recorded only at t=2300.
    const item = decide(null, itemSnapshot(OPPORTUNITY_BOARD, '501', 'From monday', { stage: 'Quote' }, 1_000), context).record as SyncRecord;
    let early = decide(null, salesforceChanged({ object: 'Opportunity', id: OPP_ID, changeType: 'CREATE', fields: { Name: 'From monday', StageName: 'Quote' }, at: 2_050, origin: 'own_echo' }), context).record as SyncRecord;
    early = decide(early, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'MOU' }, at: 2_100 }), context).record as SyncRecord;
    const link = recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', via: 'created_salesforce_record', values: { __name__: 'From monday', stage: 'Quote' }, at: 2_300, sentAt: 2_000 });
    const linked = decide(withFieldsOf({ ...item, creating: 'salesforce' }, early), link, context);
    links.add('opportunity', OPP_ID, '501');
    expect(linked.record?.fields.stage.salesforce).toEqual({ value: 'MOU', at: 2_100 });
    expect(linked.commands).toEqual([expect.objectContaining({ kind: 'monday.change_columns', columnValues: { stage: { label: 'MOU' } } })]);
    // So monday going back to Quote is written to Salesforce (timed at 2300, the link hid MOU and nothing was sent).
    const back = decide(linked.record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Quote', 3), at: 2_400 }), context);
    expect(back.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'Quote' } })]);
  });

  it('a Salesforce-owned field known only from the new item (empty) takes the value Salesforce gave it in our create', () => {
    const item = decide(null, itemSnapshot(OPPORTUNITY_BOARD, '501', 'From monday', { stage: 'Quote' }), context).record as SyncRecord;
    expect(item.fields.probability).toBeUndefined();
    const placeholder = { ...item, fields: { ...item.fields, probability: { agreed: null, agreedAt: 0, agreedFrom: 'salesforce' as const, monday: { value: null, at: 2_500 } } } };
    const linked = decide(placeholder, recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', values: { stage: 'Quote' }, at: 2_600 }), context);
    links.add('opportunity', OPP_ID, '501');
    const echo = decide(linked.record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, changeType: 'CREATE', fields: { StageName: 'Quote', Probability: 50 }, at: 2_550, origin: 'own_echo' }), context);
    expect(echo.commands).toEqual([expect.objectContaining({ kind: 'monday.change_columns', columnValues: { probability: '50' } })]);
  });

  it('a change to the value both sides already hold issues no command', () => {
    const record = linkedOpportunity();
    const result = decide(record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Follow-up'), at: 2_000 }), context);
    expect(result.commands).toEqual([]);
    expect(result.outcome).toMatchObject({ reason: 'unchanged_value' });
  });

  it('a field owned by Salesforce ignores monday edits (authority)', () => {
    const record = linkedOpportunity();
    const result = decide(record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'probability', columnType: 'numeric', value: { value: '90' }, at: 2_000 }), context);
    expect(result.commands).toEqual([]);
    expect(result.outcome).toMatchObject({ outcome: 'skipped', reason: 'authority' });
  });

  it('simultaneous edits of one field converge on the later one, with no ping-pong', () => {
    let record = linkedOpportunity();
    const fromSalesforce = decide(record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'MOU' }, at: 3_000 }), context);
    expect(fromSalesforce.commands).toEqual([expect.objectContaining({ kind: 'monday.change_columns', columnValues: { stage: { label: 'MOU' } } })]);
    record = fromSalesforce.record as SyncRecord;
    const olderMondayEdit = decide(record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Quote', 3), at: 2_500 }), context);
    expect(olderMondayEdit.commands).toEqual([]);
    expect(olderMondayEdit.outcome).toMatchObject({ reason: 'stale' });
    record = olderMondayEdit.record as SyncRecord;
    // Our write arrives back from monday: state catches up, nothing more is sent.
    const echo = decide(record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('MOU', 1), at: 3_100, origin: 'own_echo' }), context);
    expect(echo.commands).toEqual([]);
    expect(echo.record?.fields.stage).toMatchObject({ agreed: 'MOU', salesforce: { value: 'MOU' }, monday: { value: 'MOU' } });
  });

  it("our write's success is timed by when it was sent: a person's edit recorded before the success stays what the target holds", () => {
    let record = linkedOpportunity();
    record = decide(record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Quote', 3), at: 2_000 }), context).record as SyncRecord;
    // Our update of Quote is sent at t=2050 and lands at t=2060; a person sets MOU in Salesforce at t=2100.
    record = decide(record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'Quote' }, at: 2_060, origin: 'own_echo' }), context).record as SyncRecord;
    record = decide(record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'MOU' }, at: 2_100 }), context).record as SyncRecord;
    // Its success is recorded only at t=2300 (a slow batch): Salesforce still holds the person's MOU.
    const success = recorded({
      type: 'system.command_succeeded',
      source: 'system',
      sourceEventId: 'command:1:1',
      stream: `salesforce:Opportunity:${OPP_ID}`,
      origin: 'unknown',
      occurredAt: new Date(2_300),
      payload: { commandId: 1, kind: 'salesforce.update', target: 'salesforce', recordId: 1, written: { stage: 'Quote' }, sentAt: 2_050 },
    });
    record = decide(record, success, context).record as SyncRecord;
    expect(record.fields.stage.salesforce).toEqual({ value: 'MOU', at: 2_100 });
    // So monday going back to Quote must be written to Salesforce (timed at 2300, our write hid MOU and nothing was sent).
    const back = decide(record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Quote', 3), at: 2_400 }), context);
    expect(back.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'Quote' } })]);
  });

  it('a catch-up snapshot read before a person changed the item, projected after their webhook, does not claim monday still holds the old value', () => {
    let record = linkedOpportunity(); // Follow-up on both sides since t=1000
    // A catch-up reads the item at t=6100 (updated_at 5000, to the second: Follow-up); a person picks
    // Quote at t=6200; the snapshot is appended only after that webhook was projected.
    record = decide(record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Quote', 3), at: 6_200 }), context).record as SyncRecord;
    const snapshot = itemSnapshot(OPPORTUNITY_BOARD, '501', 'Opp', { stage: 'Follow-up' }, 5_000);
    const read = decide(record, { ...snapshot, payload: { ...snapshot.payload, reason: 'catch_up' } } as typeof snapshot, context);
    expect(read.record?.fields.stage).toMatchObject({ agreed: 'Quote', monday: { value: 'Quote', at: 6_200 } });
    // So a person in Salesforce going back to Follow-up is sent to monday (which shows Quote).
    const back = decide(read.record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'Follow-up' }, at: 7_000 }), context);
    expect(back.commands).toEqual([expect.objectContaining({ kind: 'monday.change_columns', columnValues: { stage: { label: 'Follow-up' } } })]);
  });

  it('an older edit reaching us late from a side that held the agreed value is sent back to that side once', () => {
    let record = linkedOpportunity(); // Follow-up on both sides since t=1000
    // monday: Quote at t=1500, then back to Follow-up at t=2000, which Salesforce holds: nothing to send.
    record = decide(record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Quote', 3), at: 1_500 }), context).record as SyncRecord;
    const back = decide(record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Follow-up'), at: 2_000 }), context);
    expect(back.commands).toEqual([]);
    // A person set MOU in Salesforce at t=1800 (after Salesforce last got Follow-up, before monday's
    // t=2000): it loses, and Salesforce must get Follow-up back.
    const late = decide(back.record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'MOU' }, at: 1_800 }), context);
    expect(late.outcome).toMatchObject({ outcome: 'projected', reason: 'repair_behind' });
    expect(late.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'Follow-up' } })]);
    const echo = decide(late.record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'Follow-up' }, at: 2_500, origin: 'own_echo' }), context);
    expect(echo.commands).toEqual([]);
  });

  it('an older edit that our later write already overwrote is not sent again', () => {
    let record = linkedOpportunity();
    record = decide(record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'Quote' }, at: 2_000 }), context).record as SyncRecord;
    // Our write of Quote landed on monday at t=2100; a monday edit made at t=1800 arrives only now (a webhook retry).
    record = decide(record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Quote', 3), at: 2_100, origin: 'own_echo' }), context).record as SyncRecord;
    const late = decide(record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('MOU', 1), at: 1_800 }), context);
    expect(late.outcome).toMatchObject({ outcome: 'skipped', reason: 'stale' });
    expect(late.commands).toEqual([]);
  });

  describe('a monday edit delivered late, after monday was seen holding something newer (fault campaign, issue 20)', () => {
    const stage = (label: string, at: number, origin?: 'own_echo') =>
      mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status(label, 1), at, ...(origin ? { origin } : {}) });
    const mondayWriteSucceeded = (value: string, sentAt: number) =>
      recorded({
        type: 'system.command_succeeded',
        source: 'system',
        sourceEventId: `command:17:${sentAt}`,
        stream: `salesforce:Opportunity:${OPP_ID}`,
        origin: 'unknown',
        occurredAt: new Date(sentAt + 400),
        payload: { commandId: 17, kind: 'monday.change_columns', target: 'monday', recordId: 1, written: { stage: value }, sentAt },
      });

    it('seed 304: two edits out of order, the newer (already held) first: the older is recorded, not sent', () => {
      let record = linkedOpportunity(); // Follow-up agreed at t=1000
      // monday: Quote at t=1240, then Follow-up again at t=2274; retries deliver t=2274 first.
      const newer = decide(record, stage('Follow-up', 2_274), context);
      expect(newer.outcome).toMatchObject({ reason: 'unchanged_value' });
      record = newer.record as SyncRecord;
      const older = decide(record, stage('Quote', 1_240), context);
      expect(older.commands).toEqual([]);
      expect(older.outcome).toMatchObject({ outcome: 'skipped', reason: 'stale' });
      expect(older.record?.fields.stage).toMatchObject({ agreed: 'Follow-up', monday: { value: 'Follow-up', at: 2_274 } });
    });

    it('seed 304: of two edits both newer than the agreed value, the newer one wins whatever the arrival order', () => {
      let record = linkedOpportunity();
      const newer = decide(record, stage('MOU', 2_274), context);
      expect(newer.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'MOU' } })]);
      record = newer.record as SyncRecord;
      const older = decide(record, stage('Quote', 1_240), context);
      expect(older.commands).toEqual([]);
      expect(older.record?.fields.stage.agreed).toBe('MOU');
    });

    it('seeds 301/303: a person edit older than our later write of the Salesforce value to that column is not sent (write known by its success)', () => {
      let record = linkedOpportunity();
      // Salesforce: MOU at t=1500, sent to monday at t=2100 (our clock). The person's Quote on monday
      // at t=1800 was refused (outage) and its retry arrives after our write succeeded.
      const fromSalesforce = decide(record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'MOU' }, at: 1_500 }), context);
      expect(fromSalesforce.commands).toEqual([expect.objectContaining({ kind: 'monday.change_columns' })]);
      record = decide(fromSalesforce.record, mondayWriteSucceeded('MOU', 2_100), context).record as SyncRecord;
      const late = decide(record, stage('Quote', 1_800), context);
      expect(late.commands).toEqual([]);
      expect(late.outcome).toMatchObject({ outcome: 'skipped', reason: 'stale' });
      expect(late.record?.fields.stage).toMatchObject({ agreed: 'MOU', monday: { value: 'MOU', at: 2_100 } });
    });

    it("seeds 301/303: the same when our write's echo (monday's time) came before the late edit", () => {
      let record = linkedOpportunity();
      record = decide(record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'MOU' }, at: 1_500 }), context).record as SyncRecord;
      record = decide(record, stage('MOU', 2_150, 'own_echo'), context).record as SyncRecord;
      const first = decide(record, stage('Quote', 1_789), context);
      const second = decide(first.record, stage('Call back', 1_791), context);
      expect([...first.commands, ...second.commands]).toEqual([]);
      expect(second.record?.fields.stage).toMatchObject({ agreed: 'MOU', monday: { value: 'MOU', at: 2_150 } });
    });

    const over = (event: ReturnType<typeof stage>, previous: string) => ({ ...event, payload: { ...event.payload, previousValue: status(previous, 1) } }) as typeof event;

    it("a person edit made over our write goes to Salesforce even when monday's clock puts it before our send (its previousValue is our value)", () => {
      let record = linkedOpportunity();
      record = decide(record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'MOU' }, at: 1_500 }), context).record as SyncRecord;
      record = decide(record, mondayWriteSucceeded('MOU', 2_100), context).record as SyncRecord;
      // monday's clock runs 300 ms behind ours: the edit over MOU says t=1900.
      const after = decide(record, over(stage('Quote', 1_900), 'MOU'), context);
      expect(after.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'Quote' } })]);
      expect(after.record?.fields.stage).toMatchObject({ agreed: 'Quote', monday: { value: 'Quote', at: 1_900 } });
    });

    it('a late edit whose previousValue is the value before our write is still not sent', () => {
      let record = linkedOpportunity();
      record = decide(record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'MOU' }, at: 1_500 }), context).record as SyncRecord;
      record = decide(record, mondayWriteSucceeded('MOU', 2_100), context).record as SyncRecord;
      const late = decide(record, over(stage('Quote', 1_800), 'Follow-up'), context);
      expect(late.commands).toEqual([]);
      expect(late.outcome).toMatchObject({ reason: 'stale' });
    });

    it("once our write's echo gave monday's own time, a previousValue equal to it no longer overrides the clock", () => {
      let record = linkedOpportunity();
      record = decide(record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'MOU' }, at: 1_500 }), context).record as SyncRecord;
      record = decide(record, stage('MOU', 2_150, 'own_echo'), context).record as SyncRecord;
      // Made over an earlier MOU on monday (an A-B-A of the column), older than our write landing there.
      const late = decide(record, over(stage('Quote', 1_800), 'MOU'), context);
      expect(late.commands).toEqual([]);
    });

    it("a rename made over our write of the name counts as later too (update_name's previousValue)", () => {
      let record = linkedOpportunity();
      record = decide(record, { ...mondayWriteSucceeded('MOU', 2_100), payload: { ...mondayWriteSucceeded('MOU', 2_100).payload, written: { __name__: 'Deal' } } } as RecordedEvent, context).record as SyncRecord;
      const renameAt = (at: number, previous: string) =>
        ({
          ...mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'x', columnType: 'text', value: null, at }),
          type: 'monday.item_renamed',
          payload: { type: 'update_name', triggerTime: new Date(at).toISOString(), userId: 5001, triggerUuid: `r${at}`, boardId: Number(OPPORTUNITY_BOARD), pulseId: 501, value: { name: 'Renamed' }, previousValue: { name: previous } },
        }) as never;
      expect(decide(record, renameAt(1_900, 'Old'), context).commands).toEqual([]);
      expect(decide(record, renameAt(1_900, 'Deal'), context).commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { Name: 'Renamed' } })]);
    });

    it('seed 3100: two edits stamped with the same millisecond, delivered in reverse: the previousValue chain orders them', () => {
      const record = linkedOpportunity(); // Follow-up agreed at t=1000
      const first = over(stage('Quote', 2_000), 'Follow-up');
      const second = over(stage('MOU', 2_000), 'Quote');
      const reversed = decide(record, second, context);
      const late = decide(reversed.record, first, context);
      expect([...reversed.commands, ...late.commands]).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'MOU' } })]);
      expect(late.outcome).toMatchObject({ reason: 'stale' });
      expect(late.record?.fields.stage).toMatchObject({ agreed: 'MOU', monday: { value: 'MOU', at: 2_000 } });
      // In order, the second still wins.
      const inOrder = decide(decide(record, first, context).record, second, context);
      expect(inOrder.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'MOU' } })]);
      expect(inOrder.record?.fields.stage.agreed).toBe('MOU');
    });

    it('fault seed 1514: a value set and cleared within one millisecond, delivered in reverse: the microseconds of changedAt order them', () => {
      const record = linkedOpportunity(); // Follow-up agreed at t=1000
      // Quote over Follow-up, then Follow-up over Quote: the previousValue chain fits either order.
      const set = over(stage('Quote', 2_000.1), 'Follow-up');
      const back = over(stage('Follow-up', 2_000.4), 'Quote');
      const reversed = decide(record, back, context);
      const late = decide(reversed.record, set, context);
      expect([...reversed.commands, ...late.commands]).toEqual([]);
      expect(late.outcome).toMatchObject({ reason: 'stale' });
      expect(late.record?.fields.stage).toMatchObject({ agreed: 'Follow-up', monday: { value: 'Follow-up', at: 2_000.4 } });
    });

    it('a person edit made after our write still goes to Salesforce', () => {
      let record = linkedOpportunity();
      record = decide(record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'MOU' }, at: 1_500 }), context).record as SyncRecord;
      record = decide(record, mondayWriteSucceeded('MOU', 2_100), context).record as SyncRecord;
      const after = decide(record, stage('Quote', 2_200), context);
      expect(after.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'Quote' } })]);
    });

    describe('a catch-up read of a change made in the second of our write, whose webhook monday gave up (seeds 2117, 2125)', () => {
      /** Salesforce's MOU (t=23,500) written to monday: sent at 23,600, echoed at 23,708; a person picks Quote at 23,900 during a monday outage. */
      function afterOurWrite(): { record: SyncRecord; echoPosition: number } {
        // Linked with the item's name, so the read's only change is the stage.
        const linked = decide(null, recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', values: { stage: 'Follow-up', __name__: 'Opp' } }), context);
        links.add('opportunity', OPP_ID, '501');
        const fromSalesforce = decide(linked.record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'MOU' }, at: 23_500 }), context);
        expect(fromSalesforce.commands).toEqual([expect.objectContaining({ kind: 'monday.change_columns' })]);
        const succeeded = decide(fromSalesforce.record, mondayWriteSucceeded('MOU', 23_600), context);
        const echo = stage('MOU', 23_708, 'own_echo');
        return { record: decide(succeeded.record, echo, context).record as SyncRecord, echoPosition: echo.position };
      }
      const catchUpRead = (label: string, readAfter?: number) => {
        // updated_at is to the second: 23,000.
        const read = itemSnapshot(OPPORTUNITY_BOARD, '501', 'Opp', { stage: label }, 23_000);
        return { ...read, payload: { ...read.payload, reason: 'catch_up', ...(readAfter !== undefined ? { readAfter } : {}) } } as typeof read;
      };

      it('a read begun after our write reached the log shows a newer change: Salesforce gets it', () => {
        const { record, echoPosition } = afterOurWrite();
        const read = decide(record, catchUpRead('Quote', echoPosition), context);
        expect(read.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'Quote' } })]);
        expect(read.record?.fields.stage).toMatchObject({ agreed: 'Quote', agreedFrom: 'monday', agreedAt: 23_708, monday: { value: 'Quote', at: 23_708 } });
      });

      it('a read begun before our write reached the log may be older than it: still decided by time (nothing sent)', () => {
        const { record, echoPosition } = afterOurWrite();
        const read = decide(record, catchUpRead('Quote', echoPosition - 1), context);
        expect(read.commands).toEqual([]);
        expect(read.record?.fields.stage).toMatchObject({ agreed: 'MOU', monday: { value: 'MOU', at: 23_708 } });
      });

      it('a read without readAfter (appended before it was kept) is decided by time, as before', () => {
        const { record } = afterOurWrite();
        expect(decide(record, catchUpRead('Quote'), context).commands).toEqual([]);
      });

      it('a newer Salesforce change still on its way to monday wins over the read (ordered by the held write)', () => {
        const { record, echoPosition } = afterOurWrite();
        const newer = decide(record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'Closed Won' }, at: 24_200 }), context);
        expect(newer.commands).toEqual([expect.objectContaining({ kind: 'monday.change_columns' })]);
        const read = decide(newer.record, catchUpRead('Quote', echoPosition), context);
        expect(read.commands).toEqual([]);
        expect(read.record?.fields.stage.agreed).toBe('Closed Won');
      });
    });
  });

  it('fields a Salesforce create leaves empty are known empty: an empty cell on the new item sends nothing back', () => {
    const created = decide(null, salesforceChanged({ object: 'Opportunity', id: OPP_ID, changeType: 'CREATE', fields: { Name: 'Bare', StageName: 'Quote' }, at: 1_000 }), context);
    expect(created.record?.fields.amount).toMatchObject({ agreed: null, agreedAt: 0, salesforce: { value: null } });
    const link = decide(created.record, recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', via: 'created_monday_item', values: { __name__: 'Bare', stage: 'Quote' }, at: 1_100 }), context);
    links.add('opportunity', OPP_ID, '501');
    expect(link.commands).toEqual([]);
    const emptyCell = decide(link.record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'amount', columnType: 'numeric', value: null, at: 1_200 }), context);
    expect(emptyCell.commands).toEqual([]);
    // A real value typed later still goes to Salesforce.
    const typed = decide(emptyCell.record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'amount', columnType: 'numeric', value: { value: '500' }, at: 1_300 }), context);
    expect(typed.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { Amount: 500 } })]);
  });

  it('a link made by our monday create does not claim Salesforce holds the values the create carried', () => {
    const created = decide(null, salesforceChanged({ object: 'Opportunity', id: '006000000000005AAA', changeType: 'CREATE', fields: { Name: 'Race', StageName: 'Follow-up' }, at: 1_000 }), context);
    // Salesforce moves on while the item is being created...
    const moved = decide(created.record, salesforceChanged({ object: 'Opportunity', id: '006000000000005AAA', fields: { StageName: 'Quote' }, at: 1_500 }), context);
    // ...then the create finishes with the values it was decided with.
    const linked = decide(moved.record, { ...recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: '006000000000005AAA', boardId: OPPORTUNITY_BOARD, itemId: '555', values: { stage: 'Follow-up' }, at: 2_000 }), payload: { ...recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: '006000000000005AAA', boardId: OPPORTUNITY_BOARD, itemId: '555', values: { stage: 'Follow-up' } }).payload, via: 'created_monday_item' } } as never, context);
    expect(linked.commands).toEqual([expect.objectContaining({ kind: 'monday.change_columns', columnValues: { stage: { label: 'Quote' } } })]);
    links.add('opportunity', '006000000000005AAA', '555');
    // A person on monday picks Follow-up again: Salesforce holds Quote, so it must be written.
    const edit = decide(linked.record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '555', columnId: 'stage', columnType: 'color', value: status('Follow-up'), at: 3_000 }), context);
    expect(edit.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'Follow-up' } })]);
  });

  it('a Salesforce delete archives the item (delete: archive) and a late update cannot resurrect it', () => {
    const record = linkedOpportunity();
    const deleted = decide(record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, changeType: 'DELETE', fields: {}, at: 2_000 }), context);
    expect(deleted.commands).toEqual([expect.objectContaining({ kind: 'monday.archive_item', itemId: '501' })]);
    const late = decide(deleted.record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Quote', 3), at: 2_500 }), context);
    expect(late.commands).toEqual([]);
    expect(late.outcome).toMatchObject({ reason: 'deleted_record' });
  });

  it("a gap catch-up's read of the recycle bin (IsDeleted) archives the item as a DELETE change event would; a live snapshot after it does not restore it", () => {
    const record = linkedOpportunity();
    const inRecycleBin = recorded(snapshotEvent('Opportunity', { Id: OPP_ID, SystemModstamp: '1970-01-01T00:00:02.000+0000', IsDeleted: true }, 'catch_up'));
    const deleted = decide(record, inRecycleBin, context);
    expect(deleted.outcome).toMatchObject({ outcome: 'projected', reason: 'monday.archive_item' });
    expect(deleted.commands).toEqual([expect.objectContaining({ kind: 'monday.archive_item', itemId: '501' })]);
    expect(deleted.record?.deleted).toEqual({ side: 'salesforce', at: 2_000 });
    const again = decide(deleted.record, inRecycleBin, context);
    expect(again.commands).toEqual([]);
    const live = decide(deleted.record, recorded(snapshotEvent('Opportunity', { Id: OPP_ID, SystemModstamp: '1970-01-01T00:00:03.000Z', StageName: 'Quote' }, 'catch_up')), context);
    expect(live.commands).toEqual([]);
  });

  it('a recycle-bin snapshot of a record never linked creates no item', () => {
    const result = decide(null, recorded(snapshotEvent('Opportunity', { Id: '006000000000008AAA', SystemModstamp: '1970-01-01T00:00:02.000Z', IsDeleted: true }, 'catch_up')), context);
    expect(result.commands).toEqual([]);
    expect(result.outcome).toMatchObject({ reason: 'not_linked_yet' });
  });

  it('a new Salesforce record creates a monday item carrying its 18-character Id', () => {
    const result = decide(null, salesforceChanged({ object: 'Opportunity', id: '006000000000009AAA', changeType: 'CREATE', fields: { Name: 'New deal', StageName: 'Quote', Amount: 1200 }, at: 2_000 }), context);
    expect(result.commands).toEqual([
      expect.objectContaining({ kind: 'monday.create_item', boardId: OPPORTUNITY_BOARD, name: 'New deal', columnValues: expect.objectContaining({ salesforce_id: '006000000000009AAA', stage: { label: 'Quote' } }) }),
    ]);
    expect(result.record?.creating).toBe('monday');
    const again = decide(result.record, salesforceChanged({ object: 'Opportunity', id: '006000000000009AAA', fields: { Amount: 1300 }, at: 2_100 }), context);
    expect(again.commands).toEqual([]);
    expect(again.outcome).toMatchObject({ reason: 'already_creating' });
  });

  it('a relation to an item that is not linked yet waits, then completes when the link appears', () => {
    const record = linkedOpportunity();
    const waiting = decide(record, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'account', columnType: 'board-relation', value: { linkedPulseIds: [{ linkedPulseId: 777 }] }, at: 2_000 }), context);
    expect(waiting.commands).toEqual([]);
    expect(waiting.outcome).toMatchObject({ reason: 'waiting_for_link' });
    links.add('account', '001000000000007AAA', '777');
    const resolved = resolveWaiting(waiting.record as SyncRecord, mapping.byKey.get('opportunity')!, context);
    expect(resolved.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { AccountId: '001000000000007AAA' } })]);
    expect(resolved.record?.waiting).toEqual([]);
  });

  it('a relation edit delivered late neither replaces nor cancels a newer one waiting for its link (fault campaign seed 504 shape)', () => {
    const account = (itemId: number, at: number) =>
      mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'account', columnType: 'board-relation', value: { linkedPulseIds: [{ linkedPulseId: itemId }] }, at });
    links.add('account', '001000000000005AAA', '555');
    // monday: account 555 (linked) at t=2000, then 777 (not linked yet) at t=3000; retries deliver 3000 first.
    const newer = decide(linkedOpportunity(), account(777, 3_000), context);
    expect(newer.outcome).toMatchObject({ reason: 'waiting_for_link' });
    const older = decide(newer.record, account(555, 2_000), context);
    expect(older.commands).toEqual([]);
    expect(older.record?.waiting).toEqual([expect.objectContaining({ fieldKey: 'account', at: 3_000 })]);
    // And the other way round: an older unlinked one does not replace the newer waiting one.
    const olderUnlinked = decide(newer.record, account(888, 2_500), context);
    expect(olderUnlinked.record?.waiting).toEqual([expect.objectContaining({ fieldKey: 'account', at: 3_000 })]);
    links.add('account', '001000000000007AAA', '777');
    const resolved = resolveWaiting(older.record as SyncRecord, mapping.byKey.get('opportunity')!, context);
    expect(resolved.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { AccountId: '001000000000007AAA' } })]);
  });

  it('a new Salesforce record whose account is not linked yet creates its item without it, then sets it when the account links', () => {
    // The owner has no monday account: that can never resolve, so it does not wait (every link would re-check it).
    const created = decide(null, salesforceChanged({ object: 'Opportunity', id: OPP_ID, changeType: 'CREATE', fields: { Name: 'Child', StageName: 'Quote', AccountId: '001000000000007AAA', OwnerId: '005000000000009AAA' }, at: 1_000 }), context);
    expect(created.commands).toEqual([expect.objectContaining({ kind: 'monday.create_item', columnValues: expect.not.objectContaining({ account: expect.anything() }) })]);
    expect(created.record?.waiting).toEqual([expect.objectContaining({ fieldKey: 'account', towards: 'monday' })]);
    // The account links first: the opportunity's item does not exist yet, so the value keeps waiting...
    links.add('account', '001000000000007AAA', '777');
    const early = resolveWaiting(created.record as SyncRecord, mapping.byKey.get('opportunity')!, context);
    expect(early.commands.filter(Boolean)).toEqual([]);
    // ...and the opportunity's own link sends it.
    const linked = decide(early.record, recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', via: 'created_monday_item', values: { __name__: 'Child', stage: 'Quote' }, at: 1_100 }), context);
    expect(linked.commands).toEqual([expect.objectContaining({ kind: 'monday.change_columns', itemId: '501', columnValues: { account: { item_ids: [777] } } })]);
  });

  it('a new item whose account item is not linked yet creates its Salesforce record without it, then sets AccountId once both are linked', () => {
    const snapshot = itemSnapshot(OPPORTUNITY_BOARD, '501', 'Child', { stage: 'Quote', close_date: '2027-01-31' });
    const payload = snapshot.payload as { columnValues: Array<Record<string, unknown>> };
    payload.columnValues.push({ id: 'account', type: 'board_relation', value: null, text: 'Acme', linkedItemIds: ['777'] });
    // A date column's value as monday's API gives it (itemSnapshot writes text values).
    payload.columnValues.find((c) => c.id === 'close_date')!.value = JSON.stringify({ date: '2027-01-31' });
    const read = decide(newRecord('opportunity', OPPORTUNITY_BOARD, { mondayItemId: '501' }), snapshot, context);
    expect(read.commands).toEqual([expect.objectContaining({ kind: 'salesforce.create', fields: expect.not.objectContaining({ AccountId: expect.anything() }) })]);
    expect(read.record?.waiting).toEqual([expect.objectContaining({ fieldKey: 'account', towards: 'salesforce' })]);
    links.add('account', '001000000000007AAA', '777');
    // The account is linked, but the opportunity is still being created: nothing can be sent yet.
    const early = resolveWaiting(read.record as SyncRecord, mapping.byKey.get('opportunity')!, context);
    expect(early.commands.filter(Boolean)).toEqual([]);
    const linked = decide(early.record, recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', via: 'created_salesforce_record', values: { __name__: 'Child', stage: 'Quote' }, at: 3_000 }), context);
    links.add('opportunity', OPP_ID, '501');
    const resolved = resolveWaiting(linked.record as SyncRecord, mapping.byKey.get('opportunity')!, context);
    expect(resolved.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', salesforceId: OPP_ID, fields: { AccountId: '001000000000007AAA' } })]);
    expect(resolved.record?.waiting).toEqual([]);
  });

  it("a new item's empty owner column (OwnerId is required) is left to Salesforce's default: a create, no rejected value", () => {
    const snapshot = itemSnapshot(OPPORTUNITY_BOARD, '502', 'No owner', { stage: 'Quote' });
    const payload = snapshot.payload as { columnValues: Array<Record<string, unknown>> };
    payload.columnValues.push({ id: 'close_date', type: 'date', value: JSON.stringify({ date: '2027-01-31' }), text: '2027-01-31' });
    payload.columnValues.push({ id: 'owner', type: 'people', value: null, text: '' });
    const read = decide(newRecord('opportunity', OPPORTUNITY_BOARD, { mondayItemId: '502' }), snapshot, context);
    expect(read.commands).toEqual([expect.objectContaining({ kind: 'salesforce.create', fields: expect.not.objectContaining({ OwnerId: expect.anything() }) })]);
    expect(read.commands).toEqual([expect.objectContaining({ fields: expect.objectContaining({ CloseDate: '2027-01-31' }) })]);
  });

  it('an item renamed before its link is recorded (we just created it) is read, not lost', () => {
    const rename = {
      ...mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'x', columnType: 'text', value: null, at: 2_000 }),
      type: 'monday.item_renamed',
      payload: { type: 'update_name', triggerTime: '', userId: 5001, triggerUuid: 'r1', boardId: Number(OPPORTUNITY_BOARD), pulseId: 501, value: { name: 'Renamed' }, previousValue: { name: 'Old' } },
    } as never;
    const result = decide(null, rename, context);
    expect(result.outcome).toMatchObject({ outcome: 'projected', reason: 'reading_unknown_item' });
    expect(result.commands).toEqual([expect.objectContaining({ kind: 'monday.refresh_item', itemId: '501' })]);
  });

  it('a person changing the item we just created, before its link is recorded, wins once linked', () => {
    const created = decide(null, salesforceChanged({ object: 'Opportunity', id: OPP_ID, changeType: 'CREATE', fields: { Name: 'Deal', StageName: 'Quote' }, at: 1_000 }), context);
    // The item exists (made at t=1400) and a person sets MOU at t=1500; the webhook is decided before our link is recorded.
    const early = decide(null, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('MOU', 1), at: 1_500 }), context);
    expect(early.outcome).toMatchObject({ reason: 'reading_unknown_item' });
    const link = recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', via: 'created_monday_item', values: { __name__: 'Deal', stage: 'Quote' }, at: 1_400 });
    const linked = decide(withFieldsOf(early.record as SyncRecord, created.record as SyncRecord), link, context);
    expect(linked.record?.fields.stage).toMatchObject({ agreed: 'MOU', monday: { value: 'MOU' }, salesforce: { value: 'Quote' } });
    expect(linked.commands).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'salesforce.update', fields: { StageName: 'MOU' } })]));
  });

  it('a person changing the item we just created, recorded before a link that is recorded late, still holds their value (the link is timed by its send)', () => {
    const created = decide(null, salesforceChanged({ object: 'Opportunity', id: OPP_ID, changeType: 'CREATE', fields: { Name: 'Deal', StageName: 'Quote' }, at: 1_000 }), context);
    // Our create_item is sent at t=1300; a person sets MOU on the new item at t=1500; the link is recorded at t=1600.
    const early = decide(null, mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'stage', columnType: 'color', value: status('MOU', 1), at: 1_500 }), context);
    const link = recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', via: 'created_monday_item', values: { __name__: 'Deal', stage: 'Quote' }, at: 1_600, sentAt: 1_300 });
    const linked = decide(withFieldsOf(early.record as SyncRecord, created.record as SyncRecord), link, context);
    links.add('opportunity', OPP_ID, '501');
    expect(linked.record?.fields.stage).toMatchObject({ agreed: 'MOU', monday: { value: 'MOU', at: 1_500 } });
    // A person in Salesforce going back to Quote is sent to monday, which shows MOU.
    const back = decide(linked.record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'Quote' }, at: 2_000 }), context);
    expect(back.commands).toEqual([expect.objectContaining({ kind: 'monday.change_columns', columnValues: { stage: { label: 'Quote' } } })]);
  });

  it('an item deleted before its link is recorded stays deleted: the link writes nothing to it, nor do later changes', () => {
    const created = decide(null, salesforceChanged({ object: 'Opportunity', id: OPP_ID, changeType: 'CREATE', fields: { Name: 'Deal', StageName: 'Quote', AccountId: '001000000000007AAA' }, at: 1_000 }), context);
    const deleted = decide(null, { ...mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId: '501', columnId: 'x', columnType: 'text', value: null, at: 1_500 }), type: 'monday.item_deleted' } as never, context);
    expect(deleted.record?.deleted).toEqual({ side: 'monday', at: 1_500 });
    links.add('account', '001000000000007AAA', '777');
    const link = recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', via: 'created_monday_item', values: { __name__: 'Deal', stage: 'Quote' }, at: 1_400 });
    const linked = decide(withFieldsOf(deleted.record as SyncRecord, created.record as SyncRecord), link, context);
    expect(linked.commands.filter(Boolean)).toEqual([]);
    const later = decide(linked.record, salesforceChanged({ object: 'Opportunity', id: OPP_ID, fields: { StageName: 'MOU' }, at: 2_000 }), context);
    expect(later.outcome).toMatchObject({ outcome: 'skipped', reason: 'deleted_record' });
    expect(resolveWaiting(linked.record as SyncRecord, mapping.byKey.get('opportunity')!, context).commands).toEqual([]);
  });

  it('a lead item created on monday is read first, and reaches Salesforce only once Qualified', () => {
    const LEADS = '9378000505';
    const created = decide(null, {
      ...mondayColumnChanged({ boardId: LEADS, itemId: '900', columnId: 'x', columnType: 'text', value: null, at: 1_000 }),
      type: 'monday.item_created',
      payload: { type: 'create_pulse', triggerTime: '', userId: 5001, triggerUuid: 'u1', boardId: Number(LEADS), pulseId: 900, pulseName: 'Acme', columnValues: {} },
    } as never, context);
    expect(created.commands).toEqual([expect.objectContaining({ kind: 'monday.refresh_item', itemId: '900' })]);
    const working = decide(created.record, mondayColumnChanged({ boardId: LEADS, itemId: '900', columnId: 'lead_status', columnType: 'color', value: status('Working'), at: 2_000 }), context);
    expect(working.commands).toEqual([]);
    expect(working.outcome).toMatchObject({ reason: 'condition_false' });
    const qualified = decide(working.record, mondayColumnChanged({ boardId: LEADS, itemId: '900', columnId: 'lead_status', columnType: 'color', value: status('Qualified'), at: 3_000 }), context);
    expect(qualified.commands).toEqual([expect.objectContaining({ kind: 'monday.refresh_item', itemId: '900' })]);
    const read = decide(qualified.record, itemSnapshot(LEADS, '900', 'Acme', { lead_status: 'Qualified', last_name: 'Reyes' }), context);
    expect(read.commands).toEqual([
      expect.objectContaining({ kind: 'salesforce.create', salesforceObject: 'Lead', itemId: '900', fields: expect.objectContaining({ Status: 'Qualified', LastName: 'Reyes', Company: 'Acme' }) }),
    ]);
    const linked = decide(read.record, recordLinked({ objectKey: 'lead', salesforceObject: 'Lead', salesforceId: '00Q000000000001AAA', boardId: LEADS, itemId: '900', values: { lead_status: 'Qualified', last_name: 'Reyes', __name__: 'Acme' }, at: 3_500 }), context);
    expect(linked.commands).toEqual([expect.objectContaining({ kind: 'salesforce.convert_lead', leadId: '00Q000000000001AAA', convertedStatus: 'Closed - Converted' })]);
  });

  it('no update is decided for a converted Lead: neither after our conversion nor after one a person made in Salesforce (issue #20)', () => {
    const LEADS = '9378000505';
    const LEAD_ID = '00Q000000000002AAA';
    const link = recordLinked({ objectKey: 'lead', salesforceObject: 'Lead', salesforceId: LEAD_ID, boardId: LEADS, itemId: '901', values: { lead_status: 'Working', last_name: 'Reyes', __name__: 'Acme' }, at: 1_000 });
    const linked = decide(null, link, context);
    expect(linked.record?.convertedAt).toBeNull();
    // Not converted yet: an edit is sent (the control for what follows).
    const edit = mondayColumnChanged({ boardId: LEADS, itemId: '901', columnId: 'last_name', columnType: 'text', value: { value: 'Ruiz' }, at: 2_000 });
    expect(decide(linked.record, edit, context).commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', salesforceId: LEAD_ID })]);
    // A person converts the Lead in Salesforce; CDC tells us before anyone edits the item.
    const converted = decide(linked.record, salesforceChanged({ object: 'Lead', id: LEAD_ID, fields: { IsConverted: true, Status: 'Closed - Converted' }, at: 3_000 }), context);
    expect(converted.record?.convertedAt).toBe(3_000);
    const later = decide(converted.record, { ...edit, payload: { ...edit.payload, changedAt: 4 } } as never, context);
    expect(later.commands.filter(Boolean)).toEqual([]);
    expect(later.outcome).toMatchObject({ outcome: 'skipped', reason: 'converted_lead' });
    // A first catch-up's snapshot of the item sends nothing to the converted Lead either.
    const read = decide(converted.record, itemSnapshot(LEADS, '901', 'Acme Corp', { lead_status: 'Working', last_name: 'Diaz' }), context);
    expect(read.commands.filter((c) => c?.target === 'salesforce')).toEqual([]);
  });
});
