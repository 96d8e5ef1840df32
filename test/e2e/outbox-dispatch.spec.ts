import type { DeadLetterAlert } from '../../src/alerts';
import { MondayError, type MondayPort } from '../../src/monday';
import { metricsRegistry } from '../../src/observability/metrics-registry';
import { OutboxDispatcher, OutboxNotifications } from '../../src/outbox';
import type { OutboxCommand } from '../../src/sync-commands/outbox-command';
import { DEMO_BOARDS } from '@crm-sync/sandbox';
import { expectEventually } from '../support/eventually';
import { insertCommands, outboxRow, updateCommand } from '../integration/outbox-support';
import { dispatcherFor, eventsOfType, startOutboxWorld, type OutboxWorld } from './outbox-support';
import { linkedItems } from '../../src/sync-projector/linked-items';
import { to18 } from '../../src/mapping/salesforce-id';

const LEADS = String(DEMO_BOARDS.leads.id);
const ACCOUNTS = String(DEMO_BOARDS.accounts.id);
const L = DEMO_BOARDS.leads.columns;

describe('outbox dispatcher against the Salesforce and monday emulators', () => {
  let world: OutboxWorld;
  let nextRecord = 1;

  beforeAll(async () => {
    world = await startOutboxWorld();
  });
  afterAll(() => world.close());
  beforeEach(() => {
    world.sf.control.clearRequests();
    world.sf.control.clearFaults();
    world.mondayEmulator.control.clearRequestLog();
    world.mondayEmulator.control.clearFaults();
  });

  const seedLeads = (n: number, prefix: string) =>
    world.sf.control.seed(Array.from({ length: n }, (_, i) => ({ type: 'Lead', fields: { LastName: `${prefix} ${i}`, Company: `${prefix} Co ${i}` } })));
  const newItem = (name: string, columnValues: Record<string, unknown> = {}) =>
    world.mondayEmulator.control.createItem({ boardId: DEMO_BOARDS.leads.id, name, columnValues });
  const leadCreate = (itemId: number, fields: Record<string, string>, match: Record<string, string>): OutboxCommand => ({
    kind: 'salesforce.create',
    target: 'salesforce',
    objectKey: 'lead',
    salesforceObject: 'Lead',
    boardId: LEADS,
    itemId: String(itemId),
    salesforceIdColumn: L.salesforceId,
    fields,
    match,
  });
  const runUntilSettled = async (ids: number[], options: Parameters<typeof dispatcherFor>[1] = {}, extra: Parameters<typeof dispatcherFor>[2] = {}) => {
    const dispatcher = dispatcherFor(world, options, extra);
    dispatcher.start();
    try {
      await expectEventually(async () => {
        for (const id of ids) expect(['done', 'dead']).toContain((await outboxRow(world.db.pool, id)).status);
      });
    } finally {
      await dispatcher.stop();
    }
  };

  it('sends 250 Lead updates as two sObject Collections requests and records each success', async () => {
    const leadIds = seedLeads(250, 'Batch');
    const ids = await insertCommands(
      world.db.pool,
      leadIds.map((id, i) => ({ recordId: nextRecord++, command: updateCommand(id, { Title: `Director ${i}` }) })),
    );
    world.sf.control.clearRequests();
    const claimed = await dispatcherFor(world).dispatchOnce();

    expect(claimed).toBe(250);
    const writes = world.sf.control.requests().filter((r) => r.path.includes('/composite/sobjects'));
    expect(writes.map((r) => r.method)).toEqual(['PATCH', 'PATCH']);
    expect(world.sf.control.getRecord(leadIds[249])?.Title).toBe('Director 249');
    for (const id of [ids[0], ids[249]]) expect((await outboxRow(world.db.pool, id)).status).toBe('done');
    const succeeded = (await eventsOfType(world, 'system.command_succeeded')).filter((e) => ids.includes(Number(e.payload.commandId)));
    expect(succeeded).toHaveLength(250);
    expect(succeeded[0].source_event_id).toBe(`command:${ids[0]}:1`);
    const metric = await metricsRegistry.getSingleMetric('crm_sync_outbox_commands_succeeded_total')?.get();
    expect(metric?.values.find((v) => v.labels.kind === 'salesforce.update')?.value).toBeGreaterThanOrEqual(250);
  });

  it('wakes on an outbox insert instead of waiting for its poll', async () => {
    const [leadId] = seedLeads(1, 'Woken');
    const wake = new OutboxNotifications(world.db.url);
    await wake.start();
    const dispatcher = new OutboxDispatcher(
      { pool: world.db.pool, salesforce: world.salesforce, monday: world.monday, logger: world.logger, linkedItems: (itemIds) => linkedItems(world.db.pool, itemIds), wake },
      { pollIntervalMs: 600_000 },
    );
    dispatcher.start();
    try {
      await dispatcher.idle();
      const [id] = await insertCommands(world.db.pool, [{ recordId: nextRecord++, command: updateCommand(leadId, { Title: 'Woken' }) }]);
      await expectEventually(async () => expect((await outboxRow(world.db.pool, id)).status).toBe('done'));
    } finally {
      await dispatcher.stop();
      await wake.stop();
    }
  });

  it('sends monday writes of one board as one aliased request', async () => {
    const items = [1, 2, 3, 4, 5].map((n) => newItem(`Aliased ${n}`));
    const ids = await insertCommands(
      world.db.pool,
      items.map((item, n) => ({
        recordId: nextRecord++,
        command: { kind: 'monday.change_columns', target: 'monday', objectKey: 'lead', boardId: LEADS, itemId: String(item.id), columnValues: { [L.city]: `City ${n}` }, createLabelsIfMissing: false, name: `Renamed ${n}` },
      })),
    );
    world.mondayEmulator.control.clearRequestLog();
    await dispatcherFor(world).dispatchOnce();

    const mutations = world.mondayEmulator.control.requestLog().filter((r) => r.operationType === 'mutation');
    expect(mutations).toHaveLength(1);
    expect(mutations[0].fields.filter((f) => f === 'change_multiple_column_values')).toHaveLength(5);
    const stored = world.mondayEmulator.control.getItem(items[4].id);
    expect(stored?.name).toBe('Renamed 4');
    for (const id of ids) expect((await outboxRow(world.db.pool, id)).status).toBe('done');
  });

  it.each([
    [{ kind: 'unable_to_lock_row' as const }, 'ROW_LOCKED'],
    [{ kind: 'http_error' as const, status: 500 }, 'TRANSIENT'],
    [{ kind: 'http_error' as const, status: 503 }, 'TRANSIENT'],
    [{ kind: 'request_limit_exceeded' as const }, 'RATE_LIMITED'],
  ])('retries after an injected %j (%s), then succeeds', async (fault, code) => {
    const [leadId] = seedLeads(1, 'Faulty');
    world.sf.control.injectFault({ ...fault, pathContains: '/composite/sobjects' });
    const [id] = await insertCommands(world.db.pool, [{ recordId: nextRecord++, command: updateCommand(leadId, { Title: 'Survivor' }) }]);
    await runUntilSettled([id]);

    expect(await outboxRow(world.db.pool, id)).toMatchObject({ status: 'done', attempts: 2, last_error: null });
    expect(world.sf.control.getRecord(leadId)?.Title).toBe('Survivor');
    const failures = (await eventsOfType(world, 'system.command_failed')).filter((e) => Number(e.payload.commandId) === id);
    expect(failures.map((f) => f.payload)).toEqual([expect.objectContaining({ error: expect.objectContaining({ code }), deadLettered: false, attempts: 1 })]);
  });

  it('retries a monday 500 and then writes', async () => {
    const item = newItem('Monday fault');
    world.mondayEmulator.control.addFault({ kind: 'http_500', count: 1 });
    const [id] = await insertCommands(world.db.pool, [
      { recordId: nextRecord++, command: { kind: 'monday.change_columns', target: 'monday', objectKey: 'lead', boardId: LEADS, itemId: String(item.id), columnValues: { [L.city]: 'Lyon' }, createLabelsIfMissing: false } },
    ]);
    await runUntilSettled([id]);
    expect((await outboxRow(world.db.pool, id)).status).toBe('done');
    const values = world.mondayEmulator.control.getItem(item.id)?.values;
    expect(JSON.stringify(values?.[L.city])).toContain('Lyon');
  });

  it('dead-letters a VALIDATION failure with the CRM message and a hint naming the field and value', async () => {
    const [leadId] = seedLeads(1, 'Invalid');
    const [id] = await insertCommands(world.db.pool, [{ recordId: nextRecord++, command: updateCommand(leadId, { Status: 'Platinum' }) }]);
    const alerted: DeadLetterAlert[] = [];
    await runUntilSettled([id], {}, { alerts: { deadLettered: (a) => void alerted.push(a) } });
    expect(alerted).toEqual([expect.objectContaining({ commandId: id, record: `Salesforce Lead ${leadId}`, error: expect.objectContaining({ code: 'VALIDATION' }) })]);
    expect(alerted[0].hint).toContain("'Platinum'");
    const row = await outboxRow(world.db.pool, id);
    expect(row.status).toBe('dead');
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatchObject({ code: 'VALIDATION', field: 'Status', value: 'Platinum' });
    expect(String(row.last_error?.hint)).toContain("does not accept 'Platinum'");
    const [failed] = (await eventsOfType(world, 'system.command_failed')).filter((e) => Number(e.payload.commandId) === id);
    expect(failed.payload).toMatchObject({ deadLettered: true, attempts: 1 });
  });

  it('creates one Salesforce record when the create response was lost after Salesforce committed it', async () => {
    const item = newItem('Lost Response Ltd');
    const email = 'lost.response@example.org';
    world.sf.control.injectFault({ kind: 'commit_then_drop', pathContains: '/composite/sobjects', method: 'POST' });
    const [id] = await insertCommands(world.db.pool, [
      { recordId: nextRecord++, command: leadCreate(item.id, { LastName: 'Lost', Company: 'Lost Response Ltd', Email: email }, { Email: email }) },
    ]);
    await runUntilSettled([id]);

    const leads = world.sf.control.records('Lead').filter((r) => r.Email === email);
    expect(leads).toHaveLength(1);
    const row = await outboxRow(world.db.pool, id);
    expect(row.status).toBe('done');
    expect(row.attempts).toBe(2);
    const written = world.mondayEmulator.control.getItem(item.id)?.values ?? {};
    expect(JSON.stringify(written[L.salesforceId])).toContain(String(leads[0].Id));
    const [linked] = (await eventsOfType(world, 'system.record_linked')).filter((e) => e.payload.mondayItemId === String(item.id));
    expect(linked.payload).toMatchObject({ salesforceId: leads[0].Id, via: 'matched_existing', objectKey: 'lead' });
  });

  it('creates one record for an object without match rules when the response was lost (found as created by us)', async () => {
    const item = world.mondayEmulator.control.createItem({ boardId: DEMO_BOARDS.accounts.id, name: 'No Rules Foundation' });
    world.sf.control.injectFault({ kind: 'commit_then_drop', pathContains: '/composite/sobjects', method: 'POST' });
    const command: OutboxCommand = {
      kind: 'salesforce.create', target: 'salesforce', objectKey: 'account', salesforceObject: 'Account', boardId: ACCOUNTS, itemId: String(item.id),
      salesforceIdColumn: DEMO_BOARDS.accounts.columns.salesforceId, fields: { Name: 'No Rules Foundation', Phone: '+1 555 0100' }, match: {},
    };
    const [id] = await insertCommands(world.db.pool, [{ recordId: nextRecord++, command }]);
    await runUntilSettled([id]);
    expect(world.sf.control.records('Account').filter((r) => r.Name === 'No Rules Foundation')).toHaveLength(1);
    expect((await outboxRow(world.db.pool, id)).status).toBe('done');
  });

  it('dead-letters a create whose match fields find two Leads, naming both, and creates nothing', async () => {
    const email = 'twice@example.org';
    const existing = world.sf.control.seed([
      { type: 'Lead', fields: { LastName: 'One', Company: 'Twice', Email: email } },
      { type: 'Lead', fields: { LastName: 'Two', Company: 'Twice', Email: email } },
    ]);
    const item = newItem('Twice');
    const [id] = await insertCommands(world.db.pool, [{ recordId: nextRecord++, command: leadCreate(item.id, { LastName: 'Three', Company: 'Twice', Email: email }, { Email: email }) }]);
    await runUntilSettled([id]);
    const row = await outboxRow(world.db.pool, id);
    expect(row.status).toBe('dead');
    expect(row.last_error?.code).toBe('AMBIGUOUS_MATCH');
    expect(String(row.last_error?.message)).toMatch(/^ambiguous match: /);
    for (const leadId of existing) expect(String(row.last_error?.message)).toContain(leadId);
    expect(world.sf.control.records('Lead').filter((r) => r.Email === email)).toHaveLength(2);
  });

  it('links an existing Lead found by its match fields instead of creating, and writes its Id back', async () => {
    const [leadId] = world.sf.control.seed([{ type: 'Lead', fields: { LastName: 'Known', Company: 'Known Co', Email: 'known@example.org' } }]);
    const item = newItem('Known Co');
    const [id] = await insertCommands(world.db.pool, [
      { recordId: nextRecord++, command: leadCreate(item.id, { LastName: 'Known', Company: 'Known Co', Email: 'KNOWN@example.org', Title: 'CEO' }, { Email: 'KNOWN@example.org' }) },
    ]);
    await runUntilSettled([id]);
    expect(world.sf.control.records('Lead').filter((r) => String(r.Email).toLowerCase() === 'known@example.org')).toHaveLength(1);
    expect(world.sf.control.getRecord(leadId)?.Title).toBe('CEO');
    const written = world.mondayEmulator.control.getItem(item.id)?.values ?? {};
    expect(JSON.stringify(written[L.salesforceId])).toContain(leadId);
  });

  it("links a create whose item's Salesforce Id column names a merged-away Lead to the master instead of creating (issue 20)", async () => {
    const [masterId, loserId] = seedLeads(2, 'Merged away');
    await world.salesforce.merge({ object: 'Lead', masterId, mergeIds: [loserId] });
    const item = newItem('Merged away item', { [L.salesforceId]: loserId });
    const [id] = await insertCommands(world.db.pool, [{ recordId: nextRecord++, command: leadCreate(item.id, { LastName: 'Merged away item', Company: 'Merged Co' }, {}) }]);
    await runUntilSettled([id]);

    expect(await outboxRow(world.db.pool, id)).toMatchObject({ status: 'done' });
    expect(world.sf.control.records('Lead').filter((r) => r.LastName === 'Merged away item')).toEqual([]);
    const [linked] = (await eventsOfType(world, 'system.record_linked')).filter((e) => e.payload.mondayItemId === String(item.id));
    expect(linked.payload).toMatchObject({ salesforceId: masterId, via: 'salesforce_id_column' });
    expect(linked.payload).not.toHaveProperty('salesforceRecordDeletedAt');
  });

  it("creates the record again when the item's Salesforce Id column names a record neither live nor in the recycle bin (issue 20; reconcile's salesforce_id_not_found fix)", async () => {
    const gone = to18('00QHs0000009999');
    const item = newItem('Purged record item', { [L.salesforceId]: gone });
    const [id] = await insertCommands(world.db.pool, [{ recordId: nextRecord++, command: leadCreate(item.id, { LastName: 'Purged record item', Company: 'Purged Co' }, {}) }]);
    await runUntilSettled([id]);

    expect(await outboxRow(world.db.pool, id)).toMatchObject({ status: 'done' });
    const created = world.sf.control.records('Lead', { includeDeleted: true }).filter((r) => r.LastName === 'Purged record item');
    expect(created).toHaveLength(1);
    expect(created[0].Id).not.toBe(gone);
  });

  it('creates one monday item when the create response was lost, and links it', async () => {
    const [leadId] = world.sf.control.seed([{ type: 'Lead', fields: { LastName: 'Echo', Company: 'Lost Item Co' } }]);
    let lose = true;
    const losing: MondayPort = Object.create(world.monday) as MondayPort;
    losing.applyMutations = async (boardId, mutations) => {
      const outcomes = await world.monday.applyMutations(boardId, mutations);
      if (lose && mutations.some((m) => m.kind === 'create_item')) {
        lose = false;
        throw new MondayError('TRANSIENT', 'socket hang up (the response was lost after monday created the item)');
      }
      return outcomes;
    };
    const [id] = await insertCommands(world.db.pool, [
      {
        recordId: nextRecord++,
        command: {
          kind: 'monday.create_item', target: 'monday', objectKey: 'lead', boardId: LEADS, groupId: null, salesforceObject: 'Lead', salesforceId: leadId,
          name: 'Lost Item Co', columnValues: { [L.lastName]: 'Echo' }, createLabelsIfMissing: false, salesforceIdColumn: L.salesforceId,
        },
      },
    ]);
    await runUntilSettled([id], {}, { monday: losing });

    const items = world.mondayEmulator.control.listItems(DEMO_BOARDS.leads.id).filter((i) => i.name === 'Lost Item Co');
    expect(items).toHaveLength(1);
    const row = await outboxRow(world.db.pool, id);
    expect(row).toMatchObject({ status: 'done', attempts: 2 });
    const [linked] = (await eventsOfType(world, 'system.record_linked')).filter((e) => e.payload.salesforceId === leadId);
    expect(linked.payload).toMatchObject({ mondayItemId: String(items[0].id), via: 'salesforce_id_column' });
  });

  it('reads a new item and appends it as a monday.item_snapshot', async () => {
    const item = newItem('Snapshot Me', { [L.city]: 'Oslo' });
    const [id] = await insertCommands(world.db.pool, [
      { recordId: nextRecord++, command: { kind: 'monday.refresh_item', target: 'monday', objectKey: 'lead', boardId: LEADS, itemId: String(item.id) } },
    ]);
    await dispatcherFor(world).dispatchOnce();
    expect((await outboxRow(world.db.pool, id)).status).toBe('done');
    const [snapshot] = (await eventsOfType(world, 'monday.item_snapshot')).filter((e) => e.payload.itemId === String(item.id));
    expect(snapshot.payload).toMatchObject({ name: 'Snapshot Me', reason: 'created', boardId: LEADS });
    expect(JSON.stringify(snapshot.payload.columnValues)).toContain('Oslo');
  });

  it('converts a Lead and appends snapshots of the Account, Contact and Opportunity with lead_converted', async () => {
    const [leadId] = world.sf.control.seed([{ type: 'Lead', fields: { LastName: 'Convert', Company: 'Convert Co' } }]);
    const [id] = await insertCommands(world.db.pool, [
      { recordId: nextRecord++, command: { kind: 'salesforce.convert_lead', target: 'salesforce', objectKey: 'lead', leadId, itemId: '42' } },
    ]);
    await dispatcherFor(world).dispatchOnce();
    expect((await outboxRow(world.db.pool, id)).status).toBe('done');
    const [converted] = (await eventsOfType(world, 'system.lead_converted')).filter((e) => e.payload.leadId === leadId);
    expect(converted.payload).toMatchObject({ objectKey: 'lead', mondayItemId: '42' });
    const snapshots = (await eventsOfType(world, 'salesforce.record_snapshot')).filter((e) => e.payload.reason === 'lead_conversion');
    expect(snapshots.map((s) => s.payload.object).sort()).toEqual(['Account', 'Contact', 'Opportunity']);
  });

  it('an update refused because a person converted the Lead is an outcome, not a dead letter: the conversion comes back as snapshots (issue #20)', async () => {
    const [leadId] = world.sf.control.seed([{ type: 'Lead', fields: { LastName: 'Human', Company: 'Human Convert Co' } }]);
    // A person converts the Lead in Salesforce; crm-sync has not seen it yet.
    await world.salesforce.convertLead({ leadId, convertedStatus: 'Closed - Converted' });
    // The emulator refuses a write to the converted Lead as the real API does.
    const [refused] = await world.salesforce.updateMany('Lead', [{ Id: leadId, Title: 'Direct' }]);
    expect(refused).toMatchObject({ ok: false, error: expect.objectContaining({ sfCode: 'CANNOT_UPDATE_CONVERTED_LEAD' }) });

    const [id] = await insertCommands(world.db.pool, [{ recordId: nextRecord++, command: updateCommand(leadId, { Title: 'Director' }) }]);
    await dispatcherFor(world).dispatchOnce();

    const row = await outboxRow(world.db.pool, id);
    expect(row.status).toBe('done');
    expect((await eventsOfType(world, 'system.command_failed')).filter((e) => Number(e.payload.commandId) === id)).toEqual([]);
    const snapshots = (await eventsOfType(world, 'salesforce.record_snapshot')).filter((e) => String(e.source_event_id).startsWith(`command:${id}:`));
    const lead = snapshots.find((e) => e.payload.object === 'Lead');
    expect(lead?.payload.record).toMatchObject({ IsConverted: true });
    expect(snapshots.filter((e) => e.payload.reason === 'lead_conversion').map((e) => e.payload.object).sort()).toEqual(['Account', 'Contact', 'Opportunity']);
    expect(world.sf.control.getRecord(leadId)?.Title).not.toBe('Director');
  });
});
