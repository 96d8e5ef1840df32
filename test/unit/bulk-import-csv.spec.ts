import { parse } from 'csv-parse/sync';
import { buildImportFile, cellFor } from '../../src/monday/bulk-import-csv';
import type { MondayColumnSchema } from '../../src/mapping/live-schema';

const col = (id: string, type: string, settings: MondayColumnSchema['settings'] = {}): MondayColumnSchema => ({ id, title: id, type, settings });
const status = col('status', 'status', { statusLabels: [{ id: 1, label: 'Working' }] });
const dropdown = col('tags', 'dropdown', { dropdownLabels: [{ id: 3, label: 'Youth Mentoring' }, { id: 4, label: 'Data Literacy' }] });

describe('bulk import CSV cells (addendum 1.5a) from create_item write values', () => {
  it.each([
    [col('t', 'text'), 'Ada', 'Ada'],
    [col('n', 'numbers'), 12.5, '12.5'],
    [col('l', 'long_text'), { text: 'line 1\nline 2' }, 'line 1\nline 2'],
    [status, { label: 'Working' }, 'Working'],
    [status, { index: 1 }, 'Working'],
    [dropdown, { labels: ['Youth Mentoring', 'Data Literacy'] }, 'Youth Mentoring,Data Literacy'],
    [dropdown, { ids: [4] }, 'Data Literacy'],
    [col('d', 'date'), { date: '2026-06-15', time: '09:00:00' }, '2026-06-15 09:00:00'],
    [col('d', 'date'), { date: '2026-06-15' }, '2026-06-15'],
    [col('tl', 'timeline'), { from: '2026-06-03', to: '2026-06-07' }, '2026-06-03/2026-06-07'],
    [col('e', 'email'), { email: 'a@b.org', text: 'a@b.org' }, 'a@b.org'],
    [col('e', 'email'), { email: 'a@b.org', text: 'Ada' }, 'Ada <a@b.org>'],
    [col('w', 'link'), { url: 'https://x.org', text: 'X' }, '[X](https://x.org)'],
    [col('p', 'phone'), { phone: '+14155550101', countryShortName: 'US' }, '+14155550101 US'],
    [col('c', 'checkbox'), { checked: true }, 'true'],
    [col('o', 'people'), { personsAndTeams: [{ id: 7, kind: 'person' }] }, 'user:7'],
    [col('r', 'board_relation'), { item_ids: [11, 12] }, '11,12'],
    [col('t', 'text'), null, ''],
  ])('%s %j -> %j', (column, write, cell) => {
    expect(cellFor(column, write)).toBe(cell);
  });

  it.each([
    [col('k', 'country'), { countryCode: 'US', countryName: 'United States' }, 'a type bulk import does not take'],
    [status, { label: 'Brand new label' }, 'a label the column lacks (bulk import creates none)'],
    [dropdown, { labels: ['a,b'] }, 'a label with the list separator'],
    [col('p', 'phone'), { phone: '+14155550101', countryShortName: '' }, 'a phone without its country'],
    [col('o', 'people'), { personsAndTeams: [{ id: 2, kind: 'team' }] }, 'a team'],
  ] as Array<[MondayColumnSchema, unknown, string]>)('%s %j cannot ride in the file (%s)', (column, write) => {
    expect(cellFor(column, write)).toBeUndefined();
  });

  it('the file: name first, only the columns a row sets, RFC 4180 quoting, the rest left over per row', () => {
    const columns = [col('salesforce_id', 'text'), col('city', 'text'), col('country', 'country'), status];
    const file = buildImportFile(columns, [
      { name: 'Org, "One"', columnValues: { salesforce_id: '00Q1', city: 'North Town', country: { countryCode: 'FR', countryName: 'France' } } },
      { name: 'Org Two', columnValues: { salesforce_id: '00Q2', status: { label: 'New label' }, city: null } },
    ]);

    expect(parse(file.csv)).toEqual([
      ['name', 'salesforce_id', 'city'],
      ['Org, "One"', '00Q1', 'North Town'],
      ['Org Two', '00Q2', ''],
    ]);
    expect(file.leftOver).toEqual([{ country: { countryCode: 'FR', countryName: 'France' } }, { status: { label: 'New label' } }]);
  });
});
