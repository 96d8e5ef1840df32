import type { RecordedEvent } from '../../src/event-store';
import { decide } from '../../src/sync-projector/decide';
import { disown, ownsWhole } from '../../src/sync-projector/record-ownership';
import { LinkIndex } from '../../src/sync-projector/link-index';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import type { SyncRecord } from '../../src/sync-projector/sync-record';
import { EmailUserDirectory } from '../../src/sync-projector/user-directory';
import { exampleResolvedMapping } from '../support/sandbox-schemas';
import { itemSnapshot, mondayColumnChanged, recordLinked, recorded, salesforceChanged } from '../support/sync-events';

/**
 * decide copies a record copy-on-write (copyRecord): the field states of the record it is given are
 * shared with the record it returns, so it must never change one in place. Every input record here
 * is deeply frozen (a write to it throws in strict mode) and compared with its earlier JSON.
 */
const BOARD = '9378000526';
const ITEM = '501';
const OPP = '006000000000001AAA';
const status = (text: string, index = 0) => ({ label: { index, text, style: { color: '#fff' } }, post_id: null });

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value as object)) deepFreeze(inner);
  }
  return value;
}

function commandSucceeded(at: number, sentAt: number, target: 'salesforce' | 'monday', written: Record<string, unknown>): RecordedEvent {
  return recorded({
    type: 'system.command_succeeded',
    source: 'system',
    sourceEventId: `command:${at}`,
    stream: `salesforce:Opportunity:${OPP}`,
    origin: 'unknown',
    occurredAt: new Date(at),
    payload: { commandId: at, kind: target === 'salesforce' ? 'salesforce.update' : 'monday.change_columns', target, recordId: 1, written, sentAt },
  } as Parameters<typeof recorded>[0]);
}

const links = new LinkIndex();
const context: SyncContext = { mapping: exampleResolvedMapping(), links, users: new EmailUserDirectory() };
links.add('opportunity', OPP, ITEM);
const linkedRecord = () => decide(null, recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP, boardId: BOARD, itemId: ITEM, values: { stage: 'Follow-up' } }), context).record as SyncRecord;

// Every path of state/field-state.ts that builds a state: first sight, accepted changes on both
// sides (sendingTo set), own echoes confirming and losing the value, an older change, our write's
// success, a snapshot of the item.
const events: RecordedEvent[] = [
  mondayColumnChanged({ boardId: BOARD, itemId: ITEM, columnId: 'stage', columnType: 'color', value: status('Quote', 3), at: 2_000 }),
  salesforceChanged({ object: 'Opportunity', id: OPP, fields: { Amount: 1200 }, at: 2_100 }),
  salesforceChanged({ object: 'Opportunity', id: OPP, fields: { StageName: 'Quote' }, at: 2_200, origin: 'own_echo' }),
  commandSucceeded(2_300, 2_150, 'salesforce', { stage: 'Quote' }),
  salesforceChanged({ object: 'Opportunity', id: OPP, fields: { StageName: 'MOU' }, at: 2_400 }),
  mondayColumnChanged({ boardId: BOARD, itemId: ITEM, columnId: 'stage', columnType: 'color', value: status('Follow-up', 1), at: 2_350, origin: 'own_echo' }),
  mondayColumnChanged({ boardId: BOARD, itemId: ITEM, columnId: 'stage', columnType: 'color', value: status('Quote', 3), at: 1_500 }),
  commandSucceeded(2_600, 2_500, 'monday', { stage: 'MOU' }),
  itemSnapshot(BOARD, ITEM, 'Opp', { stage: 'MOU' }, 3_000),
  salesforceChanged({ object: 'Opportunity', id: OPP, fields: { StageName: 'Follow-up', Amount: 900 }, at: 3_100 }),
];

describe('decide is copy-on-write (field states shared, never changed in place)', () => {
  it('no decision changes the record it is given; fields it did not touch are the same objects', () => {
    let record = linkedRecord();
    let replaced = 0;
    let shared = 0;
    for (const event of events) {
      const before = JSON.stringify(record);
      deepFreeze(record);
      const next = decide(record, event, context).record as SyncRecord;
      expect(JSON.stringify(record)).toBe(before);
      expect(next.fields).not.toBe(record.fields);
      for (const key of Object.keys(record.fields)) {
        if (next.fields[key] === record.fields[key]) {
          shared++;
          continue;
        }
        replaced++;
        // A replaced state is a new object: the frozen one is left as it was.
        expect(Object.isFrozen(next.fields[key])).toBe(false);
      }
      record = next;
    }
    // The sequence changed states (the checks above ran on real changes) and left others shared.
    expect(replaced).toBeGreaterThanOrEqual(8);
    expect(shared).toBeGreaterThanOrEqual(8);
    expect(record.fields.stage.agreed).toBe('Follow-up');
    expect(record.fields.amount.agreed).toBe(900);
  });
});

