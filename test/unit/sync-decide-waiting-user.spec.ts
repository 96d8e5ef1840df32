import { decide } from '../../src/sync-projector/decide';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { RecordBatch } from '../../src/sync-projector/record-batch';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import { decideEvents } from '../../src/sync-projector/sync-projector';
import type { SyncRecord } from '../../src/sync-projector/sync-record';
import { EmailUserDirectory } from '../../src/sync-projector/user-directory';
import { InMemoryProjection } from '../support/in-memory-projection';
import { exampleResolvedMapping } from '../support/sandbox-schemas';
import { itemSnapshot, mondayColumnChanged, recordLinked, salesforceChanged, userDirectoryChanged } from '../support/sync-events';

const OPPORTUNITY_BOARD = '9378000526';
const OPP_ID = '006000000000001AAA';
const NOOR_SF = '005000000000077AAA';
const NOOR_MONDAY = 77;
/** The integration user, Salesforce's default owner of what we create: known on both sides. */
const SYNC_SF = '005000000000001AAA';
const syncUser = { sf: { id: SYNC_SF, email: 'sync@crm-sync.example' }, monday: { id: '1', email: 'sync@crm-sync.example' } };
const withoutNoor = () => new EmailUserDirectory([syncUser.sf], [syncUser.monday]);
/** The user directory once a refresh read Noor in both CRMs (same e-mail, cased differently). */
const withNoor = () =>
  new EmailUserDirectory([syncUser.sf, { id: NOOR_SF, email: 'noor.haddad@crm-sync.example' }], [syncUser.monday, { id: String(NOOR_MONDAY), email: 'Noor.Haddad@crm-sync.example' }]);
const person = (id: number) => ({ personsAndTeams: [{ id, kind: 'person' }] });
const ownerChanged = (itemId: string, mondayUserId: number, at: number) =>
  mondayColumnChanged({ boardId: OPPORTUNITY_BOARD, itemId, columnId: 'owner', columnType: 'multiple-person', value: person(mondayUserId), at });

/**
 * A monday owner the user directory does not know yet (issue 20): the value waits in the record,
 * not dead-lettered and not dropped, and a directory refresh that adds users (its event in the log)
 * sends it.
 */
