import { startSandbox, type SandboxEnvironment } from '@crm-sync/sandbox';
import { BOARDS, duplicatePairs, type Baseline } from '../support/pair-checks';

/**
 * The campaigns' duplicate check. Fault seed 302 was reported as "16 new Salesforce records for 12
 * pairs": the 4 extra records were the first sync of the sandbox's demo items, which existed before
 * the run and were linked when the harness ran the monday catch-up. Such a record is not a duplicate;
 * a second record for the same item still is.
 */
describe('duplicatePairs', () => {
  let sandbox: SandboxEnvironment;
  let before: Baseline;
  let demoItem: number;

  beforeEach(async () => {
    sandbox = await startSandbox();
    const sf = sandbox.salesforce.control;
    const md = sandbox.monday.control;
    before = {
      records: new Set([...sf.records('Opportunity', { includeDeleted: true }), ...sf.records('Account', { includeDeleted: true })].map((r) => String(r.Id))),
      items: new Set([...md.listItems(BOARDS.opportunity, true), ...md.listItems(BOARDS.account, true)].map((i) => i.id)),
    };
    const unlinked = md.listItems(BOARDS.opportunity, true).find((i) => !/[a-zA-Z0-9]{18}/.test(JSON.stringify(i.values.salesforce_id ?? '')));
    if (!unlinked) throw new Error('the demo opportunity board has no unlinked item');
    demoItem = unlinked.id;
  });
  afterEach(async () => sandbox.close());

  function createRecordFor(itemId: number | null): string {
    const outcome = sandbox.salesforce.control.createAsHuman('Opportunity', { Name: 'First sync', StageName: 'Prospecting', CloseDate: '2027-01-01' });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome));
    if (itemId !== null) sandbox.monday.control.changeColumnValues({ itemId, columnValues: { salesforce_id: outcome.id } });
    return outcome.id;
  }

  it('accepts the one record a pre-existing item got at its first sync', () => {
    createRecordFor(demoItem);
    expect(duplicatePairs(sandbox, [], before)).toEqual([]);
  });

  it('accepts the Opportunity a lead conversion made, with its item', () => {
    const opportunity = createRecordFor(null);
    sandbox.salesforce.control.seed([{ type: 'Lead', fields: { LastName: 'Converted', Company: 'Demo', Status: 'Closed - Converted', IsConverted: true, ConvertedOpportunityId: opportunity } }]);
    expect(duplicatePairs(sandbox, [], before)).toEqual([`opportunity: record ${opportunity} (from data older than the run) is held by items []`]);
    const item = sandbox.monday.control.createItem({ boardId: BOARDS.opportunity, name: 'Converted', groupId: 'topics', columnValues: { salesforce_id: opportunity } });
    expect(item.id).toBeGreaterThan(0);
    expect(duplicatePairs(sandbox, [], before)).toEqual([]);
  });

  it('still reports a second record made for that item', () => {
    createRecordFor(demoItem);
    const second = createRecordFor(null);
    expect(duplicatePairs(sandbox, [], before)).toEqual([`opportunity: 1 new Salesforce records for 0 pairs`, `opportunity: record ${second} is held by items []`]);
  });

  it('accepts a second item deleted while another item holds its record, and reports one still there', () => {
    const record = createRecordFor(null);
    const pairs = [{ object: 'opportunity' as const, salesforceId: record, itemId: null, createdOn: 'salesforce' as const, removedOn: null }];
    const md = sandbox.monday.control;
    const first = md.createItem({ boardId: BOARDS.opportunity, name: 'Ours', groupId: 'topics', columnValues: { salesforce_id: record } });
    const second = md.createItem({ boardId: BOARDS.opportunity, name: 'Ours again', groupId: 'topics', columnValues: { salesforce_id: record } });
    expect(duplicatePairs(sandbox, pairs, before)).toEqual([`opportunity: 2 new items for 1 pairs`, `opportunity: record ${record} is held by items [${first.id}, ${second.id}]`]);
    md.deleteItem({ itemId: second.id });
    expect(duplicatePairs(sandbox, pairs, before)).toEqual([]);
  });
});
