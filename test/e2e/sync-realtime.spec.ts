import { expectEventually } from '../support/eventually';
import { startSyncEnvironment, type SyncEnvironment } from '../support/sync-environment';

const OPPORTUNITIES = 9378000526;
const LEADS = 9378000505;

/** Real-time two-way sync through the whole service, as in production (issue 6). */
describe('real-time sync between the emulators', () => {
  let env: SyncEnvironment;
  beforeAll(async () => {
    env = await startSyncEnvironment();
    await expectEventually(async () => expect((await fetch(`${env.url}/health`)).status).toBe(200), { timeoutMs: 20_000 });
  });
  afterAll(async () => env?.stop());

  const sf = () => env.sandbox.salesforce.control;
  const md = () => env.sandbox.monday.control;
  const itemWithSalesforceId = (boardId: number, id: string) => md().listItems(boardId).find((i) => JSON.stringify(i.values.salesforce_id ?? '').includes(id));
  const columnText = async (itemId: number, column: string) => (await env.monday.itemsByIds([String(itemId)]))[0]?.columnValues.find((c) => c.id === column)?.text ?? null;
  const salesforceWrites = (object: string) =>
    sf().requests().filter((r) => r.client === 'crm-sync' && r.method !== 'GET' && (r.path.includes(`/${object}`) || r.path.includes('/composite/sobjects')));
  const mondayWrites = () => md().requestLog().filter((r) => r.operationType === 'mutation' && r.userId === env.sandbox.monday.integrationUserId);

  it('a new Salesforce opportunity becomes a monday item carrying its Id, and later edits follow', async () => {
    const { id } = sf().createAsHuman('Opportunity', { Name: 'Harbor Literacy Grant', StageName: 'Follow-up', CloseDate: '2027-03-01', Amount: 25000 }) as { id: string };
    const item = await expectEventually(() => {
      const found = itemWithSalesforceId(OPPORTUNITIES, id);
      expect(found).toBeDefined();
      return found!;
    }, { timeoutMs: 20_000 });
    expect(item.name).toBe('Harbor Literacy Grant');
    await expectEventually(async () => expect(await columnText(item.id, 'stage')).toBe('Follow-up'), { timeoutMs: 10_000 });

    sf().updateAsHuman('Opportunity', id, { StageName: 'Quote', Amount: 30000 });
    await expectEventually(async () => expect(await columnText(item.id, 'stage')).toBe('Quote'), { timeoutMs: 10_000 });
    expect(await columnText(item.id, 'amount')).toBe('30000');
  });

  it('a new Salesforce lead whose e-mail an item already shows (with no Id) is linked to that item, not duplicated', async () => {
    const [typed] = md().seedItems(LEADS, [{ name: 'Rivera (typed on monday)', columnValues: { email: { email: 'ana.rivera@harbor-literacy.org', text: 'ana.rivera@harbor-literacy.org' } } }]);
    const { id } = sf().createAsHuman('Lead', { FirstName: 'Ana', LastName: 'Rivera', Company: 'Harbor Literacy', Email: 'Ana.Rivera@Harbor-Literacy.org', City: 'Portland' }) as { id: string };

    await expectEventually(async () => expect(await columnText(typed.id, 'salesforce_id')).toBe(id), { timeoutMs: 20_000 });
    await expectEventually(() => expect(md().getItem(typed.id)?.name).toBe('Harbor Literacy'), { timeoutMs: 10_000 });
    expect(await columnText(typed.id, 'city')).toBe('Portland');
    expect(md().listItems(LEADS).filter((i) => JSON.stringify(i.values.salesforce_id ?? '').includes(id))).toHaveLength(1);
  });

  it('one human edit on monday produces exactly one Salesforce write, even when a Salesforce flow edits the record again', async () => {
    const { id } = sf().createAsHuman('Opportunity', { Name: 'Echo Check', StageName: 'Follow-up', CloseDate: '2027-04-01' }) as { id: string };
    const item = await expectEventually(() => {
      const found = itemWithSalesforceId(OPPORTUNITIES, id);
      expect(found).toBeDefined();
      return found!;
    }, { timeoutMs: 20_000 });
    await expectEventually(async () => expect(await columnText(item.id, 'stage')).toBe('Follow-up'), { timeoutMs: 10_000 });
    // A flow in the org: after our integration writes an opportunity, it sets NextStep.
    sf().addAutomation({ id: 'next-step-flow', object: 'Opportunity', afterWriteByClient: 'crm-sync', on: ['UPDATE'], set: { NextStep: 'Schedule kickoff' } });
    await env.sandbox.monday.control.waitForWebhooks();
    const sfBefore = salesforceWrites('Opportunity').length;
    const mondayBefore = mondayWrites().length;

    md().changeColumnValues({ itemId: item.id, columnValues: { stage: { label: 'MOU' } } });
    await expectEventually(() => expect(sf().getRecord(id)).toMatchObject({ StageName: 'MOU', NextStep: 'Schedule kickoff' }), { timeoutMs: 10_000 });
    await expectEventually(async () => expect(await columnText(item.id, 'next_step')).toBe('Schedule kickoff'), { timeoutMs: 10_000 });
    await env.engine.outbox.dispatcher.idle();

    expect(salesforceWrites('Opportunity').length - sfBefore).toBe(1);
    // monday receives what Salesforce itself changed (the flow's NextStep; the Probability that
    // follows the stage), coalesced or not, and never the stage back.
    await expectEventually(async () => expect(await columnText(item.id, 'probability')).toBe(String(sf().getRecord(id)?.Probability)), { timeoutMs: 10_000 });
    await env.engine.outbox.dispatcher.idle();
    expect(mondayWrites().length - mondayBefore).toBeGreaterThanOrEqual(1);
    expect(mondayWrites().length - mondayBefore).toBeLessThanOrEqual(2);
    sf().removeAutomation('next-step-flow');
  });

  it('lead lifecycle: a qualified lead item reaches Salesforce, is converted, and its account, contact and opportunity get items', async () => {
    const item = md().createItem({ boardId: LEADS, name: 'Bayview Youth Center', columnValues: { last_name: 'Reyes', email: { email: 'ana.reyes@bayview.example', text: 'ana.reyes@bayview.example' }, lead_status: { label: 'Working' } } });
    await env.sandbox.monday.control.waitForWebhooks();
    expect(sf().records('Lead').some((l) => l.Company === 'Bayview Youth Center')).toBe(false);

    md().changeColumnValues({ itemId: item.id, columnValues: { lead_status: { label: 'Qualified' } } });
    const lead = await expectEventually(() => {
      const found = sf().records('Lead').find((l) => l.Company === 'Bayview Youth Center');
      expect(found).toMatchObject({ IsConverted: true });
      return found!;
    }, { timeoutMs: 20_000 });
    await expectEventually(async () => expect(await columnText(item.id, 'salesforce_id')).toBe(lead.Id), { timeoutMs: 10_000 });
    for (const [object, board] of [['ConvertedAccountId', 9378000512], ['ConvertedContactId', 9378000519], ['ConvertedOpportunityId', OPPORTUNITIES]] as const) {
      const id = String(lead[object]);
      await expectEventually(() => expect(itemWithSalesforceId(board, id)).toBeDefined(), { timeoutMs: 20_000 });
    }
  });
  it('a Lead a person converted in Salesforce, whose item is edited before crm-sync saw the conversion, dead-letters nothing and its records get items (issue #20)', async () => {
    const [item] = md().seedItems(LEADS, [{ name: 'Riverside Pantry', columnValues: { email: { email: 'kemi.okafor@riverside.example', text: 'kemi.okafor@riverside.example' } } }]);
    const { id } = sf().createAsHuman('Lead', { LastName: 'Okafor', Company: 'Riverside Pantry', Email: 'kemi.okafor@riverside.example', City: 'Portland' }) as { id: string };
    await expectEventually(async () => expect(await columnText(item.id, 'salesforce_id')).toBe(id), { timeoutMs: 20_000 });
    await env.engine.outbox.dispatcher.idle();
    // The conversion's change events are held: crm-sync has not seen it when the item is edited.
    sf().holdChangeEventChannel('/data/ChangeEvents', 3_000);
    const converted = sf().convertLeadAsHuman(id);
    expect(converted).toMatchObject({ success: true });
    md().changeColumnValues({ itemId: item.id, columnValues: { last_name: 'Okafor-Diaz' } });
    const contactId = String((converted as { contactId: string }).contactId);
    await expectEventually(() => expect(itemWithSalesforceId(9378000519, contactId)).toBeDefined(), { timeoutMs: 30_000 });
    await env.engine.outbox.dispatcher.idle();
    const dead = await env.db.pool.query("SELECT id FROM outbox WHERE status = 'dead'");
    expect(dead.rows).toEqual([]);
    expect(sf().getRecord(id)).toMatchObject({ IsConverted: true, LastName: 'Okafor' });
  });
});