/**
 * A caller owning its records (SyncContext.ownsRecords: replay) has decide change them in place,
 * field states and command numbers included (record-ownership.ts): the record it is given first (a
 * stored version, frozen here) is copied whole once, and never changed; after that the same objects
 * are changed, to the state copy-on-write decisions reach.
 */
describe('decide in place on records owned whole', () => {
  const owning: SyncContext = { ...context, ownsRecords: true };

  it('copies a record it does not own whole once, changes it in place after, and reaches the copy-on-write state', () => {
    const stored = deepFreeze(linkedRecord());
    const storedJson = JSON.stringify(stored);
    let copyOnWrite = stored;
    let owned = stored;
    let inPlace = 0;
    let sameState = 0;
    let sideValuesChanged = 0;
    for (const event of events) {
      const before = owned;
      const states = { ...owned.fields };
      const seen = Object.values(owned.fields).flatMap((state) => [state.salesforce, state.monday].flatMap((value) => (value ? [{ value, at: value.at }] : [])));
      owned = decide(owned, event, owning).record as SyncRecord;
      copyOnWrite = decide(copyOnWrite, event, context).record as SyncRecord;
      // Monday and Salesforce facts decide on a writable record (writableRecord); links and command
      // outcomes still copy (copyRecord), and the next fact copies that copy whole once.
      if (!event.type.startsWith('system.')) {
        expect(ownsWhole(owned)).toBe(true);
        if (ownsWhole(before)) {
          expect(owned).toBe(before);
          inPlace++;
          for (const key of Object.keys(states)) if (owned.fields[key] === states[key]) sameState++;
          for (const { value, at } of seen) if (value.at !== at && Object.values(owned.fields).some((state) => state.salesforce === value || state.monday === value)) sideValuesChanged++;
        } else for (const key of Object.keys(before.fields)) expect(owned.fields[key]).not.toBe(before.fields[key]);
      }
      expect(JSON.parse(JSON.stringify(owned))).toEqual(JSON.parse(JSON.stringify(copyOnWrite)));
    }
    expect(JSON.stringify(stored)).toBe(storedJson);
    expect(inPlace).toBeGreaterThanOrEqual(5);
    // Field states changed in place, not replaced: the (up to two) states each of those events met.
    expect(sameState).toBeGreaterThanOrEqual(2 * inPlace - 1);
    // And the side value a change replaces, when it has the same shape.
    expect(sideValuesChanged).toBeGreaterThanOrEqual(2);
    expect(owned.fields.stage.agreed).toBe('Follow-up');
    expect(owned.fields.amount.agreed).toBe(900);
  });

  it('copies the side values of a version it does not own whole, and changes its copies', () => {
    // Both sides of both fields hold a plain change, which an owned record's next change rewrites in place.
    let stored = linkedRecord();
    for (const event of events.slice(0, 2)) stored = decide(stored, event, context).record as SyncRecord;
    stored = decide(stored, mondayColumnChanged({ boardId: BOARD, itemId: ITEM, columnId: 'stage', columnType: 'color', value: status('MOU', 2), at: 2_200 }), context).record as SyncRecord;
    const json = JSON.stringify(deepFreeze(stored));
    let owned = stored;
    for (const event of [
      salesforceChanged({ object: 'Opportunity', id: OPP, fields: { Amount: 1300, StageName: 'Follow-up' }, at: 2_300 }),
      mondayColumnChanged({ boardId: BOARD, itemId: ITEM, columnId: 'stage', columnType: 'color', value: status('Quote', 3), at: 2_400 }),
    ]) {
      owned = decide(owned, event, owning).record as SyncRecord;
    }
    expect(JSON.stringify(stored)).toBe(json);
    expect(owned.fields.amount.salesforce).toMatchObject({ value: 1300, at: 2_300 });
    expect(owned.fields.stage).toMatchObject({ agreed: 'Quote', salesforce: { value: 'Follow-up', at: 2_300 }, monday: { value: 'Quote', at: 2_400 } });
  });

  it('a record it is handed on from (disown) is copied again, and the copy changed, not the record', () => {
    const record = decide(deepFreeze(linkedRecord()), events[0], owning).record as SyncRecord;
    disown(record);
    const json = JSON.stringify(record);
    deepFreeze(record);
    const next = decide(record, events[1], owning).record as SyncRecord;
    expect(next).not.toBe(record);
    expect(JSON.stringify(record)).toBe(json);
    expect(next.fields.amount.agreed).toBe(1200);
  });
});
