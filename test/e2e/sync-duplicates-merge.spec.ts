import { listDeadLetters } from '../../src/outbox/dead-letters';
import { recordKeysByIds } from '../../src/sync-projector/record-keys';
import { expectEventually } from '../support/eventually';
import { useSyncEnvironmentWith } from '../support/example-mapping-variant';

const ACCOUNTS = 9378000512;
const CONTACTS = 9378000519;

/**
 * The example mapping with accounts that rely on the org's duplicate rule alone (`match: []`, so
 * the rule, not our own search, finds the existing record) and `delete: delete`.
 */
const MAPPING_EDITS = [{ object: 'account', from: '    delete: archive\n', to: '    delete: delete\n    match: []\n' }];

/** Contract section 5 "Duplicate rules": through the whole service against both emulators. */
describe('Salesforce duplicate rules and merges through the real-time sync', () => {
  const env = useSyncEnvironmentWith(MAPPING_EDITS);

  const sf = () => env().sandbox.salesforce.control;
  const md = () => env().sandbox.monday.control;
  const idColumn = (itemId: number) => JSON.stringify(md().getItem(itemId)?.values.salesforce_id ?? '');
  const accountsNamed = (name: string) => sf().records('Account').filter((r) => r.Name === name);
  const itemFor = (boardId: number, salesforceId: string) =>
    expectEventually(() => {
      const found = md().listItems(boardId).find((i) => JSON.stringify(i.values.salesforce_id ?? '').includes(salesforceId));
      expect(found).toBeDefined();
      return found!;
    }, { timeoutMs: 20_000 });

  it('a new monday item a duplicate rule matches is linked to the one existing record: no second record', async () => {
    const [existing] = sf().seed([{ type: 'Account', fields: { Name: 'Cedar Grove Food Bank', BillingCity: 'Eugene' } }]);
    const item = md().createItem({ boardId: ACCOUNTS, name: 'Cedar Grove Food Bank', columnValues: { billing_city: 'Salem' } });

    await expectEventually(() => expect(idColumn(item.id)).toContain(existing), { timeoutMs: 20_000 });
    // Linked like any match: the item's values reach the record it was linked to.
    await expectEventually(() => expect(sf().getRecord(existing!)?.BillingCity).toBe('Salem'), { timeoutMs: 10_000 });
    await env().engine.outbox.dispatcher.idle();
    expect(accountsNamed('Cedar Grove Food Bank')).toHaveLength(1);
    expect((await listDeadLetters(env().db.pool, recordKeysByIds)).filter((d) => JSON.stringify(d.command).includes(String(item.id)))).toEqual([]);
  });

  it('two records the rule matches: an AMBIGUOUS_MATCH dead letter naming both, nothing created', async () => {
    const ids = sf().seed([
      { type: 'Account', fields: { Name: 'Maple Street Shelter' } },
      { type: 'Account', fields: { Name: 'maple street shelter' } },
    ]);
    const item = md().createItem({ boardId: ACCOUNTS, name: 'Maple Street Shelter' });

    const dead = await expectEventually(async () => {
      const found = (await listDeadLetters(env().db.pool, recordKeysByIds)).find((d) => d.kind === 'salesforce.create' && JSON.stringify(d.command).includes(String(item.id)));
      expect(found).toBeDefined();
      return found!;
    }, { timeoutMs: 20_000 });
    expect(dead.error).toMatchObject({ code: 'AMBIGUOUS_MATCH' });
    for (const id of ids) expect(String(dead.error?.message)).toContain(id);
    expect(accountsNamed('Maple Street Shelter').length + accountsNamed('maple street shelter').length).toBe(2);
    expect(idColumn(item.id)).not.toMatch(/001/);
  });

  it('a merge in Salesforce leaves one item linked to the winner; the loser item gets the delete policy; relations follow', async () => {
    const winner = (sf().createAsHuman('Account', { Name: 'Oak Hill Library' }) as { id: string }).id;
    const loser = (sf().createAsHuman('Account', { Name: 'Oak Hill Public Library' }) as { id: string }).id;
    const contact = (sf().createAsHuman('Contact', { FirstName: 'Lan', LastName: 'Nguyen', AccountId: loser }) as { id: string }).id;
    const winnerItem = await itemFor(ACCOUNTS, winner);
    const loserItem = await itemFor(ACCOUNTS, loser);
    const contactItem = await itemFor(CONTACTS, contact);
    const relation = () => JSON.stringify(md().getItem(contactItem.id)?.values.account ?? null);
    await expectEventually(() => expect(relation()).toContain(String(loserItem.id)), { timeoutMs: 20_000 });

    const res = await fetch(`${env().sandbox.salesforce.url}/__sandbox/merge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'Account', masterId: winner, mergeIds: [loser] }),
    });
    expect(res.status).toBe(200);

    await expectEventually(() => expect(md().getItem(loserItem.id)?.state).toBe('deleted'), { timeoutMs: 20_000 });
    await expectEventually(() => expect(relation()).toContain(String(winnerItem.id)), { timeoutMs: 20_000 });
    expect(relation()).not.toContain(String(loserItem.id));
    expect(md().getItem(winnerItem.id)?.state).toBe('active');
    expect(idColumn(winnerItem.id)).toContain(winner);
    await env().engine.outbox.dispatcher.idle();
    expect(md().listItems(ACCOUNTS).filter((i) => /Oak Hill/.test(i.name))).toHaveLength(1);
    // The DELETE was recognised as a merge (queryAll MasterRecordId): the objects that look accounts
    // up are re-read since the merge, in case Salesforce sent no change events for the reparenting.
    const catchUp = await expectEventually(async () => {
      const { rows } = await env().db.pool.query<{ payload: { objects: string[]; reason: string } }>(
        `SELECT payload FROM events WHERE type = 'system.catch_up_requested' AND source_event_id = $1`,
        [`merge:${loser}:${winner}`],
      );
      expect(rows).toHaveLength(1);
      return rows[0]!.payload;
    }, { timeoutMs: 10_000 });
    expect(catchUp).toMatchObject({ reason: 'merge' });
    expect([...catchUp.objects].sort()).toEqual(['Contact', 'Opportunity']);
  });
});
