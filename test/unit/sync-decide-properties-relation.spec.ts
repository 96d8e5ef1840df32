import fc from 'fast-check';
import type { RecordedEvent } from '../../src/event-store';
import { snapshotEvent } from '../../src/migration/backfill-snapshot-events';
import type { OutboxCommand } from '../../src/sync-commands/outbox-command';
import type { LinkIndex } from '../../src/sync-projector/link-index';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import { exampleResolvedMapping } from '../support/sandbox-schemas';
import { InMemoryProjection } from '../support/in-memory-projection';
import { itemSnapshot, mondayColumnChanged, recordLinked, recorded, salesforceChanged } from '../support/sync-events';

/**
 * Property of the projector (decide and the runner's link handling, no Postgres) for issues 16 and
 * 20's AccountId-null family (seed 150): an opportunity relinked on monday to an account item created
 * on monday, whose Salesforce create is in flight. fast-check picks the order of the events around
 * it, where the batches end, and what happens at each batch: nothing, its transaction rolls back and
 * it is decided again, the other of two instances takes the lead (its index loaded when it started,
 * before the account's link), or a new instance replaces the leader (kill -9). Then the echoes of
 * what was sent to Salesforce come back. Salesforce must end up with the account, and the relation
 * must not be left waiting.
 */
const OPP_BOARD = '9378000526';
const ACCOUNT_BOARD = '9378000512';
const OPP = '006000000000001AAA';
const ACCOUNT = '001000000000007AAA';
const MAPPING = exampleResolvedMapping();

type Instance = { links: LinkIndex; context: SyncContext };
type Fault = 'none' | 'rollback' | 'takeover' | 'restart';

/** The events around the relation change, each built fresh (a redelivery is the same event again). */
const EVENTS = {
  /** A person relinks the opportunity to account item 777 (t=3000). */
  relinked: () =>
    mondayColumnChanged({ boardId: OPP_BOARD, itemId: '501', columnId: 'account', columnType: 'board-relation', value: { linkedPulseIds: [{ linkedPulseId: 777 }] }, at: 3_000 }),
  /** The outcome of our create of the account: created, or found by lookup after a lost response. */
  linked: (via: 'created_salesforce_record' | 'matched_existing') => () =>
    recordLinked({ objectKey: 'account', salesforceObject: 'Account', salesforceId: ACCOUNT, boardId: ACCOUNT_BOARD, itemId: '777', via, values: { __name__: 'Acme' }, at: 4_000, sentAt: 2_500 }),
  /** The CDC echo of our create of the account (its own channel: any order with the rest). */
  accountEcho: () => salesforceChanged({ object: 'Account', id: ACCOUNT, changeType: 'CREATE', fields: { Name: 'Acme' }, at: 2_600, origin: 'own_echo' }),
  /** A refresh of the opportunity read before the relation change (no account), appended later. */
  readBefore: () => {
    const snapshot = itemSnapshot(OPP_BOARD, '501', 'Deal', {}, 2_000);
    (snapshot.payload as { columnValues: unknown[] }).columnValues.push({ id: 'account', type: 'board_relation', value: null, text: '', linkedItemIds: [] });
    return { ...snapshot, occurredAt: new Date(2_900) };
  },
  /** A person edits the opportunity's NextStep in Salesforce (t=3500, after the relation change). */
  nextStepEdited: () => salesforceChanged({ object: 'Opportunity', id: OPP, fields: { NextStep: 'Call' }, at: 3_500 }),
  /** A Salesforce catch-up read (a CDC gap's) of the opportunity after that edit, before our write of the account landed. */
  salesforceRead: () => recorded(snapshotEvent('Opportunity', { Id: OPP, SystemModstamp: '1970-01-01T00:00:03.500Z', Name: 'Deal', AccountId: null, NextStep: 'Call' }, 'catch_up')),
  /** A person's older Salesforce change of the opportunity's account to none (t=1500), delivered late. */
  olderNullAccount: () => salesforceChanged({ object: 'Opportunity', id: OPP, fields: { AccountId: null }, at: 1_500 }),
};

interface Scenario {
  /** Sort keys: the events' order. */
  order: number[];
  via: 'created_salesforce_record' | 'matched_existing';
  /** Which optional events happen, and whether the relation webhook and the older CDC come twice. */
  withEcho: boolean;
  withRead: boolean;
  withOlderNull: boolean;
  /** The NextStep edit and, after it (its own channel, redelivered: any order with the rest), the catch-up read. */
  withSalesforceRead: boolean;
  webhookTwice: boolean;
  olderNullTwice: boolean;
  /** Per event: whether its batch ends after it, and what happens to that batch. */
  ends: boolean[];
  faults: Fault[];
}

const MAX_EVENTS = 9;
const scenario: fc.Arbitrary<Scenario> = fc.record({
  order: fc.array(fc.integer({ min: 0, max: 1_000 }), { minLength: MAX_EVENTS, maxLength: MAX_EVENTS }),
  via: fc.constantFrom<Scenario['via']>('created_salesforce_record', 'matched_existing'),
  withEcho: fc.boolean(),
  withRead: fc.boolean(),
  withOlderNull: fc.boolean(),
  withSalesforceRead: fc.boolean(),
  webhookTwice: fc.boolean(),
  olderNullTwice: fc.boolean(),
  ends: fc.array(fc.boolean(), { minLength: MAX_EVENTS, maxLength: MAX_EVENTS }),
  faults: fc.array(fc.constantFrom<Fault>('none', 'none', 'rollback', 'takeover', 'restart'), { minLength: MAX_EVENTS, maxLength: MAX_EVENTS }),
});

