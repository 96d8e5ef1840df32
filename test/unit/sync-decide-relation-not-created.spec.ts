import type { RecordedEvent } from '../../src/event-store';
import type { OutboxCommand } from '../../src/sync-commands/outbox-command';
import { revisePendingCommand } from '../../src/sync-projector/pending-commands';
import { exampleResolvedMapping } from '../support/sandbox-schemas';
import { InMemoryProjection } from '../support/in-memory-projection';
import { itemSnapshot, mondayColumnChanged, recordLinked, salesforceChanged } from '../support/sync-events';

/**
 * Convergence seed 3088 ("knowable redundant AccountId = null"): an opportunity item read while its
 * relation named an account item not linked yet is created in Salesforce without AccountId (the
 * relation waits). A person then cleared the relation on monday before our write of the account
 * was sent: that write was cancelled, and a second one wrote null over the create's null, because
 * nothing recorded that the create had left AccountId empty. The same held towards monday.
 */
const OPP_BOARD = '9378000526';
const ACCOUNT_BOARD = '9378000512';
const OPP = '006000000000001AAA';
const ACCOUNT = '001000000000007AAA';

/** The opportunity item as read (t=900): its relation names account item 777. */
function opportunityRead(): RecordedEvent {
  const read = itemSnapshot(OPP_BOARD, '501', 'Deal', {}, 900);
  (read.payload as { columnValues: unknown[] }).columnValues.push({
    id: 'account', type: 'board_relation', value: JSON.stringify({ linkedPulseIds: [{ linkedPulseId: 777 }] }), text: 'Acme', linkedItemIds: ['777'],
  });
  return read;
}
const opportunityCreated = (values: Record<string, string | null>) =>
  recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP, boardId: OPP_BOARD, itemId: '501', via: 'created_salesforce_record', values, at: 1_000, sentAt: 950 });
const accountLinked = () => recordLinked({ objectKey: 'account', salesforceObject: 'Account', salesforceId: ACCOUNT, boardId: ACCOUNT_BOARD, itemId: '777', via: 'created_monday_item', values: { __name__: 'Acme' }, at: 2_000 });
const relationCleared = () => mondayColumnChanged({ boardId: OPP_BOARD, itemId: '501', columnId: 'account', columnType: 'board-relation', value: null, at: 2_700 });

function accountIdsSent(commands: OutboxCommand[]): unknown[] {
  return commands.flatMap((c) => (c.kind === 'salesforce.update' && c.salesforceId === OPP && 'AccountId' in c.fields ? [c.fields.AccountId] : []));
}

describe('a relation waiting while its record was created in Salesforce (seed 3088)', () => {
  const mapping = exampleResolvedMapping();
  let projection: InMemoryProjection;
  let instance: ReturnType<InMemoryProjection['instance']>;
  let create: OutboxCommand;
  beforeEach(async () => {
    projection = new InMemoryProjection(mapping);
    instance = projection.instance();
    [create] = await projection.handle([opportunityRead()], instance);
    expect(create).toMatchObject({ kind: 'salesforce.create', fields: { Name: 'Deal' } });
    expect(create.kind === 'salesforce.create' && 'AccountId' in create.fields).toBe(false);
    await projection.handle([opportunityCreated(create.kind === 'salesforce.create' ? (create.values as Record<string, string | null>) : {})], instance);
  });

  it('the relation resolves, then a person clears it before the write is sent: the write is cancelled and no null follows', async () => {
    const [write] = await projection.handle([accountLinked()], instance);
    expect(accountIdsSent([write])).toEqual([ACCOUNT]);
    expect(accountIdsSent(await projection.handle([relationCleared()], instance))).toEqual([]);
    expect(revisePendingCommand(write, projection.record('opportunity', '501')!, mapping)).toEqual({ kind: 'cancelled' });
  });

  it('cleared after the write landed: null is written', async () => {
    const [write] = await projection.handle([accountLinked()], instance);
    await projection.handle([salesforceChanged({ object: 'Opportunity', id: OPP, fields: { AccountId: ACCOUNT }, at: 2_100, origin: 'own_echo' })], instance);
    expect(write).toMatchObject({ seq: 1 });
    expect(accountIdsSent(await projection.handle([relationCleared()], instance))).toEqual([null]);
  });

  it("the create's echo shows an account a flow set: it is not undone, and the person's relation is written once linked", async () => {
    const echo = await projection.handle([salesforceChanged({ object: 'Opportunity', id: OPP, changeType: 'CREATE', fields: { Name: 'Deal', AccountId: '001000000000009AAA' }, at: 960, origin: 'own_echo' })], instance);
    expect(accountIdsSent(echo)).toEqual([]);
    expect(accountIdsSent(await projection.handle([accountLinked()], instance))).toEqual([ACCOUNT]);
  });
});

describe('a relation cleared on monday while its record was being created in Salesforce (seed 3569)', () => {
  it('the create did not carry it and the relation no longer waits at the link: nothing is written', async () => {
    const projection = new InMemoryProjection(exampleResolvedMapping());
    const instance = projection.instance();
    const [create] = await projection.handle([opportunityRead()], instance);
    expect(await projection.handle([relationCleared()], instance)).toEqual([]);
    const values = create.kind === 'salesforce.create' ? (create.values as Record<string, string | null>) : {};
    await projection.handle([opportunityCreated(values)], instance);
    await projection.handle([accountLinked()], instance);
    expect(accountIdsSent(projection.commands)).toEqual([]);
    expect(projection.record('opportunity', '501')?.fields.account).toMatchObject({ agreed: null, salesforce: { value: null } });
  });
});

describe('the same towards monday: a relation waiting while we created the item', () => {
  const mapping = exampleResolvedMapping();

  it('cleared in Salesforce before the account linked: nothing is written to monday, neither then nor at the link', async () => {
    const projection = new InMemoryProjection(mapping);
    const instance = projection.instance();
    const [create] = await projection.handle([salesforceChanged({ object: 'Opportunity', id: OPP, changeType: 'CREATE', fields: { Name: 'Deal', StageName: 'Quote', AccountId: ACCOUNT }, at: 1_000 })], instance);
    expect(create.kind === 'monday.create_item' && 'account' in create.columnValues).toBe(false);
    const values = create.kind === 'monday.create_item' ? (create.values as Record<string, string | null>) : {};
    await projection.handle([recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP, boardId: OPP_BOARD, itemId: '501', via: 'created_monday_item', values, at: 1_200, sentAt: 1_100 })], instance);
    expect(await projection.handle([salesforceChanged({ object: 'Opportunity', id: OPP, fields: { AccountId: null }, at: 2_000 })], instance)).toEqual([]);
    expect(await projection.handle([accountLinked()], instance)).toEqual([]);
    expect(projection.record('opportunity', '501')?.waiting).toEqual([]);
  });
});
