import { changeMessageToEvents, originOf } from '../../src/ingest/salesforce/change-message.to-events';
import type { ChangeEventMessage as ChangeMessage } from '../../src/salesforce';

const header = (overrides: Partial<ChangeMessage['payload']['ChangeEventHeader']> = {}) => ({
  entityName: 'Lead',
  recordIds: ['00Q5f000005bwLFEAY'],
  changeType: 'UPDATE',
  changeOrigin: 'com/salesforce/api/rest/62.0;client=crm-sync',
  transactionKey: '00006948-0ac9-7da3-edb3-ea0e31b2334a',
  sequenceNumber: 1,
  commitTimestamp: 1714153780000,
  commitUser: '0055f000005mc66AAA',
  changedFields: ['Status', 'LastModifiedDate'],
  ...overrides,
});

describe('CDC message -> events (reference salesforce.md 5.6)', () => {
  it('an UPDATE becomes one record_changed event keyed by channel and replay id, with only the changed fields', () => {
    const [event] = changeMessageToEvents(
      { channel: '/data/LeadChangeEvent', replayId: 42, payload: { ChangeEventHeader: header(), Status: 'Working - Contacted', LastModifiedDate: '2024-04-26T17:49:40.000Z' } },
      'crm-sync',
    );
    expect(event).toMatchObject({
      type: 'salesforce.record_changed',
      source: 'salesforce',
      sourceEventId: '/data/LeadChangeEvent:42',
      stream: 'salesforce:Lead:00Q5f000005bwLFEAY',
      origin: 'own_echo',
      occurredAt: new Date(1714153780000),
      payload: { object: 'Lead', changeType: 'UPDATE', fields: { Status: 'Working - Contacted' }, changedFields: ['Status', 'LastModifiedDate'], replayId: 42 },
    });
  });

  it('a change event naming several records becomes one event per record, each with its own key', () => {
    const events = changeMessageToEvents(
      { channel: '/data/ChangeEvents', replayId: 7, payload: { ChangeEventHeader: header({ recordIds: ['00Q000000000001AAA', '00Q000000000002AAA'] }), Status: 'Open' } },
      'crm-sync',
    );
    expect(events.map((e) => [e.sourceEventId, e.stream])).toEqual([
      ['/data/ChangeEvents:7:00Q000000000001AAA', 'salesforce:Lead:00Q000000000001AAA'],
      ['/data/ChangeEvents:7:00Q000000000002AAA', 'salesforce:Lead:00Q000000000002AAA'],
    ]);
  });

  it('flattens compound Name and address fields into sObject field names, keeping explicit nulls', () => {
    const [event] = changeMessageToEvents(
      {
        channel: '/data/ContactChangeEvent',
        replayId: 9,
        payload: {
          ChangeEventHeader: header({ entityName: 'Contact', changedFields: ['Name.LastName', 'MailingAddress.City'] }),
          Name: { Salutation: null, FirstName: 'Brenda', LastName: 'Mcclure' },
          MailingAddress: { City: 'Lyon' },
        },
      },
      'crm-sync',
    );
    expect(event.payload).toMatchObject({
      fields: { Salutation: null, FirstName: 'Brenda', LastName: 'Mcclure', MailingCity: 'Lyon' },
      changedFields: ['LastName', 'MailingCity'],
    });
  });

  it('an address sent as null with components listed as changed clears those components (the docs leave the shape open)', () => {
    const [event] = changeMessageToEvents(
      {
        channel: '/data/AccountChangeEvent',
        replayId: 10,
        payload: {
          ChangeEventHeader: header({ entityName: 'Account', changedFields: ['BillingAddress.City', 'BillingAddress.PostalCode', 'LastModifiedDate'] }),
          BillingAddress: null,
          LastModifiedDate: '2026-12-07T09:00:00.000Z',
        },
      },
      'crm-sync',
    );
    expect(event.payload).toMatchObject({
      fields: { BillingCity: null, BillingPostalCode: null, LastModifiedDate: '2026-12-07T09:00:00.000Z' },
      changedFields: ['BillingCity', 'BillingPostalCode', 'LastModifiedDate'],
    });
    expect(event.payload).not.toHaveProperty('fields.BillingAddress');
  });

  it('a gap event becomes a gap fact and a catch-up request for the named records', () => {
    const events = changeMessageToEvents(
      { channel: '/data/LeadChangeEvent', replayId: 50, payload: { ChangeEventHeader: header({ changeType: 'GAP_UPDATE', changeOrigin: '' }) } },
      'crm-sync',
    );
    expect(events.map((e) => e.type)).toEqual(['salesforce.change_gap', 'system.catch_up_requested']);
    expect(events[1].payload).toMatchObject({ objects: ['Lead'], recordIds: ['00Q5f000005bwLFEAY'], reason: 'gap_event' });
  });

  it('an overflow asks for a catch-up of the whole object', () => {
    const events = changeMessageToEvents(
      { channel: '/data/LeadChangeEvent', replayId: 51, payload: { ChangeEventHeader: header({ changeType: 'GAP_OVERFLOW', recordIds: ['000000000000000AAA'] }) } },
      'crm-sync',
    );
    expect(events[1].payload).toMatchObject({ objects: ['Lead'], recordIds: [], reason: 'overflow' });
  });

  it.each([
    ['com/salesforce/api/rest/62.0;client=crm-sync', 'own_echo'],
    ['com/salesforce/api/soap/62.0;client=crm-sync-staging', 'user'],
    ['com/salesforce/api/soap/60.0;client=SfdcInternalAPI/', 'user'],
    ['', 'user'],
  ])('origin of %p is %s', (changeOrigin, expected) => {
    expect(originOf(changeOrigin, 'crm-sync')).toBe(expected);
  });
});
