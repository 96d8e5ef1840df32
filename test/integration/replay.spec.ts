import { randomUUID } from 'node:crypto';
import { appendEvents, LeaderLock, readCheckpoint, SubscriptionRunner, type NewEvent, type RecordedEvent } from '../../src/event-store';
import { buildSyncContext } from '../../src/sync-projector/build-sync-context';
import { loadMapping } from '../../src/mapping';
import { replayProjection, type ReplayOptions } from '../../src/migration/replay';
import type { ClaimedCommand } from '../../src/outbox/claim';
import { commandFailedEvent, commandSucceededEvent, recordLinkedEvent } from '../../src/outbox/result-events';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { saveCachedContext } from '../../src/sync-projector/sync-context-cache';
import { SyncProjector } from '../../src/sync-projector/sync-projector';
import { loadLinks } from '../../src/sync-projector/sync-records.repository';
import { EXAMPLE_MAPPING, sandboxSchemas } from '../support/sandbox-schemas';
import { itemSnapshot, mondayColumnChanged, recordLinked, salesforceChanged, userDirectoryChanged } from '../support/sync-events';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const OPPS = '9378000526';
const ACCOUNTS = '9378000512';
const OPP_1 = '006000000000001AAA';
const OPP_2 = '006000000000002AAA';
const OPP_3 = '006000000000003AAA';
const OPP_4 = '006000000000004AAA';
const OPP_5 = '006000000000005AAA';
const OPP_6 = '006000000000006AAA';
const ACCOUNT = '001000000000007AAA';
const ACCOUNT_NOT_LINKED = '001000000000009AAA';
/** The item each monday create makes, by the Salesforce record it was made for. */
const CREATED_ITEMS: Record<string, string> = { [OPP_2]: '602', [OPP_4]: '704' };
/** The Salesforce record each Salesforce create makes, by the item it was made for. */
const CREATED_RECORDS: Record<string, string> = { '503': OPP_3, '805': OPP_5, '906': OPP_6 };
const status = (text: string) => ({ label: { index: 0, text }, post_id: null });
const asNew = ({ position: _p, transactionId: _t, recordedAt: _r, ...event }: RecordedEvent): NewEvent => event as NewEvent;

function mondayItemEvent(type: 'monday.item_created' | 'monday.item_deleted', itemId: string, at: number, origin: 'user' | 'own_echo' = 'user'): NewEvent {
  const triggerUuid = randomUUID().replace(/-/g, '');
  const common = { triggerTime: new Date(at).toISOString(), userId: origin === 'own_echo' ? 9001 : 5001, triggerUuid, boardId: Number(OPPS) };
  const payload =
    type === 'monday.item_created'
      ? { ...common, type: 'create_pulse', pulseId: Number(itemId), pulseName: `Item ${itemId}`, groupId: 'topics', columnValues: {} }
      : { ...common, type: 'delete_pulse', itemId: Number(itemId) };
  return { type, source: 'monday', sourceEventId: triggerUuid, stream: `monday:item:${itemId}`, origin, occurredAt: new Date(at), payload } as NewEvent;
}

/**
 * Invariant 10 on a log with every kind of fact the sync sees: links, edits on both sides, own
 * echoes, creates on either side whose echo arrives before their link (two records joined into
 * one), relations waiting for a link, command outcomes naming their record by id, deletes and a
 * dead letter. The log is made the way production makes it: events appended in rounds, the live
 * projector deciding them in batches, and a stand-in for the dispatcher appending each command's
 * outcome with the dispatcher's own event builders.
 */
