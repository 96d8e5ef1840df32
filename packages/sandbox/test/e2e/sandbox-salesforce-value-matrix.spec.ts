/**
 * Value matrix for the Salesforce emulator, driven by the real jsforce 3.10.16: each value is written
 * to an Account field and must be stored the way Salesforce stores it (trimmed text, "" as null,
 * numbers rounded to the field's scale) or refused with the real error code and message.
 */
import type { Connection } from 'jsforce';
import { SalesforceEmulator } from '../../src/salesforce';
import { passwordLogin, rawFetch, startEmulator } from './sandbox-salesforce-helpers';

function idOf(result: { id?: string }): string {
  if (!result.id) throw new Error('the save returned no id');
  return result.id;
}

type Stored = { stored: unknown };
type Refused = { errorCode: string; message?: string | RegExp; fields?: string[] };
type Row = [field: string, value: unknown, expected: Stored | Refused];

const MATRIX: Row[] = [
  // text: trimmed, empty and whitespace-only stored as null, length counted after trimming
  ['Site', '  Main campus  ', { stored: 'Main campus' }],
  ['Site', '', { stored: null }],
  ['Site', '   ', { stored: null }],
  ['TickerSymbol', ` ${'X'.repeat(20)} `, { stored: 'X'.repeat(20) }],
  ['TickerSymbol', 'X'.repeat(21), { errorCode: 'STRING_TOO_LONG', fields: ['TickerSymbol'] }],
  ['Sic', '8322', { stored: '8322' }],
  ['Description', '\n  two\nlines \n', { stored: 'two\nlines' }],
  ['Phone', '  +1 (415) 555-0101 ', { stored: '+1 (415) 555-0101' }],
  ['Website', ' example.org ', { stored: 'example.org' }],
  ['Name', '  Ünïcödé Stiftung  ', { stored: 'Ünïcödé Stiftung' }],
  // picklists: a padded value is the value; restricted ones refuse unknown values
  ['Ownership', ' Private ', { stored: 'Private' }],
  ['Ownership', 'Nonprofit', { stored: 'Nonprofit' }],
  // currency(18,0): rounded half up to the scale, at most 18 integer digits
  ['AnnualRevenue', 1234.5, { stored: 1235 }],
  ['AnnualRevenue', 999_999_999_999_999_900, { stored: 999_999_999_999_999_900 }],
  ['AnnualRevenue', 1e18, { errorCode: 'NUMBER_OUTSIDE_VALID_RANGE', message: 'Annual Revenue: value outside of valid range on numeric field: 1.0E18', fields: ['AnnualRevenue'] }],
  ['AnnualRevenue', -1e18, { errorCode: 'NUMBER_OUTSIDE_VALID_RANGE', message: 'Annual Revenue: value outside of valid range on numeric field: -1.0E18' }],
  // int with 8 digits
  ['NumberOfEmployees', 99_999_999, { stored: 99_999_999 }],
  ['NumberOfEmployees', 100_000_000, { errorCode: 'NUMBER_OUTSIDE_VALID_RANGE', message: 'Number Of Employees: value outside of valid range on numeric field: 1.0E8' }],
  ['NumberOfEmployees', 1.5, { errorCode: 'JSON_PARSER_ERROR' }],
  // read-only standard fields
  ['LastActivityDate', '2026-01-01', { errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['LastActivityDate'] }],
  ['PhotoUrl', 'https://x.org/a.png', { errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' }],
];

describe('Salesforce emulator value matrix (jsforce)', () => {
  let em: SalesforceEmulator;
  let conn: Connection;

  beforeAll(async () => {
    em = await startEmulator();
    conn = await passwordLogin(em);
  });
  afterAll(async () => {
    await em.close();
  });

  // Distinct names: the org's standard duplicate rule would otherwise refuse the second "Matrix" Account.
  it.each(MATRIX.map((row, i) => [...row, i] as const))('Account.%s = %j -> %j', async (field, value, expected, i) => {
    const body = field === 'Name' ? { Name: value } : { Name: `Matrix row ${i} ${field}`, [field]: value };
    const outcome = await conn.sobject('Account').create(body).catch((e: unknown) => e);
    if ('stored' in expected) {
      expect(outcome).toMatchObject({ success: true });
      const record = await conn.sobject('Account').retrieve((outcome as { id: string }).id, { fields: [field] });
      expect(record[field]).toEqual(expected.stored);
    } else {
      expect(outcome).toMatchObject({ errorCode: expected.errorCode, ...(expected.fields ? { data: { fields: expected.fields } } : {}) });
      if (expected.message) expect((outcome as Error).message).toEqual(expected.message);
    }
  });

  it('a required field given only whitespace is REQUIRED_FIELD_MISSING on create and on update', async () => {
    await expect(conn.sobject('Account').create({ Name: '   ' })).rejects.toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', data: { fields: ['Name'] } });
    await expect(conn.sobject('Lead').create({ LastName: 'Ng', Company: ' \t ' })).rejects.toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', data: { fields: ['Company'] } });
    const created = await conn.sobject('Account').create({ Name: 'Kept' });
    await expect(conn.sobject('Account').update({ Id: idOf(created), Name: '  ' })).rejects.toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING' });
    expect((await conn.sobject('Account').retrieve(idOf(created))).Name).toBe('Kept');
  });

  it('a padded value is stored trimmed, so writing it again changes nothing', async () => {
    const created = await conn.sobject('Account').create({ Name: '  Padded Org ' });
    const before = await conn.sobject('Account').retrieve(idOf(created));
    expect(before.Name).toBe('Padded Org');
    await conn.sobject('Account').update({ Id: idOf(created), Name: 'Padded Org   ' });
    const rows = await conn.query<{ Name: string }>(`SELECT Name FROM Account WHERE Name = 'Padded Org'`);
    expect(rows.records.map((r) => r.Name)).toEqual(['Padded Org']);
  });

  it('describe serves precision, scale and digits per field and the new standard Account fields', async () => {
    const account = await conn.sobject('Account').describe();
    const byName = new Map(account.fields.map((f) => [f.name, f]));
    expect(byName.get('AnnualRevenue')).toMatchObject({ type: 'currency', precision: 18, scale: 0 });
    expect(byName.get('NumberOfEmployees')).toMatchObject({ type: 'int', digits: 8 });
    expect(byName.get('Ownership')).toMatchObject({ type: 'picklist', picklistValues: expect.arrayContaining([expect.objectContaining({ value: 'Subsidiary' })]) });
    for (const name of ['Sic', 'SicDesc', 'TickerSymbol', 'Site']) expect(byName.get(name)).toMatchObject({ type: 'string', createable: true });
    expect(byName.get('LastActivityDate')).toMatchObject({ type: 'date', createable: false, updateable: false });
    const opportunity = await conn.sobject('Opportunity').describe();
    expect(opportunity.fields.find((f) => f.name === 'Amount')).toMatchObject({ precision: 16, scale: 2 });
    await expect(conn.sobject('Opportunity').create({ Name: 'Big', StageName: 'Prospecting', CloseDate: '2026-12-31', Amount: 1e14 })).rejects.toMatchObject({
      errorCode: 'NUMBER_OUTSIDE_VALID_RANGE',
      message: 'Amount: value outside of valid range on numeric field: 1.0E14',
    });
    const rounded = await conn.sobject('Opportunity').create({ Name: 'Cents', StageName: 'Prospecting', CloseDate: '2026-12-31', Amount: 10.005 });
    expect((await conn.sobject('Opportunity').retrieve(idOf(rounded))).Amount).toBe(10.01);
  });
});

describe('Salesforce emulator external ids without the unique attribute (jsforce)', () => {
  let em: SalesforceEmulator;
  let conn: Connection;
  let ids: string[];

  beforeAll(async () => {
    em = await startEmulator();
    conn = await passwordLogin(em);
    const created = await conn.sobject('Grant__c').create([
      { Name: 'First', Application_Number__c: 'APP-7' },
      { Name: 'Second', Application_Number__c: 'app-7' },
      { Name: 'Single', Application_Number__c: 'APP-8' },
    ]);
    ids = created.map((r) => (r as { id: string }).id);
  });
  afterAll(async () => {
    await em.close();
  });

  it('two records may share the value (no DUPLICATE_VALUE), a unique external id still refuses it', async () => {
    expect(ids).toHaveLength(3);
    await conn.sobject('Grant__c').create({ Name: 'A', Funder_Reference__c: 'F-1' });
    await expect(conn.sobject('Grant__c').create({ Name: 'B', Funder_Reference__c: 'f-1' })).rejects.toMatchObject({ errorCode: 'DUPLICATE_VALUE' });
  });

  it('REST upsert on a value several records share answers 300 with their URLs and writes nothing', async () => {
    await expect(conn.sobject('Grant__c').upsert({ Application_Number__c: 'APP-7', Name: 'Changed' }, 'Application_Number__c')).rejects.toMatchObject({
      errorCode: 'MULTIPLE_CHOICES',
    });
    const res = await rawFetch(conn, '/services/data/v62.0/sobjects/Grant__c/Application_Number__c/APP-7', { method: 'PATCH', body: JSON.stringify({ Name: 'Changed' }) });
    expect(res.status).toBe(300);
    expect(await res.json()).toEqual([`/services/data/v62.0/sobjects/Grant__c/${ids[0]}`, `/services/data/v62.0/sobjects/Grant__c/${ids[1]}`]);
    const get = await rawFetch(conn, '/services/data/v62.0/sobjects/Grant__c/Application_Number__c/APP-7');
    expect(get.status).toBe(300);
    const names = await conn.query<{ Name: string }>('SELECT Name FROM Grant__c WHERE Application_Number__c = \'APP-7\' ORDER BY Name');
    expect(names.records.map((r) => r.Name)).toEqual(['First', 'Second']);
    const single = await conn.sobject('Grant__c').upsert({ Application_Number__c: 'APP-8', Name: 'Single changed' }, 'Application_Number__c');
    expect(single).toMatchObject({ id: ids[2], success: true, created: false });
  });

  it('collection upsert: the ambiguous record fails with DUPLICATE_EXTERNAL_ID and created:false, the others save', async () => {
    const results = (await conn.sobject('Grant__c').upsert(
      [
        { Application_Number__c: 'APP-7', Name: 'Ambiguous' },
        { Application_Number__c: 'APP-9', Name: 'New one' },
        { Application_Number__c: 'APP-10', Name: '   ', Status__c: 'Nope' },
      ],
      'Application_Number__c',
    )) as unknown as Array<Record<string, unknown>>;
    expect(results[0]).toMatchObject({ success: false, created: false, errors: [{ statusCode: 'DUPLICATE_EXTERNAL_ID', message: `Application Number: more than one record found for external id field: [${ids[0]}, ${ids[1]}]` }] });
    expect(results[1]).toMatchObject({ success: true, created: true });
    expect(results[2]).toMatchObject({ success: false, created: false, errors: [{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' }] });
  });
});

describe('Salesforce emulator Bulk 2.0 results like Salesforce (jsforce)', () => {
  const ROWS = 2_204;
  let em: SalesforceEmulator;
  let conn: Connection;

  beforeAll(async () => {
    em = await startEmulator();
    em.control.seed(Array.from({ length: ROWS }, (_, i) => ({ type: 'Lead', fields: { LastName: `Row ${i}`, Company: 'Bulk Co' } })));
    conn = await passwordLogin(em);
    conn.bulk2.pollInterval = 5;
  });
  afterAll(async () => {
    await em.close();
  });

  it('jsforce bulk2.query returns exactly the rows: no maxRecords means one page, no header row read as a record', async () => {
    const records: Array<Record<string, string>> = [];
    for await (const record of await conn.bulk2.query('SELECT Id, LastName FROM Lead')) records.push(record as Record<string, string>);
    expect(records).toHaveLength(ROWS);
    expect(records.filter((r) => r.LastName === 'LastName')).toEqual([]);
    expect(new Set(records.map((r) => r.Id)).size).toBe(ROWS);
  });

  it('maxRecords pages with Sforce-Locator, each page a CSV with its header, null after the last', async () => {
    const job = (await conn.requestPost('/jobs/query', { operation: 'query', query: 'SELECT Id FROM Lead' })) as { id: string };
    await conn.bulk2.job('query', { id: job.id }).poll(5, 5000);
    const counts: number[] = [];
    let locator = '';
    let rows = 0;
    do {
      const res = await rawFetch(conn, `/services/data/v62.0/jobs/query/${job.id}/results?maxRecords=1000${locator ? `&locator=${locator}` : ''}`, { headers: { Accept: 'text/csv' } });
      counts.push(Number(res.headers.get('sforce-numberofrecords')));
      locator = res.headers.get('sforce-locator') ?? 'missing';
      const lines = (await res.text()).trim().split('\n');
      expect(lines[0]).toBe('"Id"');
      rows += lines.length - 1;
    } while (locator !== 'null' && locator !== 'missing');
    expect(locator).toBe('null');
    expect(counts).toEqual([1000, 1000, 204]);
    expect(rows).toBe(ROWS);
    const bad = await rawFetch(conn, `/services/data/v62.0/jobs/query/${job.id}/results?maxRecords=0`);
    expect(bad.status).toBe(400);
  });

  it('failed ingest rows carry sf__Error as real failed-results files write it, with the trailing " --"', async () => {
    const results = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'insert',
      input: 'Name,AnnualRevenue,OwnerId\nFine,,\n"  ",,\nToo big,1000000000000000000,\nBad owner,,005000000000000AAA\n',
    });
    expect(results.successfulResults).toHaveLength(1);
    expect(results.failedResults.map((r) => r.sf__Error)).toEqual([
      'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --',
      'NUMBER_OUTSIDE_VALID_RANGE:Annual Revenue: value outside of valid range on numeric field: 1.0E18:AnnualRevenue --',
      'INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:OwnerId --',
    ]);
  });
});
