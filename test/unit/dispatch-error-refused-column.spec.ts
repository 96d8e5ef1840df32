import { withRefusedColumn, type DispatchError } from '../../src/outbox/dispatch-error';

/** monday refuses a missing dropdown/status label naming the value only: the write tells which column. */
describe('withRefusedColumn', () => {
  const refused: DispatchError = { code: 'VALIDATION', target: 'monday', message: 'ColumnValueException: the dropdown label does not exist', crmCode: 'ColumnValueException', value: 'Other' };

  it('names the one column whose written label is the refused value', () => {
    expect(withRefusedColumn(refused, { billing_city: 'Fresno', industry: { labels: ['Other'] }, account_type: { label: 'Customer' } })).toMatchObject({ field: 'industry', value: 'Other' });
    expect(withRefusedColumn(refused, { account_type: { label: 'Other' } })).toMatchObject({ field: 'account_type' });
    expect(withRefusedColumn({ ...refused, value: 'Energy, Other' }, { industry: { labels: ['Energy', 'Other'] } })).toMatchObject({ field: 'industry' });
  });

  it('leaves the error alone when monday named the column, no column or several carry the value, or it is not monday', () => {
    expect(withRefusedColumn({ ...refused, field: 'stage' }, { industry: { labels: ['Other'] } }).field).toBe('stage');
    expect(withRefusedColumn(refused, { industry: { labels: ['Energy'] } }).field).toBeUndefined();
    expect(withRefusedColumn(refused, { industry: { labels: ['Other'] }, lead_source: { labels: ['Other'] } }).field).toBeUndefined();
    expect(withRefusedColumn({ ...refused, target: 'salesforce' }, { Industry: 'Other' }).field).toBeUndefined();
    const { value: _value, ...noValue } = refused;
    expect(withRefusedColumn(noValue, { industry: { labels: ['Other'] } }).field).toBeUndefined();
  });
});
