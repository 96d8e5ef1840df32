/**
 * The jsforce adapter against the Salesforce emulator: password login, CRUD, upsert, describe, and
 * the Sforce-Call-Options header on every write (read back from the emulator's request log).
 */
import type { JsforceSalesforceClient } from '../../src/salesforce';
import { SalesforceError } from '../../src/salesforce';
import type { SalesforceEmulator } from '@crm-sync/sandbox';
import { CLIENT_NAME, connect, failureOf, startEmulator } from './salesforce-client-support';

describe('Salesforce client: records over REST', () => {
  let emulator: SalesforceEmulator;
  let client: JsforceSalesforceClient;

  beforeAll(async () => {
    emulator = await startEmulator();
    client = await connect(emulator, 'password');
  });

  afterAll(async () => {
    await emulator.close();
  });

  it('creates, reads, updates and deletes a Lead', async () => {
    const { id } = await client.create('Lead', { LastName: 'Ng', Company: 'Acme' });
    expect(emulator.control.getRecord(id)).toMatchObject({ LastName: 'Ng', Company: 'Acme' });

    await client.update('Lead', id, { Company: 'Acme Ltd' });
    const read = await client.get('Lead', id, ['Id', 'LastName', 'Company']);
    expect(read).toEqual({ Id: id, LastName: 'Ng', Company: 'Acme Ltd' });

    await client.delete('Lead', id);
    expect(emulator.control.getRecord(id)).toMatchObject({ IsDeleted: true });
    expect(await client.get('Lead', id)).toBeNull();
  });

  it('upsert by external id answers created on 201 and updated on 200', async () => {
    const value = 'legacy/1?#'; // characters that break jsforce's unencoded upsert URL (reference 2.3)
    const first = await client.upsert('Account', 'Legacy_Id__c', value, { Name: 'First' });
    const second = await client.upsert('Account', 'Legacy_Id__c', value, { Name: 'Second' });
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    expect(emulator.control.getRecord(first.id)).toMatchObject({ Name: 'Second', Legacy_Id__c: value });
  });

  it('every write carries Sforce-Call-Options client=<SALESFORCE_CLIENT_NAME>', async () => {
    emulator.control.clearRequests();
    const { id } = await client.create('Account', { Name: 'Header Check' });
    await client.update('Account', id, { Name: 'Header Check 2' });
    await client.upsert('Account', 'Legacy_Id__c', 'HDR-1', { Name: 'Upserted' });
    await client.createMany('Account', [{ Name: 'Batch A' }]);
    await client.delete('Account', id);
    const writes = emulator.control.requests().filter((r) => r.method !== 'GET');
    expect(writes.length).toBeGreaterThanOrEqual(4);
    expect(writes.map((r) => r.client)).toEqual(writes.map(() => CLIENT_NAME));
  });

  it('describe is cached until refreshDescribe', async () => {
    emulator.control.clearRequests();
    const first = await client.describe('Lead');
    await client.describe('Lead');
    const describeCalls = () => emulator.control.requests().filter((r) => r.path.endsWith('/sobjects/Lead/describe')).length;
    expect(describeCalls()).toBe(1);
    expect(first.keyPrefix).toBe('00Q');
    expect(first.fields.find((f) => f.name === 'LastName')).toMatchObject({ type: 'string', createable: true, nillable: false });

    client.refreshDescribe('Lead');
    await client.describe('Lead');
    expect(describeCalls()).toBe(2);
  });

  it('describeGlobal lists the objects with key prefixes', async () => {
    const objects = await client.describeGlobal();
    expect(objects.find((o) => o.name === 'Account')).toMatchObject({ keyPrefix: '001', queryable: true });
  });

  it('identity names the integration user', async () => {
    const identity = await client.identity();
    expect(identity.userId).toBe(emulator.integrationUserId);
    expect(identity.username).toBe(emulator.credentials.username);
  });

  it('a validation error becomes VALIDATION with the field and Salesforce message', async () => {
    const error = await failureOf(client.create('Lead', { Company: 'No Last Name' }));
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({ code: 'VALIDATION', sfCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'], operation: 'create', object: 'Lead' });
    expect((error as SalesforceError).message).toMatch(/Required fields are missing/);
  });

  it('updating a deleted record is DELETED or NOT_FOUND, never a generic failure', async () => {
    const { id } = await client.create('Lead', { LastName: 'Gone', Company: 'X' });
    await client.delete('Lead', id);
    const error = await failureOf(client.update('Lead', id, { Company: 'Y' }));
    expect(['DELETED', 'NOT_FOUND']).toContain((error as SalesforceError).code);
    expect(error).toMatchObject({ recordId: id });
  });

  it('reports API usage from Sforce-Limit-Info', async () => {
    await client.limits();
    const usage = client.apiUsage();
    expect(usage).not.toBeNull();
    expect(usage).toEqual({ used: emulator.control.apiUsage().used, limit: emulator.control.apiUsage().max, remaining: expect.any(Number) });
  });
});
