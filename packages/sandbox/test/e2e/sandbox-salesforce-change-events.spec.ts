import { SalesforceEmulator } from '../../src/salesforce';
import type { ChangeEventPayload, RetainedChangeEvent } from '../../src/salesforce/cometd/change-event-log';
import { passwordLogin, startEmulator } from './sandbox-salesforce-helpers';

/** Change events every write produces (reference 5.6, checklist 10.6 and 10.7). */
describe('Salesforce emulator change events', () => {
  let em: SalesforceEmulator;
  let seen: number;

  beforeAll(async () => {
    em = await startEmulator();
  });
  afterAll(async () => {
    await em.close();
  });
  beforeEach(() => {
    seen = em.changeEventLog.latestReplayId();
  });

  function newEvents(): ChangeEventPayload[] {
    const events = em.changeEventLog.readAfter(seen === 0 ? -2 : seen, 1000);
    if (events === 'invalid') throw new Error('replay id invalid');
    seen = em.changeEventLog.latestReplayId();
    return (events as RetainedChangeEvent[]).map((e) => e.payload);
  }

  it('CREATE by an API client carries all non-empty fields and the client in changeOrigin (ref 5.6, 10.6)', async () => {
    const conn = await passwordLogin(em, 'crm-sync');
    const { id } = await conn.sobject('Lead').create({ FirstName: 'Ana', LastName: 'Ruiz', Company: 'Oak Street Pantry' });
    const [event] = newEvents();
    expect(event?.ChangeEventHeader).toMatchObject({
      entityName: 'Lead',
      recordIds: [id],
      changeType: 'CREATE',
      changeOrigin: 'com/salesforce/api/rest/62.0;client=crm-sync',
      sequenceNumber: 1,
      commitUser: em.integrationUserId,
      changedFields: [],
    });
    expect(event?.ChangeEventHeader.transactionKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof event?.ChangeEventHeader.commitTimestamp).toBe('number');
    expect(event).toMatchObject({
      Name: { FirstName: 'Ana', LastName: 'Ruiz' },
      Company: 'Oak Street Pantry',
      Status: 'Open - Not Contacted',
      OwnerId: em.integrationUserId,
    });
    expect(event?.CreatedDate).toMatch(/Z$/);
    expect(event).not.toHaveProperty('Email');
    expect(event).not.toHaveProperty('SystemModstamp');
    expect(event).not.toHaveProperty('IsDeleted');
  });

  it('UPDATE carries only the changed fields, explicit nulls and LastModifiedDate (ref 5.6, 0.9)', async () => {
    const conn = await passwordLogin(em);
    const { id } = await conn.sobject('Lead').create({ LastName: 'Ruiz', Company: 'Pantry', Email: 'a@pantry.example', Title: 'Chef' });
    newEvents();
    await conn.sobject('Lead').update({ Id: id as string, Email: null, Title: 'Chef', LastName: 'Ruiz-Soto' });
    const [event] = newEvents();
    expect(event?.ChangeEventHeader.changeType).toBe('UPDATE');
    expect(event?.ChangeEventHeader.changedFields.sort()).toEqual(['Email', 'LastModifiedDate', 'Name.LastName']);
    expect(event).toMatchObject({ Email: null, Name: { LastName: 'Ruiz-Soto' } });
    expect(event).not.toHaveProperty('Title');
    expect(event).toHaveProperty('LastModifiedDate');
  });

  it('an update that changes nothing emits no event but still bumps LastModifiedDate', async () => {
    const conn = await passwordLogin(em);
    const { id } = await conn.sobject('Account').create({ Name: 'Same Co' });
    newEvents();
    const before = em.control.getRecord(id as string)?.LastModifiedDate;
    em.control.advanceClock(5000);
    await conn.sobject('Account').update({ Id: id as string, Name: 'Same Co' });
    expect(newEvents()).toEqual([]);
    expect(em.control.getRecord(id as string)?.LastModifiedDate).not.toBe(before);
  });

  it('DELETE is header-only and UNDELETE carries the restored fields (ref 5.6)', async () => {
    const conn = await passwordLogin(em);
    const { id } = await conn.sobject('Account').create({ Name: 'Recycle Co', Phone: '555-0100' });
    newEvents();
    await conn.sobject('Account').destroy(id as string);
    const [deleted] = newEvents();
    expect(deleted?.ChangeEventHeader).toMatchObject({ changeType: 'DELETE', recordIds: [id], changedFields: [] });
    expect(Object.keys(deleted ?? {})).toEqual(['ChangeEventHeader']);

    em.control.undeleteAsHuman(id as string);
    const [restored] = newEvents();
    expect(restored?.ChangeEventHeader).toMatchObject({ changeType: 'UNDELETE', changeOrigin: '' });
    expect(restored).toMatchObject({ Name: 'Recycle Co', Phone: '555-0100' });
  });

  it('human edits through the control API have an empty changeOrigin and the chosen user (ref 5.6)', async () => {
    const [userId] = em.control.seed([
      { type: 'User', fields: { Username: 'maria@h.example', LastName: 'Gonzalez', Email: 'maria@h.example', Alias: 'mg', TimeZoneSidKey: 'America/New_York' } },
    ]);
    const created = em.control.createAsHuman('Contact', { LastName: 'Kim' }, { userId: userId as string });
    expect(created.ok).toBe(true);
    const [event] = newEvents();
    expect(event?.ChangeEventHeader).toMatchObject({ changeType: 'CREATE', changeOrigin: '', commitUser: userId });
  });

  it('the four events of a lead conversion share one transaction, numbered 1..4 (ref 7.1, 10.7)', async () => {
    const conn = await passwordLogin(em, 'crm-sync');
    const lead = await conn.sobject('Lead').create({ FirstName: 'Brenda', LastName: 'Mcclure', Company: 'Bright Futures' });
    newEvents();
    await conn.soap.convertLead({ leadId: lead.id as string, convertedStatus: 'Closed - Converted' });
    const events = newEvents().map((e) => e.ChangeEventHeader);
    expect(events.map((h) => [h.entityName, h.changeType, h.sequenceNumber])).toEqual([
      ['Account', 'CREATE', 1],
      ['Contact', 'CREATE', 2],
      ['Opportunity', 'CREATE', 3],
      ['Lead', 'UPDATE', 4],
    ]);
    expect(new Set(events.map((h) => h.transactionKey)).size).toBe(1);
    expect(events.every((h) => h.changeOrigin === 'com/salesforce/api/soap/62.0;client=crm-sync')).toBe(true);
    expect(events[3]?.changedFields).toEqual(
      expect.arrayContaining(['Status', 'IsConverted', 'ConvertedDate', 'ConvertedAccountId', 'ConvertedContactId', 'ConvertedOpportunityId']),
    );
  });

  it('a composite request is one transaction with increasing sequence numbers (ref 10.6)', async () => {
    const conn = await passwordLogin(em);
    await conn.requestPost('/composite', {
      compositeRequest: [
        { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'a', body: { Name: 'Tx Co' } },
        { method: 'POST', url: '/services/data/v62.0/sobjects/Contact', referenceId: 'c', body: { LastName: 'Tx', AccountId: '@{a.id}' } },
      ],
    });
    const headers = newEvents().map((e) => e.ChangeEventHeader);
    expect(headers.map((h) => h.sequenceNumber)).toEqual([1, 2]);
    expect(headers[0]?.transactionKey).toBe(headers[1]?.transactionKey);
  });

  it('bulk ingest writes carry the bulkapi origin', async () => {
    const conn = await passwordLogin(em, 'crm-sync');
    conn.bulk2.pollInterval = 5;
    await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input: [{ Name: 'Bulk Origin Co' }] });
    const [event] = newEvents();
    expect(event?.ChangeEventHeader.changeOrigin).toBe('com/salesforce/api/bulkapi/62.0;client=crm-sync');
  });

  it('a simulated flow updates the record in a separate transaction as the automation user', async () => {
    const conn = await passwordLogin(em, 'crm-sync');
    em.control.addAutomation({ id: 'rating', object: 'Lead', afterWriteByClient: 'crm-sync', on: ['CREATE'], set: { Rating: 'Hot' } });
    try {
      const { id } = await conn.sobject('Lead').create({ LastName: 'Flow', Company: 'Flow Co' });
      const [create, automated] = newEvents().map((e) => e);
      expect(create?.ChangeEventHeader.changeType).toBe('CREATE');
      expect(automated?.ChangeEventHeader).toMatchObject({
        changeType: 'UPDATE',
        changeOrigin: '',
        commitUser: em.automationUserId,
        recordIds: [id],
      });
      expect(automated?.ChangeEventHeader.transactionKey).not.toBe(create?.ChangeEventHeader.transactionKey);
      expect(automated).toMatchObject({ Rating: 'Hot' });
    } finally {
      em.control.clearAutomations();
    }
  });
});
