import { recordHistory } from '../../src/admin/record-history';
import { findDuplicates, clustersDocument } from '../../src/data-quality/duplicates';
import { planClusterMerge } from '../../src/data-quality/merge-cluster';
import { awaitMerge, requestMerge } from '../../src/data-quality/merge-request';
import { expectEventually } from '../support/eventually';
import { useSyncEnvironmentWith } from '../support/example-mapping-variant';
import { waitForPipelineIdle } from '../support/pipeline-idle';

const ACCOUNTS = 9378000512;
const CONTACTS = 9378000519;

/**
 * The example mapping with accounts kept on merge (`delete: none`), and accounts and contacts
 * entered on monday staying monday-only (no Salesforce create), so a board can hold an account item
 * with no record and contacts that look it up.
 */
const MAPPING_EDITS = [
  { object: 'account', from: '    create: { salesforce: true, monday: true }\n    delete: archive\n', to: '    create: { salesforce: false, monday: true }\n    delete: none\n' },
  { object: 'contact', from: '    create: { salesforce: true, monday: true }\n', to: '    create: { salesforce: false, monday: true }\n' },
];

/** Contract section 5 "Data quality": a merge with `delete: none`, and relations read when the merge runs. */
describe('a duplicate merge that keeps the merged-away item', () => {
  const env = useSyncEnvironmentWith(MAPPING_EDITS);

  const sf = () => env().sandbox.salesforce.control;
  const md = () => env().sandbox.monday.control;
  const deps = () => ({ db: env().service.runtime.pool, salesforce: env().salesforce, monday: env().monday, mapping: env().mapping });
  const relation = (itemId: number) => JSON.stringify(md().getItem(itemId)?.values.account ?? null);
  const pipelineIdle = () => waitForPipelineIdle(env().db.pool);

  it('the kept item gets an update and a history entry naming the master; a relation added after planning is re-pointed too', async () => {
    const record = (sf().createAsHuman('Account', { Name: 'Willow Creek Co-op', Website: 'willowcreek.coop' }) as { id: string }).id;
    const masterItem = await expectEventually(() => {
      const found = md().listItems(ACCOUNTS).find((i) => JSON.stringify(i.values.salesforce_id ?? '').includes(record));
      if (!found) throw new Error('no item for the account yet');
      return found;
    }, { timeoutMs: 20_000 });
    // Entered by hand on monday: no record of its own (accounts are not created in Salesforce here).
    const stray = md().createItem({ boardId: ACCOUNTS, name: 'Willow Creek Co-op' }).id;
    const before = md().createItem({ boardId: CONTACTS, name: 'Rosa Marin', columnValues: { first_name: 'Rosa', last_name: 'Marin', account: { item_ids: [stray] } } }).id;
    await pipelineIdle();

    const cluster = clustersDocument(await findDuplicates(deps(), 'account')).clusters.find((c) => c.members.some((m) => m.id === String(stray)))!;
    expect(cluster.members.map((m) => m.id)).toEqual(expect.arrayContaining([record, String(masterItem.id), String(stray)]));
    const plan = await planClusterMerge(deps(), { clusterId: cluster.id, objectKey: 'account', master: { crm: 'salesforce', id: record } });
    expect(plan.plan.mondayLosers).toEqual([String(stray)]);
    expect(plan.repoints.map((r) => r.itemId)).toEqual([String(before)]);

    // Between planning and running: another contact starts to look the stray account up.
    const after = md().createItem({ boardId: CONTACTS, name: 'Tomas Ode', columnValues: { first_name: 'Tomas', last_name: 'Ode', account: { item_ids: [stray] } } }).id;
    await pipelineIdle();

    const request = await requestMerge(env().db.pool, plan, 'cli');
    const outcome = await awaitMerge(env().db.pool, request.position, 60_000);
    expect(outcome.succeeded).toBe(true);
    // One re-pointing per board that looks accounts up (opportunities, contacts), then the note.
    expect(outcome.commands.map((c) => c.kind)).toEqual(['monday.repoint_relations', 'monday.repoint_relations', 'monday.note_merged']);
    for (const contact of [before, after]) {
      expect(relation(contact)).toContain(String(masterItem.id));
      expect(relation(contact)).not.toContain(String(stray));
    }

    // delete: none keeps the item; an update on it and its history name the master.
    expect(md().getItem(stray)?.state).toBe('active');
    const updates = md().listUpdates(stray).map((u) => u.body);
    expect(updates).toEqual([expect.stringContaining(`Merged into monday item ${masterItem.id} by crm-sync (duplicate cluster ${cluster.id})`)]);
    const history = await recordHistory(env().db.pool, 'monday', String(stray));
    expect(history?.mergedInto).toEqual(expect.objectContaining({ crm: 'monday', id: String(masterItem.id), clusterId: cluster.id, via: 'noted' }));
    await pipelineIdle();
  }, 180_000);
});