describe('a monday person the user directory does not know yet waits for it', () => {
  const mapping = exampleResolvedMapping();
  let links: LinkIndex;
  let context: SyncContext;
  beforeEach(() => {
    links = new LinkIndex();
    context = { mapping, links, users: new EmailUserDirectory() };
  });

  function linkedOpportunity(): SyncRecord {
    const result = decide(null, recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '501', values: { stage: 'Follow-up' } }), context);
    links.add('opportunity', OPP_ID, '501');
    return { ...(result.record as SyncRecord), id: 1 };
  }

  it('an owner change on a linked item waits (not a dead letter), and is sent at the directory refresh that adds the user', async () => {
    const change = decide(linkedOpportunity(), ownerChanged('501', NOOR_MONDAY, 2_000), context);
    expect(change.outcome).toMatchObject({ outcome: 'skipped', reason: 'waiting_for_user', detail: { field: 'owner' } });
    expect(change.commands).toEqual([]);
    expect(change.record?.waiting).toEqual([expect.objectContaining({ fieldKey: 'owner', towards: 'salesforce', waitsFor: 'user', at: 2_000 })]);

    // A refresh that did not add her resolves nothing.
    const batch = new RecordBatch([change.record as SyncRecord]);
    const early = await decideEvents([userDirectoryChanged()], batch, context, links, async () => []);
    expect(early.commands).toEqual([]);

    context.users = withNoor();
    const { commands, decisions } = await decideEvents([userDirectoryChanged()], batch, context, links, async () => []);
    expect(commands.map((c) => c.command)).toEqual([expect.objectContaining({ kind: 'salesforce.update', salesforceId: OPP_ID, fields: { OwnerId: NOOR_SF } })]);
    expect(decisions.map((d) => [d.record?.mondayItemId ?? null, d.outcome.reason])).toEqual([
      [null, 'user_directory_changed'],
      ['501', 'reference_resolved'],
    ]);
    const [record] = batch.changed();
    expect(record?.waiting).toEqual([]);
    expect(record?.fields.owner).toMatchObject({ agreed: NOOR_SF, agreedFrom: 'monday', agreedAt: 2_000 });
  });

  it('a newer change of the field supersedes the waiting one; an older one neither replaces nor cancels it', async () => {
    const waiting = decide(linkedOpportunity(), ownerChanged('501', NOOR_MONDAY, 2_000), context).record as SyncRecord;
    const KNOWN_SF = '005000000000055AAA';
    context.users = new EmailUserDirectory([{ id: KNOWN_SF, email: 'sam@crm-sync.example' }], [{ id: '55', email: 'sam@crm-sync.example' }]);
    const older = decide(waiting, ownerChanged('501', 55, 1_500), context);
    expect(older.outcome).toMatchObject({ outcome: 'skipped', reason: 'stale' });
    expect(older.record?.waiting).toEqual([expect.objectContaining({ fieldKey: 'owner', at: 2_000 })]);

    const newer = decide(waiting, ownerChanged('501', 55, 3_000), context);
    expect(newer.commands).toEqual([expect.objectContaining({ kind: 'salesforce.update', fields: { OwnerId: KNOWN_SF } })]);
    expect(newer.record?.waiting).toEqual([]);
    // Noor becomes known later: the change she waited with was superseded, nothing is sent.
    context.users = withNoor();
    const { commands } = await decideEvents([userDirectoryChanged()], new RecordBatch([{ ...(newer.record as SyncRecord), id: 1 }]), context, links, async () => []);
    expect(commands).toEqual([]);
  });

  it('an owner set on an item before its link (our create just made it) waits through the link, and reaches Salesforce at the refresh', async () => {
    const projection = new InMemoryProjection(mapping);
    const on = projection.instance();
    on.context.users = withoutNoor();
    // The item is new to us: its owner change is kept waiting and the item read.
    const [read] = await projection.handle([ownerChanged('502', NOOR_MONDAY, 2_000)], on);
    expect(read).toMatchObject({ kind: 'monday.refresh_item', itemId: '502' });
    expect(projection.record('opportunity', '502')?.waiting).toEqual([expect.objectContaining({ fieldKey: 'owner', waitsFor: 'user' })]);

    // The read shows the same owner: still unknown, so the create goes without it (Salesforce's default).
    const snapshot = itemSnapshot(OPPORTUNITY_BOARD, '502', 'Lakeside', { stage: 'Quote' }, 2_500);
    const columns = (snapshot.payload as { columnValues: Array<Record<string, unknown>> }).columnValues;
    columns.push({ id: 'close_date', type: 'date', value: JSON.stringify({ date: '2027-01-31' }), text: '2027-01-31' });
    columns.push({ id: 'owner', type: 'people', value: JSON.stringify(person(NOOR_MONDAY)), text: 'Noor Haddad' });
    const [create] = await projection.handle([snapshot], on);
    expect(create).toMatchObject({ kind: 'salesforce.create', fields: expect.not.objectContaining({ OwnerId: expect.anything() }) });
    expect(projection.record('opportunity', '502')?.waiting).toEqual([expect.objectContaining({ fieldKey: 'owner', waitsFor: 'user', mondayRead: expect.anything() })]);

    // Our create's echo (Salesforce set its default owner) comes before the link; then the link.
    await projection.handle([salesforceChanged({ object: 'Opportunity', id: OPP_ID, changeType: 'CREATE', fields: { Name: 'Lakeside', StageName: 'Quote', CloseDate: '2027-01-31', OwnerId: SYNC_SF }, at: 3_000, origin: 'own_echo' })], on);
    const atLink = await projection.handle(
      [recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_ID, boardId: OPPORTUNITY_BOARD, itemId: '502', via: 'created_salesforce_record', values: { __name__: 'Lakeside', stage: 'Quote', close_date: '2027-01-31' }, at: 3_100, sentAt: 2_900 })],
      on,
    );
    expect(atLink.filter((c) => c.kind === 'salesforce.update')).toEqual([]);
    // monday keeps the person: Salesforce's default owner is not written over the value waiting there.
    expect(atLink.filter((c) => c.kind === 'monday.change_columns')).toEqual([]);
    expect(projection.record('opportunity', '502')?.waiting).toEqual([expect.objectContaining({ fieldKey: 'owner', waitsFor: 'user' })]);

    on.context.users = withNoor();
    const resolved = await projection.handle([userDirectoryChanged()], on);
    expect(resolved).toEqual([expect.objectContaining({ kind: 'salesforce.update', salesforceId: OPP_ID, fields: { OwnerId: NOOR_SF } })]);
    expect(projection.record('opportunity', '502')?.waiting).toEqual([]);
  });
});
