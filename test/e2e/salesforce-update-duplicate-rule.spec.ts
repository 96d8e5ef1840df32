import { DEMO_BOARDS } from '@crm-sync/sandbox';
import { runMondayCatchUp } from '../../src/migration/monday-catch-up';
import { listDeadLetters } from '../../src/outbox/dead-letters';
import { recordKeysByIds } from '../../src/sync-projector/record-keys';
import { expectEventually } from '../support/eventually';
import { waitForPipelineIdle } from '../support/pipeline-idle';
import { startSyncEnvironment, type SyncEnvironment } from '../support/sync-environment';

const ELENA = 'elena.park@riverside-cc.example.edu';

/**
 * Issue 20, the "DUPLICATE dead letters at the first all-board catch-up" of the fault campaign,
 * with the sandbox's demo data: monday's demo boards hold Elena Park both as a Contact item and as
 * a qualified Lead item. The first catch-up of every board creates her Contact from the item and
 * converts her Lead, and the conversion makes a second Contact with the same e-mail. From then on
 * the standard Contact duplicate rule (Allow with alert) refuses any API update of either Contact
 * that writes a field it compares (DUPLICATES_DETECTED), whichever change it carries (the
 * campaign's two dead letters: Elena Park and Sam Whitaker, also a Contact and a qualified Lead).
 * An update creates no record, so the product acknowledges the alert (allowSave) and saves; a
 * rule set to Block still refuses, and that is a dead letter saying so.
 */
describe('a Salesforce update refused by a duplicate rule (demo data, first all-board catch-up)', () => {
  let env: SyncEnvironment;
  beforeAll(async () => {
    env = await startSyncEnvironment();
    await expectEventually(async () => expect((await fetch(`${env.url}/health`)).status).toBe(200), { timeoutMs: 30_000 });
  });
  afterAll(async () => env?.stop());

  const sf = () => env.sandbox.salesforce.control;
  const contactsWithElenasEmail = () => sf().records('Contact').filter((c) => String(c.Email ?? '').toLowerCase() === ELENA);
  const settle = async () => {
    // A conversion's Contact, Account and Opportunity come back as events and commands of their own.
    await waitForPipelineIdle(env.db.pool);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await waitForPipelineIdle(env.db.pool);
  };
  /** The demo's own Elena Park item (the first of the board's two once her Lead is converted) and its Contact. */
  const demoElena = () => {
    const items = env.sandbox.monday.control.listItems(DEMO_BOARDS.contacts.id).filter((i) => i.name === 'Elena Park').sort((a, b) => a.id - b.id);
    const contactId = contactsWithElenasEmail().map((c) => c.Id as string).find((id) => JSON.stringify(items[0]?.values.salesforce_id ?? '').includes(id.slice(0, 15)));
    expect(contactId).toBeDefined();
    return { itemId: items[0].id, contactId: contactId as string };
  };

  /** One run of the monday catch-up over the boards of these objects, reading the demo items (made before the service started). */
  const catchUp = async (objectKeys: readonly string[]) => {
    const mapping = { ...env.mapping, objects: env.mapping.objects.filter((o) => objectKeys.includes(o.key)) };
    await runMondayCatchUp(env.db.pool, env.monday, mapping, { now: () => env.sandbox.monday.control.now(), initialLookbackMs: 3_600_000 });
    await settle();
  };

  it('the first catch-ups leave two Contacts with one e-mail and no dead letter', async () => {
    // In the campaign both boards were read in one run and the order was a race; here her Contact
    // item is read first, then her Lead, whose conversion makes the second Contact.
    await catchUp(['account', 'contact']);
    expect(contactsWithElenasEmail()).toHaveLength(1);
    await catchUp(['lead', 'opportunity']);
    expect(contactsWithElenasEmail()).toHaveLength(2);
    expect(await listDeadLetters(env.db.pool, recordKeysByIds, { limit: 10 })).toEqual([]);
  }, 120_000);

  it('a monday edit of one of them reaches Salesforce: refused with an alert, sent again acknowledging it', async () => {
    const { itemId, contactId } = demoElena();
    sf().clearRequests();
    env.sandbox.monday.control.changeColumnValues({ itemId, columnValues: { last_name: 'Park-Lee' } });
    await expectEventually(() => expect(sf().getRecord(contactId)?.LastName).toBe('Park-Lee'), { timeoutMs: 30_000 });
    await settle();
    // The path was taken: a single-record PATCH of that Contact after the collection's refusal.
    expect(sf().requests().filter((r) => r.method === 'PATCH' && r.path.includes(`/sobjects/Contact/${contactId}`)).map((r) => r.status)).toEqual([204]);
    expect(await listDeadLetters(env.db.pool, recordKeysByIds, { limit: 10 })).toEqual([]);
  }, 120_000);

  it('a rule set to Block still refuses: a dead letter that says so, and the Contact is unchanged', async () => {
    const rule = await fetch(`${env.sandbox.salesforce.url}/__sandbox/duplicate-rules/Standard_Contact_Duplicate_Rule`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'block' }),
    });
    expect(rule.status).toBe(200);
    const { itemId, contactId } = demoElena();
    env.sandbox.monday.control.changeColumnValues({ itemId, columnValues: { last_name: 'Park-Blocked' } });
    const [letter] = await expectEventually(async () => {
      const letters = await listDeadLetters(env.db.pool, recordKeysByIds, { limit: 10 });
      expect(letters).toHaveLength(1);
      return letters;
    }, { timeoutMs: 30_000 });
    expect(JSON.stringify(letter)).toMatch(/DUPLICATES_DETECTED/);
    expect(JSON.stringify(letter)).toMatch(/duplicate rule set to Block refuses this update/);
    expect(sf().getRecord(contactId)?.LastName).toBe('Park-Lee');
  }, 120_000);
});