function eventsOf(s: Scenario): RecordedEvent[] {
  const relinked = EVENTS.relinked();
  const olderNull = EVENTS.olderNullAccount();
  const chosen: RecordedEvent[] = [relinked, EVENTS.linked(s.via)()];
  if (s.withEcho) chosen.push(EVENTS.accountEcho());
  if (s.withRead) chosen.push(EVENTS.readBefore());
  if (s.withOlderNull) chosen.push(olderNull);
  if (s.withSalesforceRead) chosen.push(EVENTS.nextStepEdited(), EVENTS.salesforceRead());
  if (s.webhookTwice) chosen.push(relinked);
  if (s.withOlderNull && s.olderNullTwice) chosen.push(olderNull);
  return chosen.map((event, i) => ({ event, key: s.order[i] * MAX_EVENTS + i })).sort((a, b) => a.key - b.key).map(({ event }) => event);
}

function accountIdsSent(commands: OutboxCommand[]): unknown[] {
  return commands.flatMap((c) => (c.kind === 'salesforce.update' && c.salesforceId === OPP && 'AccountId' in c.fields ? [c.fields.AccountId] : []));
}

async function runScenario(s: Scenario): Promise<InMemoryProjection> {
  const projection = new InMemoryProjection(MAPPING);
  const first = projection.instance();
  await projection.handle(
    [recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP, boardId: OPP_BOARD, itemId: '501', via: 'created_monday_item', values: { __name__: 'Deal', account: null }, at: 1_000 })],
    first,
  );
  // A person creates account item 777: its read decides our Salesforce create of it.
  await projection.handle([itemSnapshot(ACCOUNT_BOARD, '777', 'Acme', {}, 2_000)], first);
  // Two instances, both started now (before the account's link); `first` leads.
  const instances: Instance[] = [first, projection.instance()];
  let leader = 0;
  const events = eventsOf(s);
  let batch: RecordedEvent[] = [];
  for (let i = 0; i < events.length; i++) {
    batch.push(events[i]);
    if (!s.ends[i] && i < events.length - 1) continue;
    const fault = s.faults[i];
    if (fault === 'rollback') await projection.handle(batch, instances[leader], true);
    await projection.handle(batch, instances[leader]);
    batch = [];
    if (fault === 'takeover') {
      leader = 1 - leader;
      projection.lead(instances[leader]);
    }
    if (fault === 'restart') instances[leader] = projection.instance();
  }
  // The writes of the opportunity's account land in Salesforce, in order; their echoes come back.
  const sent = accountIdsSent(projection.commands);
  const echoes = sent.map((value, i) => salesforceChanged({ object: 'Opportunity', id: OPP, fields: { AccountId: value }, at: 5_000 + i * 100, origin: 'own_echo' }));
  if (echoes.length > 0) await projection.handle(echoes, instances[leader]);
  return projection;
}

async function convergesToTheAccount(s: Scenario): Promise<void> {
  const projection = await runScenario(s);
  const sent = accountIdsSent(projection.commands);
  expect(sent[sent.length - 1]).toBe(ACCOUNT);
  expect(sent.filter((value) => value !== ACCOUNT)).toEqual([]);
  const opportunity = projection.record('opportunity', '501');
  expect(opportunity?.waiting).toEqual([]);
  expect(opportunity?.fields.account.agreed).toBe(ACCOUNT);
  expect(projection.records.filter((r) => r.objectKey === 'account')).toHaveLength(1);
}

/** A run with none of the optional events, every event ending its batch: counterexamples vary order and faults. */
const plainRun = {
  via: 'created_salesforce_record',
  withEcho: false,
  withRead: false,
  withOlderNull: false,
  withSalesforceRead: false,
  webhookTwice: false,
  olderNullTwice: false,
  ends: Array<boolean>(9).fill(true),
} satisfies Omit<Scenario, 'order' | 'faults'>;

describe('sync projector property: a relation to a record created on monday, waiting for its link (issues 16, 20: seed 150)', () => {
  // Seeded so that npm test is deterministic; FC_SEED=<n> FC_RUNS=<n> search further.
  it('in any order with the link (created or found by lookup), the create echo, an older read, an older CDC, a Salesforce catch-up read before our write landed, redeliveries, rollbacks, takeovers and restarts: Salesforce gets the account', async () => {
    await fc.assert(fc.asyncProperty(scenario, convergesToTheAccount), { numRuns: Number(process.env.FC_RUNS ?? 1_000), seed: Number(process.env.FC_SEED ?? 20_261_207) });
  });

  it('known counterexample: the batch of the link rolls back and is decided again', async () => {
    await convergesToTheAccount({
      order: [0, 1, 2, 3, 4, 5, 6, 7, 8],
      ...plainRun,
      faults: ['none', 'rollback', 'none', 'none', 'none', 'none', 'none', 'none', 'none'],
    });
  });

  it('known counterexample: the standby takes the lead after the link, before the relation change', async () => {
    await convergesToTheAccount({
      order: [1, 0, 2, 3, 4, 5, 6, 7, 8],
      ...plainRun,
      faults: ['takeover', 'none', 'none', 'none', 'none', 'none', 'none', 'none', 'none'],
    });
  });
});
