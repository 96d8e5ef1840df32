/**
 * The Salesforce port against the emulator's duplicate rules and merge: the matched ids of a
 * DUPLICATES_DETECTED refusal, allowDuplicates as Sforce-Duplicate-Rule-Header, SOAP merge.
 */
import { SalesforceError, type JsforceSalesforceClient } from '../../src/salesforce';
import type { SalesforceEmulator } from '@crm-sync/sandbox';
import { collect, connect, failureOf, startEmulator } from './salesforce-client-support';

describe('Salesforce client: duplicate rules and merge', () => {
  let emulator: SalesforceEmulator;
  let client: JsforceSalesforceClient;

  beforeAll(async () => {
    emulator = await startEmulator();
    client = await connect(emulator);
  });
  afterAll(async () => {
    await emulator.close();
  });

  function human(type: string, fields: Record<string, unknown>): string {
    const outcome = emulator.control.createAsHuman(type, fields);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    return outcome.id;
  }

  it('a refused create carries the rule and the matched ids (REST); collections only the code', async () => {
    const existing = human('Lead', { LastName: 'Mensah', Company: 'Accra Aid', Email: 'kofi.mensah@example.org' });
    const error = await failureOf(client.create('Lead', { LastName: 'Mensah K', Company: 'Other', Email: 'kofi.mensah@example.org' }));
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({
      code: 'DUPLICATE',
      sfCode: 'DUPLICATES_DETECTED',
      duplicates: { rule: 'Standard_Lead_Duplicate_Rule', allowSave: true, recordIds: [existing] },
    });

    const [result] = await client.createMany('Lead', [{ LastName: 'Mensah K', Company: 'Other', Email: 'kofi.mensah@example.org' }]);
    expect(result).toMatchObject({ ok: false, error: { sfCode: 'DUPLICATES_DETECTED' } });
    expect(result?.ok === false && result.error.duplicates).toBeUndefined();
  });

  it('allowDuplicates sends allowSave=true on creates and updates', async () => {
    human('Account', { Name: 'Lagos Learning Trust' });
    const other = human('Account', { Name: 'Abuja Learning Trust' });
    await expect(client.createMany('Account', [{ Name: 'Lagos Learning Trust' }])).resolves.toMatchObject([{ ok: false }]);
    await expect(client.createMany('Account', [{ Name: 'Lagos Learning Trust' }], { allowDuplicates: true })).resolves.toMatchObject([{ ok: true }]);
    await expect(client.updateMany('Account', [{ Id: other, Name: 'Lagos Learning Trust' }])).resolves.toMatchObject([{ ok: false }]);
    await expect(client.update('Account', other, { Name: 'Lagos Learning Trust' }, { allowDuplicates: true })).resolves.toBeUndefined();
    await expect(client.create('Account', { Name: 'Lagos Learning Trust' }, { allowDuplicates: true })).resolves.toHaveProperty('id');
  });

  it('merge through SOAP: losers deleted with MasterRecordId, master values kept or cleared', async () => {
    const winner = human('Contact', { LastName: 'Osei', Title: 'Coordinator', Email: 'ama.osei@example.org' });
    const loser = human('Contact', { LastName: 'Osei', FirstName: 'Ama', Phone: '+233 20 000 0000' });
    const outcome = await client.merge({ object: 'Contact', masterId: winner, mergeIds: [loser], masterFields: { FirstName: 'Ama', Title: null } });
    expect(outcome).toEqual({ masterId: winner, mergedIds: [loser], updatedRelatedIds: [] });
    const [gone] = await collect(client.queryAll(`SELECT Id, IsDeleted, MasterRecordId FROM Contact WHERE Id = '${loser}'`));
    expect(gone).toMatchObject({ IsDeleted: true, MasterRecordId: winner });
    expect(await client.get('Contact', winner, ['FirstName', 'Title'])).toMatchObject({ FirstName: 'Ama', Title: null });

    const again = await failureOf(client.merge({ object: 'Contact', masterId: winner, mergeIds: [loser] }));
    expect(again).toMatchObject({ sfCode: 'ENTITY_IS_DELETED', operation: 'merge' });
  });
});
