import { SalesforceApiError } from '../../src/salesforce/errors';
import { IdGenerator } from '../../src/salesforce/ids/salesforce-id';
import { SchemaRegistry } from '../../src/salesforce/schema/schema-registry';
import { parseSoql } from '../../src/salesforce/soql/soql-parser';
import { executeSoql, RECYCLE_BIN_RETENTION_MS } from '../../src/salesforce/soql/soql-executor';
import { SoqlSyntaxError } from '../../src/salesforce/soql/soql-ast';
import { RecordStore } from '../../src/salesforce/store/record-store';
import { RecordWriter } from '../../src/salesforce/store/record-writer';
import { Transaction } from '../../src/salesforce/store/transaction';

describe('SOQL parser', () => {
  it('parses fields, relationship paths, a nested WHERE, ORDER BY, LIMIT and OFFSET', () => {
    const q = parseSoql(
      "SELECT Id, Account.Name, Owner.Email FROM Contact WHERE (Email != null AND Title LIKE 'Dir%') OR NOT LastName IN ('A','B') ORDER BY LastName DESC NULLS LAST, Id LIMIT 10 OFFSET 5",
    );
    expect(q.select).toEqual([
      { kind: 'field', path: ['Id'] },
      { kind: 'field', path: ['Account', 'Name'] },
      { kind: 'field', path: ['Owner', 'Email'] },
    ]);
    expect(q.from).toBe('Contact');
    expect(q.where?.kind).toBe('or');
    expect(q.orderBy).toEqual([
      { path: ['LastName'], descending: true, nullsFirst: false },
      { path: ['Id'], descending: false, nullsFirst: true },
    ]);
    expect(q).toMatchObject({ limit: 10, offset: 5 });
  });

  it('reads date, datetime, boolean, null, negative numbers, escaped strings and date literals', () => {
    const q = parseSoql(
      "SELECT Id FROM Lead WHERE CreatedDate >= 2024-07-01T00:00:00Z AND ConvertedDate = 2024-07-02 AND IsConverted = false AND Email = null AND AnnualRevenue > -5 AND LastName = 'O\\'Brien' AND CreatedDate = LAST_N_DAYS:30",
    );
    expect(q.where).toMatchObject({
      kind: 'and',
      items: [
        { value: { type: 'datetime', value: Date.parse('2024-07-01T00:00:00Z') } },
        { value: { type: 'date', value: '2024-07-02' } },
        { value: { type: 'boolean', value: false } },
        { value: { type: 'null' } },
        { value: { type: 'number', value: -5 } },
        { value: { type: 'string', value: "O'Brien" } },
        { value: { type: 'dateLiteral', name: 'LAST_N_DAYS', n: 30 } },
      ],
    });
  });

  it('rejects AND mixed with OR without parentheses, as Salesforce does', () => {
    expect(() => parseSoql('SELECT Id FROM Lead WHERE A = 1 AND B = 2 OR C = 3')).toThrow(SoqlSyntaxError);
  });

  it('rejects trailing garbage and unterminated strings', () => {
    expect(() => parseSoql('SELECT Id FROM Lead LIMIT 5 extra')).toThrow(SoqlSyntaxError);
    expect(() => parseSoql("SELECT Id FROM Lead WHERE Name = 'x")).toThrow(SoqlSyntaxError);
  });
});

