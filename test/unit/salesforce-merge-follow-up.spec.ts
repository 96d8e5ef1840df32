import { loadMapping } from '../../src/mapping';
import { duplicateMatchOf } from '../../src/salesforce/duplicate-result';
import { deletedMergeable, findMerges, mergeCatchUpEvents, referencingObjects } from '../../src/ingest/salesforce/merge-follow-up';
import type { NewEvent } from '../../src/event-store';
import type { SObjectRecord } from '../../src/salesforce/salesforce.port';
import { EXAMPLE_MAPPING } from '../support/sandbox-schemas';
import { salesforceChanged } from '../support/sync-events';

const mapping = loadMapping(EXAMPLE_MAPPING);

describe('merge follow-up of CDC deletes', () => {
  const event = (object: string, id: string, changeType: 'DELETE' | 'UPDATE', at: number) =>
    salesforceChanged({ object, id, changeType, fields: {}, at }) as unknown as NewEvent;

  it('looks up only deleted Leads, Contacts and Accounts', () => {
    const deleted = deletedMergeable([
      event('Account', '001A', 'DELETE', 1_000),
      event('Account', '001B', 'UPDATE', 1_000),
      event('Opportunity', '006A', 'DELETE', 1_000),
      event('Contact', '003A', 'DELETE', 2_000),
    ]);
    expect([...deleted]).toEqual([
      ['Account', [{ id: '001A', at: 1_000 }]],
      ['Contact', [{ id: '003A', at: 2_000 }]],
    ]);
  });

  it('a merged Account asks for a catch-up of the objects that look accounts up, since the merge', async () => {
    expect(referencingObjects(mapping, 'Account').sort()).toEqual(['Contact', 'Opportunity']);
    expect(referencingObjects(mapping, 'Contact')).toEqual([]);
    const rows: SObjectRecord[] = [
      { Id: '001000000000001AAA', MasterRecordId: '001000000000009AAA' },
      { Id: '001000000000002AAA', MasterRecordId: null },
    ];
    const queries: string[] = [];
    const salesforce = {
      queryAll: (soql: string) => {
        queries.push(soql);
        return (async function* () {
          yield* rows;
        })();
      },
    };
    const at = Date.parse('2026-12-07T10:00:10.000Z');
    const merges = await findMerges(salesforce, new Map([['Account', [{ id: '001000000000001AAA', at }, { id: '001000000000002AAA', at }]]]));
    expect(queries).toEqual([`SELECT Id, MasterRecordId FROM Account WHERE Id IN ('001000000000001AAA', '001000000000002AAA')`]);
    expect(merges).toEqual([{ object: 'Account', loserId: '001000000000001AAA', masterId: '001000000000009AAA', at }]);
    const [request, ...rest] = mergeCatchUpEvents(merges, mapping);
    expect(rest).toEqual([]);
    expect(request).toMatchObject({
      type: 'system.catch_up_requested',
      sourceEventId: 'merge:001000000000001AAA:001000000000009AAA',
      payload: { recordIds: [], sinceModstamp: '2026-12-07T10:00:05.000Z', reason: 'merge' },
    });
    expect((request?.payload as { objects: string[] }).objects.sort()).toEqual(['Contact', 'Opportunity']);
  });
});

describe('DUPLICATES_DETECTED bodies', () => {
  const result = (ids: string[]) => ({
    allowSave: true,
    duplicateRule: 'Standard_Contact_Duplicate_Rule',
    matchResults: [{ matchRecords: ids.map((Id) => ({ record: { attributes: { type: 'Contact' }, Id } })) }],
  });

  it('reads the real spelling duplicateResut and the documented duplicateResult', () => {
    expect(duplicateMatchOf([{ errorCode: 'DUPLICATES_DETECTED', duplicateResut: result(['003A']) }])).toEqual({
      rule: 'Standard_Contact_Duplicate_Rule',
      allowSave: true,
      recordIds: ['003A'],
    });
    expect(duplicateMatchOf([{ statusCode: 'DUPLICATES_DETECTED', duplicateResult: result(['003A', '003B']) }])?.recordIds).toEqual(['003A', '003B']);
  });

  it('nothing to read without a result, or for another error', () => {
    expect(duplicateMatchOf([{ statusCode: 'DUPLICATES_DETECTED', message: 'Use one of these records?' }])).toBeUndefined();
    expect(duplicateMatchOf([{ errorCode: 'DUPLICATE_VALUE', duplicateResut: result(['003A']) }])).toBeUndefined();
  });
});