describe('crm-sync replay (invariant 10)', () => {
  let db: TestDatabase;
  const mapping = loadMapping(EXAMPLE_MAPPING);
  const cached = { live: sandboxSchemas(), salesforceUsers: [], mondayUsers: [] };

  // Five live drains, each waiting for the xmin horizon: one open transaction anywhere on the
  // server (another bench's projector batch) holds them all, so the hook may take minutes there.
  beforeAll(async () => {
    db = await createTestDatabase();
    await saveCachedContext(db.pool, cached);
    await buildMixedLog();
  }, 600_000);
  afterAll(async () => db.drop());

  /** The live projector as the service runs it: links loaded from the table, batches of `batchSize`. */
  async function runLive(batchSize: number): Promise<void> {
    const links = new LinkIndex();
    for (const link of await loadLinks(db.pool)) links.add(link.objectKey, link.salesforceId, link.itemId);
    const context = buildSyncContext(mapping, cached, links);
    const runner = new SubscriptionRunner(db.pool, null, new SyncProjector(() => context, links), new LeaderLock(db.url, 'projector:sync'), { batchSize });
    await runner.drain();
    await runner.stop();
  }

  /** Sends every pending command (marks it done) and appends what `outcome` says came of it. */
  async function dispatch(outcome: (claimed: ClaimedCommand) => NewEvent[]): Promise<number> {
    const { rows } = await db.pool.query<{ id: string; record_id: string; payload: ClaimedCommand['command']; caused_by: string }>(
      "SELECT id, record_id, payload, caused_by FROM outbox WHERE status = 'pending' ORDER BY id",
    );
    const claimed = rows.map((row) => ({
      id: Number(row.id),
      recordId: Number(row.record_id),
      command: row.payload,
      causedBy: Number(row.caused_by),
      attempts: 1,
      dispatch: 1,
      progress: null,
      lastError: null,
      createdAt: new Date(),
    }));
    await db.pool.query("UPDATE outbox SET status = 'done', finished_at = now() WHERE status = 'pending'");
    await appendEvents(db.pool, claimed.flatMap(outcome));
    return claimed.length;
  }

  /** What a successful send reports: the values written and, for a create, the link it made. */
  function succeeded(claimed: ClaimedCommand, at: number): NewEvent[] {
    const { command } = claimed;
    const now = new Date(at);
    const written = 'values' in command && command.values ? command.values : {};
    const events = [commandSucceededEvent(claimed, written, undefined, now, now)];
    if (command.kind === 'monday.create_item') {
      const link = { objectKey: command.objectKey, salesforceObject: command.salesforceObject, salesforceId: command.salesforceId, mondayBoardId: command.boardId, mondayItemId: CREATED_ITEMS[command.salesforceId], via: 'created_monday_item' as const, values: written };
      events.push(recordLinkedEvent(claimed, link, `salesforce:${command.salesforceObject}:${command.salesforceId}`, now, now));
    }
    if (command.kind === 'salesforce.create') {
      const link = { objectKey: command.objectKey, salesforceObject: command.salesforceObject, salesforceId: CREATED_RECORDS[command.itemId], mondayBoardId: command.boardId, mondayItemId: command.itemId, via: 'created_salesforce_record' as const, values: written };
      events.push(recordLinkedEvent(claimed, link, `monday:item:${command.itemId}`, now, now));
    }
    return events;
  }

  async function buildMixedLog(): Promise<void> {
    // Round 1: a linked pair edited on both sides, an own echo, a relation to an item not linked
    // yet, a new record on each side.
    await appendEvents(db.pool, [
      recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP_1, boardId: OPPS, itemId: '501', values: { stage: 'Follow-up' } }),
      mondayColumnChanged({ boardId: OPPS, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Quote'), at: 2_000 }),
      salesforceChanged({ object: 'Opportunity', id: OPP_1, fields: { Amount: 5000, NextStep: 'Call' }, at: 3_000 }),
      mondayColumnChanged({ boardId: OPPS, itemId: '501', columnId: 'stage', columnType: 'color', value: status('Quote'), at: 3_500, origin: 'own_echo' }),
      mondayColumnChanged({ boardId: OPPS, itemId: '501', columnId: 'account', columnType: 'board-relation', value: { linkedPulseIds: [{ linkedPulseId: 777 }] }, at: 4_000 }),
      // A person the user directory does not know: the owner waits in the record.
      mondayColumnChanged({ boardId: OPPS, itemId: '501', columnId: 'owner', columnType: 'multiple-person', value: { personsAndTeams: [{ id: 77, kind: 'person' }] }, at: 4_500 }),
      salesforceChanged({ object: 'Opportunity', id: OPP_2, changeType: 'CREATE', fields: { Name: 'Fresh', StageName: 'Quote', Amount: 100 }, at: 5_000 }),
    ].map(asNew));
    await appendEvents(db.pool, [mondayItemEvent('monday.item_created', '503', 5_500)]);
    await runLive(2);

    // Round 2: our create's echo reaches us before its link (two records become one), the
    // commands' outcomes, the related account is linked (the waiting relation resolves), echoes.
    await appendEvents(db.pool, [
      mondayItemEvent('monday.item_created', '602', 6_000, 'own_echo'),
      asNew(mondayColumnChanged({ boardId: OPPS, itemId: '602', columnId: 'next_step', columnType: 'text', value: { value: 'Call back' }, at: 6_100 })),
    ]);
    expect(await dispatch((claimed) => succeeded(claimed, 6_500))).toBeGreaterThanOrEqual(4);
    await appendEvents(db.pool, [
      recordLinked({ objectKey: 'account', salesforceObject: 'Account', salesforceId: ACCOUNT, boardId: ACCOUNTS, itemId: '777', at: 7_000 }),
      salesforceChanged({ object: 'Opportunity', id: OPP_1, fields: { StageName: 'Quote' }, at: 7_100, origin: 'own_echo' }),
      salesforceChanged({ object: 'Opportunity', id: OPP_3, changeType: 'CREATE', fields: { Name: 'Item 503', StageName: 'Follow-up' }, at: 7_200, origin: 'own_echo' }),
      mondayColumnChanged({ boardId: OPPS, itemId: '602', columnId: 'amount', columnType: 'numeric', value: { value: '250' }, at: 7_300 }),
      // A refresh that added users, none of them that person: the owner keeps waiting.
      userDirectoryChanged({ at: 7_400 }),
    ].map(asNew));
    await runLive(3);

    // Round 3: a delete on each side, a late edit of a deleted record, a same-instant conflict,
    // and commands that end as dead letters (the create decided for item 602 before its link).
    await dispatch((claimed) =>
      claimed.command.kind === 'salesforce.create'
        ? [commandFailedEvent(claimed, { code: 'DUPLICATE_VALUE', message: 'item 602 is linked already' }, true, new Date(8_000))]
        : succeeded(claimed, 8_000),
    );
    await appendEvents(db.pool, [
      salesforceChanged({ object: 'Opportunity', id: OPP_2, changeType: 'DELETE', fields: {}, at: 9_000 }),
      mondayColumnChanged({ boardId: OPPS, itemId: '602', columnId: 'stage', columnType: 'color', value: status('MOU'), at: 9_500 }),
      mondayColumnChanged({ boardId: OPPS, itemId: '501', columnId: 'stage', columnType: 'color', value: status('MOU'), at: 9_600 }),
      salesforceChanged({ object: 'Opportunity', id: OPP_1, fields: { StageName: 'Follow-up' }, at: 9_600 }),
    ].map(asNew));
    await appendEvents(db.pool, [mondayItemEvent('monday.item_deleted', '503', 9_700)]);
    await runLive(1);
    await dispatch((claimed) =>
      claimed.command.kind === 'monday.archive_item'
        ? [commandFailedEvent(claimed, { code: 'NOT_FOUND', message: 'item 602 not found' }, true, new Date(10_000))]
        : succeeded(claimed, 10_000),
    );
    await runLive(500);

    // Round 4: a record created in Salesforce whose relation waits for a link (its account is not
    // linked), while its item is being created; a person edits the new item before the link is
    // recorded, so the item has a record of its own, and the link joins the two (the Salesforce
    // record, waiting, is merged away). Then the commands' outcomes and later edits on both sides.
    await appendEvents(db.pool, [
      asNew(salesforceChanged({ object: 'Opportunity', id: OPP_4, changeType: 'CREATE', fields: { Name: 'Waiting', StageName: 'Quote', AccountId: ACCOUNT_NOT_LINKED }, at: 11_000 })),
    ]);
    await runLive(500);
    await appendEvents(db.pool, [
      mondayItemEvent('monday.item_created', '704', 11_500, 'own_echo'),
      asNew(mondayColumnChanged({ boardId: OPPS, itemId: '704', columnId: 'next_step', columnType: 'text', value: { value: 'Visit' }, at: 11_600 })),
    ]);
    await runLive(1);
    await dispatch((claimed) => succeeded(claimed, 12_000));
    await appendEvents(db.pool, [
      salesforceChanged({ object: 'Opportunity', id: OPP_4, fields: { Amount: 900 }, at: 12_500 }),
      mondayColumnChanged({ boardId: OPPS, itemId: '704', columnId: 'stage', columnType: 'color', value: status('MOU'), at: 12_600 }),
    ].map(asNew));
    await runLive(2);
    for (let round = 0; round < 5 && (await dispatch((claimed) => succeeded(claimed, 13_000 + round))) > 0; round++) await runLive(500);

    // Round 5: an item created on monday, read, created in Salesforce; the create's echo, its
    // outcome, the link and later edits on both sides decided in one batch (the echo's record is
    // made and merged into the item's within the batch).
    await appendEvents(db.pool, [mondayItemEvent('monday.item_created', '805', 14_000), asNew(itemSnapshot(OPPS, '805', 'Item 805', { next_step: 'Plan' }, 14_000))]);
    await runLive(500);
    await appendEvents(db.pool, [asNew(salesforceChanged({ object: 'Opportunity', id: OPP_5, changeType: 'CREATE', fields: { Name: 'Item 805', NextStep: 'Plan', StageName: 'Follow-up' }, at: 14_500, origin: 'own_echo' }))]);
    await dispatch((claimed) => succeeded(claimed, 14_600));
    await appendEvents(db.pool, [
      salesforceChanged({ object: 'Opportunity', id: OPP_5, fields: { Amount: 75 }, at: 15_000 }),
      mondayColumnChanged({ boardId: OPPS, itemId: '805', columnId: 'next_step', columnType: 'text', value: { value: 'Plan B' }, at: 15_100 }),
    ].map(asNew));
    await runLive(500);
    for (let round = 0; round < 5 && (await dispatch((claimed) => succeeded(claimed, 16_000 + round))) > 0; round++) await runLive(1);

    // Round 6: an item created on monday whose creation commits behind a later edit of it
    // (positions commit out of order, invariant 3): read first, in (transaction id, position)
    // order, though its position is higher. The record is live processing's from that event on,
    // and the create (decided at the item's snapshot) reports its outcome by that id (campaign seed 2007).
    const early = await db.pool.connect();
    try {
      await early.query('BEGIN');
      await early.query('SELECT pg_current_xact_id()');
      await appendEvents(db.pool, [asNew(mondayColumnChanged({ boardId: OPPS, itemId: '906', columnId: 'next_step', columnType: 'text', value: { value: 'Call' }, at: 17_100 }))]);
      await appendEvents(early, [mondayItemEvent('monday.item_created', '906', 17_000)]);
      await early.query('COMMIT');
    } finally {
      early.release();
    }
    const { rows: order } = await db.pool.query<{ type: string }>("SELECT type FROM events WHERE stream = 'monday:item:906' ORDER BY position");
    expect(order.map((r) => r.type)).toEqual(['monday.column_changed', 'monday.item_created']);
    await appendEvents(db.pool, [asNew(itemSnapshot(OPPS, '906', 'Item 906', { next_step: 'Call' }, 17_200))]);
    await runLive(500);
    for (let round = 0; round < 5 && (await dispatch((claimed) => succeeded(claimed, 18_000 + round))) > 0; round++) await runLive(500);
    const { rows: created } = await db.pool.query("SELECT salesforce_id FROM sync_records WHERE monday_item_id = '906'");
    expect(created).toEqual([{ salesforce_id: OPP_6 }]);
  }

  const records = async () =>
    (await db.pool.query('SELECT id, object_key, salesforce_id, monday_board_id, monday_item_id, deleted_side, deleted_at, creating, converted_at, fields, waiting, command_seq FROM sync_records ORDER BY id')).rows;
  const decisions = async () =>
    (await db.pool.query('SELECT position, record_id, event_type, outcome, reason, detail, commands FROM sync_decisions ORDER BY position, record_id, reason')).rows;
  const outbox = async () => (await db.pool.query('SELECT id, record_id, kind, status FROM outbox ORDER BY id')).rows;

  it('the log has every kind of fact: the test means something', async () => {
    const { rows } = await db.pool.query<{ type: string; origin: string }>('SELECT DISTINCT type, origin FROM events');
    const kinds = rows.map((r) => `${r.type}/${r.origin}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'system.record_linked/unknown', 'monday.column_changed/user', 'monday.column_changed/own_echo', 'salesforce.record_changed/user', 'salesforce.record_changed/own_echo',
        'monday.item_created/user', 'monday.item_created/own_echo', 'monday.item_deleted/user', 'system.command_succeeded/unknown', 'system.command_failed/unknown',
      ]),
    );
    const reasons = (await decisions()).map((d) => d.reason);
    expect(reasons).toEqual(expect.arrayContaining(['own_echo', 'command_succeeded', 'command_failed', 'reference_resolved', 'deleted_record', 'waiting_for_user', 'user_directory_changed']));
    const { rows: waiting } = await db.pool.query("SELECT waiting FROM sync_records WHERE monday_item_id = '501'");
    expect(waiting).toEqual([{ waiting: [expect.objectContaining({ fieldKey: 'owner', towards: 'salesforce', waitsFor: 'user' })] }]);
    // Two records of one pair were joined: a record id that decided events no longer exists.
    const { rows: joined } = await db.pool.query('SELECT DISTINCT record_id FROM sync_decisions WHERE record_id NOT IN (SELECT id FROM sync_records)');
    expect(joined.length).toBeGreaterThan(0);
    expect((await records()).some((r) => r.deleted_side !== null)).toBe(true);
  });

  it('a link joining a waiting Salesforce record into its item\'s record keeps the joined record: one pair, one create', async () => {
    const { rows } = await db.pool.query("SELECT salesforce_id, monday_item_id, creating, fields->'account'->>'agreed' AS account, waiting FROM sync_records WHERE salesforce_id = $1 OR monday_item_id = $2", [OPP_4, '704']);
    // The Salesforce record's state is in the pair (its account), and the relation still waits.
    expect(rows).toEqual([{ salesforce_id: OPP_4, monday_item_id: '704', creating: null, account: ACCOUNT_NOT_LINKED, waiting: [expect.objectContaining({ fieldKey: 'account', towards: 'monday' })] }]);
    // A later change in Salesforce found the pair: no second item was created for it.
    const { rows: creates } = await db.pool.query("SELECT kind FROM outbox WHERE kind IN ('monday.create_item', 'salesforce.create') AND (payload->>'salesforceId' = $1 OR payload->>'itemId' = $2)", [OPP_4, '704']);
    expect(creates).toEqual([{ kind: 'monday.create_item' }]);
  });

  it.each<[string, ReplayOptions]>([
    ['large pages, all records in memory', {}],
    ['pages of 2 events, a write every 3 events, 1 record kept in memory (records read back from the table)', { pageSize: 2, flushEvery: 3, maxCachedRecords: 1 }],
  ])('rebuilds exactly the live records, decisions and checkpoint and sends nothing (%s)', async (_name, options) => {
    const liveRecords = await records();
    const liveDecisions = await decisions();
    const liveCheckpoint = await readCheckpoint(db.pool, 'sync');
    const outboxBefore = await outbox();

    const progress: number[] = [];
    const result = await replayProjection(db.pool, db.url, mapping, ({ handled }) => progress.push(handled), options);

    const total = (await db.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n;
    expect(result).toEqual({ handled: total, total });
    expect(progress[progress.length - 1]).toBe(total);
    expect(await records()).toEqual(liveRecords);
    expect(await decisions()).toEqual(liveDecisions);
    expect(await readCheckpoint(db.pool, 'sync')).toEqual(liveCheckpoint);
    // The outbox is the only way anything reaches either CRM: replay adds nothing to it and
    // changes nothing in it.
    expect(await outbox()).toEqual(outboxBefore);
  });

  it('the live projector carries on after a replay without sending anything again', async () => {
    await runLive(500);
    expect((await db.pool.query("SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'")).rows[0].n).toBe(0);
  });
});