describe('SOQL evaluation', () => {
  const registry = new SchemaRegistry();
  const store = new RecordStore(registry);
  const writer = new RecordWriter(store, registry, new IdGenerator(), { now: () => Date.parse('2024-08-01T12:00:00Z'), advance: () => undefined, scale: 1 });
  const tx = new Transaction({ userId: '005Hs0000000001IAA', changeOrigin: '', client: null });
  const userId = (() => {
    const u = writer.create(tx, 'User', { Username: 'u@x.example', LastName: 'Owner', Email: 'owner@x.example', Alias: 'o', TimeZoneSidKey: 'America/New_York' }, 'seed');
    if (!u.ok) throw new Error('user');
    return u.id;
  })();
  const acct = writer.create(tx, 'Account', { Name: 'Acme', OwnerId: userId });
  const accountId = acct.ok ? acct.id : '';
  const rows: Array<Record<string, unknown>> = [
    { LastName: 'Ng', Email: 'ng@acme.example', Title: 'Director', AccountId: accountId, Birthdate: '1990-05-01', Volunteer_Skills__c: 'Mentoring;Events' },
    { LastName: 'Li', Email: null, Title: 'Developer', AccountId: accountId, Birthdate: '1985-01-15' },
    { LastName: 'Adams', Email: 'adams@x.example', Title: null, Volunteer_Skills__c: 'Events' },
    { LastName: 'brown', Email: 'b@x.example', Title: 'Director of Ops', CreatedDate: '2024-07-31T10:00:00Z' },
  ];
  for (const r of rows) writer.create(tx, 'Contact', { OwnerId: userId, ...r }, 'seed');
  const run = (soql: string, includeDeleted = false) =>
    executeSoql(soql, { registry, store, now: Date.parse('2024-08-01T12:00:00Z'), apiVersion: '62.0', includeDeleted });
  const names = (soql: string) => run(soql).rows.map((r) => r.LastName);

  it('filters with =, !=, LIKE (case-insensitive), IN, NOT IN and null', () => {
    expect(names("SELECT LastName FROM Contact WHERE Title LIKE 'dir%' ORDER BY LastName")).toEqual(['brown', 'Ng']);
    expect(names("SELECT LastName FROM Contact WHERE Email = null")).toEqual(['Li']);
    expect(names("SELECT LastName FROM Contact WHERE LastName IN ('ng','LI') ORDER BY LastName")).toEqual(['Li', 'Ng']);
    expect(names("SELECT LastName FROM Contact WHERE LastName NOT IN ('Ng') AND Title != null ORDER BY LastName")).toEqual(['brown', 'Li']);
  });

  it('combines AND/OR/NOT with parentheses and relationship fields', () => {
    expect(names("SELECT LastName FROM Contact WHERE Account.Name = 'Acme' AND (Title = 'Developer' OR Email LIKE 'ng%') ORDER BY LastName")).toEqual(['Li', 'Ng']);
    expect(names("SELECT LastName FROM Contact WHERE NOT (Account.Name = 'Acme') ORDER BY LastName")).toEqual(['Adams', 'brown']);
  });

  it('compares dates, datetimes and date literals', () => {
    expect(names('SELECT LastName FROM Contact WHERE Birthdate < 1989-01-01')).toEqual(['Li']);
    expect(names('SELECT LastName FROM Contact WHERE CreatedDate < 2024-08-01T00:00:00Z')).toEqual(['brown']);
    expect(names('SELECT LastName FROM Contact WHERE CreatedDate = TODAY ORDER BY LastName')).toEqual(['Adams', 'Li', 'Ng']);
    expect(names('SELECT LastName FROM Contact WHERE CreatedDate = YESTERDAY')).toEqual(['brown']);
  });

  it('matches multi-select picklists with INCLUDES and EXCLUDES', () => {
    expect(names("SELECT LastName FROM Contact WHERE Volunteer_Skills__c INCLUDES ('Events') ORDER BY LastName")).toEqual(['Adams', 'Ng']);
    expect(names("SELECT LastName FROM Contact WHERE Volunteer_Skills__c INCLUDES ('Events;Mentoring')")).toEqual(['Ng']);
    expect(names("SELECT LastName FROM Contact WHERE Volunteer_Skills__c EXCLUDES ('Mentoring') ORDER BY LastName")).toEqual(['Adams', 'brown', 'Li']);
  });

  it('orders by several keys with NULLS FIRST/LAST, then applies OFFSET and LIMIT', () => {
    expect(names('SELECT LastName FROM Contact ORDER BY Title NULLS FIRST, LastName')).toEqual(['Adams', 'Li', 'Ng', 'brown']);
    expect(names('SELECT LastName FROM Contact ORDER BY Title DESC NULLS LAST')).toEqual(['brown', 'Ng', 'Li', 'Adams']);
    expect(names('SELECT LastName FROM Contact ORDER BY LastName LIMIT 2 OFFSET 1')).toEqual(['brown', 'Li']);
  });

  it('nests relationship fields in rows and reports COUNT() as totalSize', () => {
    const row = run("SELECT Id, Account.Name, Owner.Email FROM Contact WHERE LastName = 'Ng'").rows[0];
    expect(row).toMatchObject({ Account: { attributes: { type: 'Account' }, Name: 'Acme' }, Owner: { Email: 'owner@x.example' } });
    expect(run("SELECT Id, Account.Name FROM Contact WHERE LastName = 'Adams'").rows[0]).toMatchObject({ Account: null });
    const count = run('SELECT COUNT() FROM Contact WHERE Email != null');
    expect(count).toMatchObject({ totalSize: 3, rows: [] });
  });

  it('excludes deleted records unless queryAll', () => {
    const extra = writer.create(tx, 'Contact', { LastName: 'Zed' });
    if (extra.ok) writer.delete(tx, 'Contact', extra.id);
    expect(run("SELECT Id FROM Contact WHERE LastName = 'Zed'").totalSize).toBe(0);
    expect(run("SELECT Id FROM Contact WHERE LastName = 'Zed'", true).totalSize).toBe(1);
  });

  it('queryAll shows a deleted record for the 15 days of the recycle bin, then no more', () => {
    const extra = writer.create(tx, 'Contact', { LastName: 'Binned' });
    if (!extra.ok) throw new Error('contact');
    writer.delete(tx, 'Contact', extra.id);
    const deletedAt = Date.parse('2024-08-01T12:00:00Z');
    const at = (now: number) => executeSoql("SELECT Id FROM Contact WHERE LastName = 'Binned' AND IsDeleted = true", { registry, store, now, apiVersion: '62.0', includeDeleted: true }).totalSize;
    expect(at(deletedAt + RECYCLE_BIN_RETENTION_MS)).toBe(1);
    expect(at(deletedAt + RECYCLE_BIN_RETENTION_MS + 1)).toBe(0);
  });

  it('reports Salesforce errors for unknown objects, fields and mistyped literals', () => {
    const code = (soql: string) => {
      try {
        run(soql);
        return 'none';
      } catch (err) {
        return err instanceof SalesforceApiError ? err.details[0]?.errorCode : 'other';
      }
    };
    expect(code('SELECT Id FROM Nope')).toBe('INVALID_TYPE');
    expect(code('SELECT Nope FROM Contact')).toBe('INVALID_FIELD');
    expect(code('SELECT Id FROM Contact WHERE Foo.Bar = 1')).toBe('INVALID_FIELD');
    expect(code("SELECT Id FROM Contact WHERE CreatedDate > '2024-01-01'")).toBe('INVALID_FIELD');
    expect(code('SELECT Id FROM Contact WHERE LastName = ')).toBe('MALFORMED_QUERY');
    expect(code('SELECT Id FROM Contact OFFSET 2001')).toBe('NUMBER_OUTSIDE_VALID_RANGE');
  });
});
