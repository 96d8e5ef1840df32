/**
 * Failures the emulator injects, as the rest of the service sees them: typed SalesforceError codes,
 * and the API-budget floor that pauses non-urgent work.
 */
import { SalesforceError, type JsforceSalesforceClient } from '../../src/salesforce';
import type { SalesforceEmulator } from '@crm-sync/sandbox';
import { connect, failureOf, startEmulator } from './salesforce-client-support';

describe('Salesforce client: typed failures', () => {
  let emulator: SalesforceEmulator;
  let client: JsforceSalesforceClient;
  let leadId: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    client = await connect(emulator, 'password', { budget: { floorRequests: 100, floorFraction: 0 } });
    leadId = (await client.create('Lead', { LastName: 'Faulty', Company: 'Faults Inc' })).id;
  });

  afterAll(async () => {
    await emulator.close();
  });

  beforeEach(() => {
    emulator.control.clearFaults();
    emulator.control.setApiUsage({ used: 0 });
  });

  it('REQUEST_LIMIT_EXCEEDED becomes RATE_LIMITED', async () => {
    emulator.control.injectFault({ kind: 'request_limit_exceeded', pathContains: '/sobjects/Lead' });
    const error = await failureOf(client.update('Lead', leadId, { Company: 'x' }));
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', sfCode: 'REQUEST_LIMIT_EXCEEDED', httpStatus: 403, retryable: true, recordId: leadId });
  });

  it('an exhausted daily allocation becomes RATE_LIMITED', async () => {
    const { max } = emulator.control.apiUsage();
    emulator.control.setApiUsage({ used: max });
    expect(await failureOf(client.limits())).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('UNABLE_TO_LOCK_ROW becomes ROW_LOCKED (retryable)', async () => {
    emulator.control.injectFault({ kind: 'unable_to_lock_row', method: 'PATCH' });
    const error = await failureOf(client.update('Lead', leadId, { Company: 'locked' }));
    expect(error).toMatchObject({ code: 'ROW_LOCKED', sfCode: 'UNABLE_TO_LOCK_ROW', retryable: true });
    await client.update('Lead', leadId, { Company: 'after the lock' });
    expect(emulator.control.getRecord(leadId)).toMatchObject({ Company: 'after the lock' });
  });

  it('a restricted picklist value becomes VALIDATION naming the field', async () => {
    const error = await failureOf(client.update('Lead', leadId, { Status: 'Not A Status' }));
    expect(error).toMatchObject({ code: 'VALIDATION', sfCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['Status'] });
  });

  it('an unknown field becomes VALIDATION', async () => {
    expect(await failureOf(client.update('Lead', leadId, { No_Such_Field__c: 1 }))).toMatchObject({ code: 'VALIDATION', sfCode: 'INVALID_FIELD' });
  });

  it('503 becomes TRANSIENT', async () => {
    emulator.control.injectFault({ kind: 'http_error', status: 503, method: 'POST' });
    const error = await failureOf(client.create('Lead', { LastName: 'Down', Company: 'x' }));
    expect(error).toMatchObject({ code: 'TRANSIENT', httpStatus: 503, retryable: true });
  });

  it('500 on a GET becomes TRANSIENT once transport retries are spent', async () => {
    emulator.control.injectFault({ kind: 'http_error', status: 500, method: 'GET', pathContains: '/limits' });
    expect(await failureOf(client.limits())).toMatchObject({ code: 'TRANSIENT', httpStatus: 500 });
  });

  it('a connection dropped after the commit becomes TRANSIENT (the write did happen)', async () => {
    emulator.control.injectFault({ kind: 'commit_then_drop', method: 'POST', pathContains: '/sobjects/Lead' });
    const error = await failureOf(client.create('Lead', { LastName: 'Dropped', Company: 'x' }));
    expect(error).toMatchObject({ code: 'TRANSIENT', operation: 'create' });
    expect(emulator.control.records('Lead').some((r) => r.LastName === 'Dropped')).toBe(true);
  });

  it('a malformed query becomes a typed error, not a raw jsforce error', async () => {
    const error = await failureOf((async () => {
      for await (const _ of client.query('SELEKT Id FROM Lead')) void _;
    })());
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({ operation: 'query', sfCode: 'MALFORMED_QUERY' });
  });

  it('below the API budget floor non-urgent work is refused with BUDGET_FLOOR_REACHED', async () => {
    const { max } = emulator.control.apiUsage();
    emulator.control.setApiUsage({ used: max - 50 });
    await client.get('Lead', leadId);

    expect(client.budgetFor('backfill')).toMatchObject({ allowed: false, floor: 100 });
    expect(() => client.assertBudgetFor('backfill')).toThrow(expect.objectContaining({ code: 'BUDGET_FLOOR_REACHED', retryable: true }));

    emulator.control.setApiUsage({ used: 0 });
    await client.get('Lead', leadId);
    expect(client.budgetFor('backfill')).toMatchObject({ allowed: true });
    expect(() => client.assertBudgetFor('backfill')).not.toThrow();
  });
});
