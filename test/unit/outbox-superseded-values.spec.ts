import type { OutboxCommand } from '../../src/outbox/outbox-command';
import type { ClaimedCommand } from '../../src/outbox/claim';
import { dropSupersededValues, withoutSupersededValues } from '../../src/outbox/superseded-values';
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

/** A command waiting in the outbox must not overwrite a value that became agreed after it was decided. */
describe('outbox: values superseded while a command waited', () => {
  const mapping = exampleResolvedMapping();

  it('drops a Salesforce value that a newer edit replaced and keeps the rest', () => {
    const command = update({ amount: 74250, next_step: 'Call' }, { Amount: 74250, NextStep: 'Call' });
    expect(withoutSupersededValues(command, { amount: 58000, next_step: 'Call' }, mapping)).toEqual(update({ next_step: 'Call' }, { NextStep: 'Call' }));
  });

  it('leaves nothing to send when every value was superseded, and sends an unchanged command as it is', () => {
    expect(withoutSupersededValues(update({ amount: 74250 }, { Amount: 74250 }), { amount: 58000 }, mapping)).toBeNull();
    const current = update({ amount: 74250 }, { Amount: 74250 });
    expect(withoutSupersededValues(current, { amount: 74250 }, mapping)).toBe(current);
  });

  it('drops superseded monday columns and a superseded name', () => {
    const command = change({ amount: 1, __name__: 'Old' }, { amount: '1' }, 'Old');
    expect(withoutSupersededValues(command, { amount: 1, __name__: 'New' }, mapping)).toEqual(change({ amount: 1 }, { amount: '1' }));
    expect(withoutSupersededValues(change({ amount: 1 }, { amount: '1' }), { amount: 2 }, mapping)).toBeNull();
  });

  it('an update to a record deleted since it was decided is not sent', () => {
    const claimed = { id: 7, recordId: 3, command: change({ amount: 1 }, { amount: '1' }) } as ClaimedCommand;
    expect(dropSupersededValues([claimed], new Map([[3, { values: { amount: 1 }, deleted: true }]]), mapping)).toEqual({ send: [], nothingLeft: [claimed] });
    expect(dropSupersededValues([claimed], new Map([[3, { values: { amount: 1 }, deleted: false }]]), mapping)).toEqual({ send: [claimed], nothingLeft: [] });
  });
});
