import type { OutboxCommand } from '../../src/sync-commands/outbox-command';
import { forRetry, revisePendingCommand, type Revision } from '../../src/sync-projector/pending-commands';
import { newRecord, type FieldState } from '../../src/sync-projector/sync-record';
import { exampleResolvedMapping } from '../support/sandbox-schemas';

const OPP_ID = '006000000000001AAA';
const update = (values: Record<string, string | number>, fields: Record<string, string | number>): OutboxCommand => ({
  kind: 'salesforce.update',
  target: 'salesforce',
  objectKey: 'opportunity',
  salesforceObject: 'Opportunity',
  salesforceId: OPP_ID,
  fields,
  values,
});
const change = (values: Record<string, string | number>, columnValues: Record<string, unknown>, name?: string): OutboxCommand => ({
  kind: 'monday.change_columns',
  target: 'monday',
  objectKey: 'opportunity',
  boardId: '9378000526',
  itemId: '501',
  ...(name !== undefined ? { name } : {}),
  columnValues,
  createLabelsIfMissing: false,
  values,
});

/** Field state where `agreed` holds each value and, when given, the target side holds `held`. */
function fields(agreed: Record<string, string | number>, held: { side: 'salesforce' | 'monday'; values: Record<string, string | number> } = { side: 'salesforce', values: {} }): Record<string, FieldState> {
  return Object.fromEntries(
    Object.entries(agreed).map(([key, value]) => [
      key,
      { agreed: value, agreedAt: 2, agreedFrom: 'monday', ...(key in held.values ? { [held.side]: { value: held.values[key], at: 1 } } : {}) } satisfies FieldState,
    ]),
  );
}

const mapping = exampleResolvedMapping();

/** revisePendingCommand as the old send-time filter read: the command to send, or null for nothing. */
function revised(command: OutboxCommand, state: Record<string, FieldState>, deleted = false): OutboxCommand | null {
  const record = { ...newRecord('opportunity', '9378000526', { mondayItemId: '501' }), salesforceId: OPP_ID, fields: state, deleted: deleted ? { side: 'monday' as const, at: 3 } : null };
  const revision: Revision = revisePendingCommand(command, record, mapping);
  return revision.kind === 'unchanged' ? command : revision.kind === 'rewritten' ? revision.command : null;
}

/**
 * The projector revises a command waiting in the outbox whenever later events move the record's state:
 * it must not overwrite a value that became agreed after it was decided, nor write what the target
 * holds by now (a person's edit or another write of ours, whose result event updated the state).
 */
describe('projector: pending commands carry what the state says now', () => {
  it('drops a Salesforce value that a newer edit replaced and keeps the rest', () => {
    const command = update({ amount: 74250, next_step: 'Call' }, { Amount: 74250, NextStep: 'Call' });
    expect(revised(command, fields({ amount: 58000, next_step: 'Call' }))).toEqual(update({ next_step: 'Call' }, { NextStep: 'Call' }));
  });

  it('cancels when every value was superseded, and leaves an unchanged command as it is', () => {
    expect(revised(update({ amount: 74250 }, { Amount: 74250 }), fields({ amount: 58000 }))).toBeNull();
    const current = update({ amount: 74250 }, { Amount: 74250 });
    expect(revisePendingCommand(current, { ...newRecord('opportunity', '9378000526', { mondayItemId: '501' }), fields: fields({ amount: 74250 }, { side: 'salesforce', values: { amount: 58000 } }) }, mapping)).toEqual({ kind: 'unchanged' });
  });

  it('drops a value the target holds by now (a person there typed it, or another write of ours left it there)', () => {
    const command = update({ stage: 'Follow-up', amount: 100 }, { StageName: 'Follow-up', Amount: 100 });
    const now = fields({ stage: 'Follow-up', amount: 100 }, { side: 'salesforce', values: { stage: 'Follow-up', amount: 50 } });
    expect(revised(command, now)).toEqual(update({ amount: 100 }, { Amount: 100 }));
    expect(revised(change({ amount: 1 }, { amount: '1' }), fields({ amount: 1 }, { side: 'monday', values: { amount: 1 } }))).toBeNull();
  });

  it('drops superseded monday columns and a superseded name', () => {
    const command = change({ amount: 1, __name__: 'Old' }, { amount: '1' }, 'Old');
    expect(revised(command, fields({ amount: 1, __name__: 'New' }))).toEqual(change({ amount: 1 }, { amount: '1' }));
    expect(revised(change({ amount: 1 }, { amount: '1' }), fields({ amount: 2 }))).toBeNull();
  });

  it('an update of a record deleted since it was decided is cancelled; other kinds are never revised', () => {
    expect(revised(change({ amount: 1 }, { amount: '1' }), fields({ amount: 1 }), true)).toBeNull();
    expect(revised(change({ amount: 1 }, { amount: '1' }), fields({ amount: 1 }))).toEqual(change({ amount: 1 }, { amount: '1' }));
    const refresh: OutboxCommand = { kind: 'monday.refresh_item', target: 'monday', objectKey: 'opportunity', boardId: '9378000526', itemId: '501' };
    expect(revised(refresh, {}, true)).toBe(refresh);
  });

  it('a claimed update that would be cancelled is retried carrying nothing (an empty update, a change of no column and no name)', () => {
    expect(forRetry(update({ amount: 74250 }, { Amount: 74250 }))).toEqual(update({}, {}));
    expect(forRetry(change({ amount: 74250 }, { amount: '74250' }, 'Renamed'))).toEqual(change({}, {}));
  });

  // Issue 16, seed 615's family: Salesforce shows Quote from the echo of an older command of ours,
  // and the command between (MOU) is still to run: this one, carrying Quote, must still be sent.
  it('keeps a value the target seems to hold while an older command of the record still writes another value of that field there', () => {
    const record = { ...newRecord('opportunity', '9378000526', { mondayItemId: '501' }), salesforceId: OPP_ID, fields: fields({ stage: 'Quote' }, { side: 'salesforce', values: { stage: 'Quote' } }) };
    const command = update({ stage: 'Quote' }, { StageName: 'Quote' });
    expect(revisePendingCommand(command, record, mapping, new Map([['stage', 'MOU']]))).toEqual({ kind: 'unchanged' });
    // An older one writing the same value (its own echo is what shows it held), or other fields: held, dropped.
    expect(revisePendingCommand(command, record, mapping, new Map([['stage', 'Quote']]))).toEqual({ kind: 'cancelled' });
    expect(revisePendingCommand(command, record, mapping, new Map([['amount', 100]]))).toEqual({ kind: 'cancelled' });
  });

  it('a command a field still waits for (its number in sendingSeq) is emptied, not cancelled, so its outcome ends the wait', () => {
    const state = fields({ stage: 'Quote' }, { side: 'salesforce', values: { stage: 'Quote' } });
    const record = { ...newRecord('opportunity', '9378000526', { mondayItemId: '501' }), salesforceId: OPP_ID, fields: { stage: { ...state.stage, sendingTo: ['salesforce' as const], sendingSeq: { salesforce: 3 } } } };
    const numbered = (seq: number): OutboxCommand => ({ ...update({ stage: 'Quote' }, { StageName: 'Quote' }), seq } as OutboxCommand);
    expect(revisePendingCommand(numbered(3), record, mapping)).toEqual({ kind: 'rewritten', command: { ...update({}, {}), seq: 3 } });
    // An older command the field no longer waits for is cancelled as before.
    expect(revisePendingCommand(numbered(2), record, mapping)).toEqual({ kind: 'cancelled' });
  });
});
