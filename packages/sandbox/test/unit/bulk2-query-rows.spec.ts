import { QueryRows } from '../../src/salesforce/bulk2/bulk2-query-rows';

describe('Bulk API 2.0 query rows (emulator)', () => {
  const rows = [
    { attributes: { type: 'Lead' }, Id: '00Q1', Company: 'Acme', Owner: { attributes: { type: 'User' }, Name: 'Ada' }, Phone: null },
    { attributes: { type: 'Lead' }, Id: '00Q2', Company: 'Globex', Owner: null, Phone: '555' },
    { attributes: { type: 'Lead' }, Id: '00Q3', Company: 'Initech', Owner: { attributes: { type: 'User' }, Name: 'Bo' }, Phone: '556' },
  ];

  it('builds the cells of the asked page only, matching the SOQL spelling of a column case-insensitively', () => {
    const query = new QueryRows(['ID', 'company', 'Owner.name', 'Phone'], rows);
    expect(query.length).toBe(3);
    expect(query.cells(1, 3)).toEqual([
      ['00Q2', 'Globex', '', '555'],
      ['00Q3', 'Initech', 'Bo', '556'],
    ]);
    expect(query.cells(0, 1)).toEqual([['00Q1', 'Acme', 'Ada', '']]);
  });
});
