import type { OutboxCommand } from '../../src/outbox/outbox-command';
import type { ClaimedCommand } from '../../src/outbox/claim';
import { dropSupersededValues, withoutSupersededValues } from '../../src/outbox/superseded-values';
import type { FieldState } from '../../src/projectors/sync-record';
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

/** A command waiting in the outbox must not overwrite a value that became agreed after it was decided, nor write what the target holds by now. */
describe('outbox: values superseded while a command waited', () => {
  const mapping = exampleResolvedMapping();

  it('drops a Salesforce value that a newer edit replaced and keeps the rest', () => {
    const command = update({ amount: 74250, next_step: 'Call' }, { Amount: 74250, NextStep: 'Call' });
    expect(withoutSupersededValues(command, fields({ amount: 58000, next_step: 'Call' }), mapping)).toEqual(update({ next_step: 'Call' }, { NextStep: 'Call' }));
  });

  it('leaves nothing to send when every value was superseded, and sends an unchanged command as it is', () => {
    expect(withoutSupersededValues(update({ amount: 74250 }, { Amount: 74250 }), fields({ amount: 58000 }), mapping)).toBeNull();
    const current = update({ amount: 74250 }, { Amount: 74250 });
    expect(withoutSupersededValues(current, fields({ amount: 74250 }, { side: 'salesforce', values: { amount: 58000 } }), mapping)).toBe(current);
  });

  it('drops a value the target holds by now (a person there typed it while the command waited for a retry)', () => {
    const command = update({ stage: 'Follow-up', amount: 100 }, { StageName: 'Follow-up', Amount: 100 });
    const now = fields({ stage: 'Follow-up', amount: 100 }, { side: 'salesforce', values: { stage: 'Follow-up', amount: 50 } });
    expect(withoutSupersededValues(command, now, mapping)).toEqual(update({ amount: 100 }, { Amount: 100 }));
    expect(withoutSupersededValues(change({ amount: 1 }, { amount: '1' }), fields({ amount: 1 }, { side: 'monday', values: { amount: 1 } }), mapping)).toBeNull();
  });

  it('drops a value another write of ours left on the target after this command was decided (two commands queued for one value)', () => {
    const command = update({ amount: 47500, next_step: 'Call' }, { Amount: 47500, NextStep: 'Call' });
    const now = fields({ amount: 47500, next_step: 'Call' }, { side: 'salesforce', values: { amount: 51250 } });
    expect(withoutSupersededValues(command, now, mapping, { amount: 47500 })).toEqual(update({ next_step: 'Call' }, { NextStep: 'Call' }));
    expect(withoutSupersededValues(command, now, mapping, { amount: 51250 })).toBe(command);
  });

  it('drops superseded monday columns and a superseded name', () => {
    const command = change({ amount: 1, __name__: 'Old' }, { amount: '1' }, 'Old');
    expect(withoutSupersededValues(command, fields({ amount: 1, __name__: 'New' }), mapping)).toEqual(change({ amount: 1 }, { amount: '1' }));
    expect(withoutSupersededValues(change({ amount: 1 }, { amount: '1' }), fields({ amount: 2 }), mapping)).toBeNull();
  });

  it('an update to a record deleted since it was decided is not sent', () => {
    const claimed = { id: 7, recordId: 3, command: change({ amount: 1 }, { amount: '1' }) } as ClaimedCommand;
    expect(dropSupersededValues([claimed], new Map([[3, { fields: fields({ amount: 1 }), deleted: true }]]), mapping)).toEqual({ send: [], nothingLeft: [claimed] });
    expect(dropSupersededValues([claimed], new Map([[3, { fields: fields({ amount: 1 }), deleted: false }]]), mapping)).toEqual({ send: [claimed], nothingLeft: [] });
  });
});
