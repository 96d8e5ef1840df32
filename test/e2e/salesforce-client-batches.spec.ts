/**
 * Reading and writing many records: SOQL paging, sObject Collections in batches of 200 with
 * per-record results, Bulk API 2.0 query over several result pages, lead conversion, limits, users.
 */
import type { BulkQueryJobStatus, JsforceSalesforceClient } from '../../src/salesforce';
import type { SalesforceEmulator } from '@crm-sync/sandbox';
import { collect, connect, startEmulator } from './salesforce-client-support';

describe('Salesforce client: queries, collections, Bulk 2.0, lead conversion', () => {
  let emulator: SalesforceEmulator;
  let client: JsforceSalesforceClient;

  beforeAll(async () => {
    emulator = await startEmulator();
    client = await connect(emulator, 'client_credentials');
    emulator.control.seed(
      Array.from({ length: 2_150 }, (_, i) => ({ type: 'Contact', fields: { LastName: `Paged ${String(i).padStart(4, '0')}`, Department: 'Paging' } })),
    );
  });

  afterAll(async () => {
    await emulator.close();
  });

  beforeEach(() => emulator.control.clearRequests());

  const requestsTo = (fragment: string) => emulator.control.requests().filter((r) => r.path.includes(fragment));

  it('query follows nextRecordsUrl past the 2,000-record page and returns every record once', async () => {
    const records = await collect(client.query("SELECT Id, LastName FROM Contact WHERE Department = 'Paging'"));
    expect(records).toHaveLength(2_150);
    expect(new Set(records.map((r) => r.Id)).size).toBe(2_150);
    expect(records[0]).not.toHaveProperty('attributes');
    expect(requestsTo('/query')).toHaveLength(2);
  });

  it('queryPages honours the batchSize hint page by page', async () => {
    const pages = await collect(client.queryPages("SELECT Id FROM Contact WHERE Department = 'Paging'", { batchSize: 500 }));
    expect(pages.map((p) => p.records.length)).toEqual([500, 500, 500, 500, 150]);
    expect(pages.map((p) => p.done)).toEqual([false, false, false, false, true]);
    expect(pages[0]?.totalSize).toBe(2_150);
  });

  it('queryAll includes deleted records', async () => {
    const { id } = await client.create('Lead', { LastName: 'Recycled', Company: 'Bin' });
    await client.delete('Lead', id);
    const live = await collect(client.query(`SELECT Id FROM Lead WHERE Id = '${id}'`));
    const all = await collect(client.queryAll(`SELECT Id, IsDeleted FROM Lead WHERE Id = '${id}'`));
    expect(live).toEqual([]);
    expect(all).toEqual([{ Id: id, IsDeleted: true }]);
  });

  it('createMany sends batches of 200 and keeps each record its own result and error code', async () => {
    const records = Array.from({ length: 450 }, (_, i) => (i % 100 === 7 ? { Company: `No name ${i}` } : { LastName: `Bulk ${i}`, Company: 'Many' }));
    const results = await client.createMany('Lead', records);

    expect(requestsTo('/composite/sobjects')).toHaveLength(3);
    expect(results).toHaveLength(450);
    const failures = results.flatMap((r, i) => (r.ok ? [] : [{ i, code: r.error.code, sfCode: r.error.sfCode, fields: r.error.fields }]));
    expect(failures).toEqual(
      [7, 107, 207, 307, 407].map((i) => ({ i, code: 'VALIDATION', sfCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] })),
    );
    const first = results[0];
    expect(first?.ok && emulator.control.getRecord(first.id)).toMatchObject({ LastName: 'Bulk 0' });
  });

  it('updateMany, upsertMany and deleteMany report per record', async () => {
    const created = await client.createMany('Account', [{ Name: 'U1' }, { Name: 'U2' }]);
    const ids = created.map((r) => (r.ok ? r.id : ''));

    const updated = await client.updateMany('Account', [
      { Id: ids[0], Name: 'U1 renamed' },
      { Id: ids[1], Name: 'x'.repeat(300) },
    ]);
    expect(updated[0]).toEqual({ ok: true, id: ids[0] });
    expect(updated[1]).toMatchObject({ ok: false, id: ids[1], error: { code: 'VALIDATION', sfCode: 'STRING_TOO_LONG' } });

    const upserted = await client.upsertMany('Account', 'Legacy_Id__c', [
      { Legacy_Id__c: 'L-1', Name: 'Legacy one' },
      { Legacy_Id__c: 'L-2', Name: 'Legacy two' },
    ]);
    expect(upserted.map((r) => r.ok && r.created)).toEqual([true, true]);
    const again = await client.upsertMany('Account', 'Legacy_Id__c', [{ Legacy_Id__c: 'L-1', Name: 'Legacy one again' }]);
    expect(again[0]).toMatchObject({ ok: true, created: false });

    const deleted = await client.deleteMany([ids[0]!, ids[0]!.replace(/.$/, 'X')]);
    expect(deleted[0]).toEqual({ ok: true, id: ids[0] });
    expect(deleted[1]?.ok).toBe(false);
  });

  it('bulkQuery pages through /results with Sforce-Locator over several pages', async () => {
    const statuses: BulkQueryJobStatus[] = [];
    const rows = await collect(client.bulkQuery("SELECT Id, LastName, Email FROM Contact WHERE Department = 'Paging'", { pageSize: 1_000, onJobStatus: (s) => statuses.push(s) }));
    expect(rows).toHaveLength(2_150);
    // Each status poll is reported (the backfill's progress while a long query runs).
    expect(statuses.map((s) => s.state)).toEqual(['InProgress', 'JobComplete']);
    expect(statuses[1]).toMatchObject({ jobId: expect.stringMatching(/^750/), recordsProcessed: 2_150 });
    expect(new Set(rows.map((r) => r.Id)).size).toBe(2_150);
    expect(rows[0]).toMatchObject({ LastName: expect.stringMatching(/^Paged /), Email: null });
    expect(requestsTo('/results')).toHaveLength(3);
  });

  it('convertLead returns the new account, contact and opportunity', async () => {
    const { id } = await client.create('Lead', { FirstName: 'Conny', LastName: 'Vert', Company: 'Convert Co' });
    const result = await client.convertLead({ leadId: id, convertedStatus: 'Closed - Converted' });
    expect(result.leadId.slice(0, 15)).toBe(id.slice(0, 15));
    expect(result.accountId).toMatch(/^001/);
    expect(result.contactId).toMatch(/^003/);
    expect(result.opportunityId).toMatch(/^006/);
    expect(emulator.control.getRecord(id)).toMatchObject({ IsConverted: true });
    // SOAP carries the client in its CallOptions header element, visible in the change events' origin.
    const retained = emulator.changeEventLog.readAfter(-2, 100_000);
    const leadEvents = Array.isArray(retained) ? retained.filter((e) => e.payload.ChangeEventHeader.recordIds.includes(id)) : [];
    expect(leadEvents.at(-1)?.payload.ChangeEventHeader.changeOrigin).toMatch(/^com\/salesforce\/api\/soap\/.*;client=crm-sync$/);
  });

  it('limits reports the daily API allocation', async () => {
    const limits = await client.limits();
    expect(limits.DailyApiRequests).toEqual({ Max: expect.any(Number), Remaining: expect.any(Number) });
  });

  it('findUsersByEmail finds the users with those e-mails', async () => {
    const users = await client.findUsersByEmail(['admin@crm-sync.example', "o'brien@nowhere.example"]);
    expect(users).toEqual([{ id: emulator.adminUserId, email: 'admin@crm-sync.example', name: 'Ada Admin', isActive: true }]);
  });
});
