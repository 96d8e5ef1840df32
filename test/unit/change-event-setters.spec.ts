import { startSalesforceEmulator, type SalesforceEmulator } from '@crm-sync/sandbox';
import { lastSetterOf, type LoggedChangeEvent } from '../support/change-event-fields';

/**
 * The convergence harness's reading of the Salesforce emulator's change events (what decides a
 * redundant update 'knowable'): address components are nested under their compound there
 * (`BillingAddress.City`), so read by their record names they were never changed by an UPDATE and a
 * CREATE always 'set' them to null (campaign seed 77: a person's cleared BillingCity
 * crossing our write was blamed on the account's CREATE, which had a city).
 */
describe('convergence harness: the change that last set a field', () => {
  let emulator: SalesforceEmulator;
  beforeAll(async () => {
    emulator = await startSalesforceEmulator();
  });
  afterAll(async () => emulator.close());

  function log(): LoggedChangeEvent[] {
    const events = emulator.changeEventLog.readAfter(-2, 10_000);
    if (events === 'invalid') throw new Error('change event log unreadable');
    return events;
  }

  it('a cleared address component is set by the UPDATE that cleared it, not by the CREATE', () => {
    const created = emulator.control.createAsHuman('Account', { Name: 'Harness Co', BillingCity: 'Oslo' });
    if (!created.ok) throw new Error('create failed');
    const id = created.id;
    const afterCreate = emulator.control.now();
    expect(lastSetterOf(log(), id, 'BillingCity', afterCreate)).toMatchObject({ value: 'Oslo', event: { payload: { ChangeEventHeader: { changeType: 'CREATE' } } } });

    emulator.control.advanceClock(1_000);
    emulator.control.updateAsHuman('Account', id, { BillingCity: null });
    const cleared = lastSetterOf(log(), id, 'BillingCity', emulator.control.now());
    expect(cleared).toMatchObject({ value: null, event: { payload: { ChangeEventHeader: { changeType: 'UPDATE' } } } });
    // Up to a time before the clearing, the CREATE's city is what Salesforce held.
    expect(lastSetterOf(log(), id, 'BillingCity', afterCreate)?.value).toBe('Oslo');
  });

  it('a plain field left out of a CREATE was set to null by it; an UPDATE of other fields does not set it', () => {
    const created = emulator.control.createAsHuman('Account', { Name: 'No Industry' });
    if (!created.ok) throw new Error('create failed');
    emulator.control.advanceClock(1_000);
    emulator.control.updateAsHuman('Account', created.id, { Name: 'Renamed' });
    const setter = lastSetterOf(log(), created.id, 'Industry', emulator.control.now());
    expect(setter).toMatchObject({ value: null, event: { payload: { ChangeEventHeader: { changeType: 'CREATE' } } } });
  });
});
