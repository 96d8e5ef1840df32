import pino from 'pino';
import { loadConfig } from '../../src/config';
import { SalesforceCdcIngest } from '../../src/ingest/salesforce/salesforce-cdc.ingest';
import { createChangeEventStream, createSalesforceClient, type JsforceSalesforceClient } from '../../src/salesforce';
import { startSalesforceEmulator, type SalesforceEmulator } from '@crm-sync/sandbox';
import { expectEventually } from '../support/eventually';
import { salesforceOnlyEnv } from '../support/salesforce-emulator-env';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const silent = pino({ level: 'silent' });

describe('Salesforce CDC ingest into the event store (issue 4)', () => {
  let emulator: SalesforceEmulator;
  let db: TestDatabase;
  let client: JsforceSalesforceClient;
  const ingests: SalesforceCdcIngest[] = [];

  beforeEach(async () => {
    emulator = await startSalesforceEmulator({ cometd: { holdMs: 200 } });
    db = await createTestDatabase();
    const config = loadConfig({}, salesforceOnlyEnv(emulator));
    client = await createSalesforceClient(config.salesforce);
  });
  afterEach(async () => {
    for (const ingest of ingests.splice(0)) await ingest.stop();
    await db.drop();
    await emulator.close();
  });

  function startIngest(objects = ['Lead']): SalesforceCdcIngest {
    const ingest = new SalesforceCdcIngest(db.pool, db.url, createChangeEventStream(client), objects, 'crm-sync', silent, { takeoverIntervalMs: 100 });
    ingests.push(ingest);
    return ingest;
  }

  const subscribed = (ingest: SalesforceCdcIngest) =>
    expectEventually(() => expect(ingest.states().map((s) => s.status)).toEqual(ingest.channels.map(() => 'subscribed')));

  const events = async (type = 'salesforce.record_changed') =>
    (await db.pool.query('SELECT source_event_id, stream, origin, payload FROM events WHERE type = $1 ORDER BY position', [type])).rows;

  it('human creates, updates, deletes and undeletes arrive as typed events with fields, changed fields and origin user', async () => {
    const ingest = startIngest();
    await ingest.start();
    await subscribed(ingest);
    const { id } = emulator.control.createAsHuman('Lead', { LastName: 'Okafor', Company: 'Riverside Trust', Status: 'Open - Not Contacted' }) as { id: string };
    emulator.control.updateAsHuman('Lead', id, { Status: 'Working - Contacted', Title: null });
    emulator.control.deleteAsHuman('Lead', id);
    emulator.control.undeleteAsHuman(id);

    await expectEventually(async () => expect(await events()).toHaveLength(4));
    const rows = await events();
    expect(rows.map((r) => r.payload.changeType)).toEqual(['CREATE', 'UPDATE', 'DELETE', 'UNDELETE']);
    expect(rows.every((r) => r.origin === 'user' && r.stream === `salesforce:Lead:${id}`)).toBe(true);
    expect(rows[0].payload.fields).toMatchObject({ LastName: 'Okafor', Company: 'Riverside Trust' });
    expect(rows[1].payload.changedFields).toEqual(expect.arrayContaining(['Status']));
    expect(rows[1].payload.fields).toMatchObject({ Status: 'Working - Contacted' });
    const { rows: position } = await db.pool.query('SELECT replay_id FROM cdc_positions WHERE channel = $1', ['/data/LeadChangeEvent']);
    expect(Number(position[0].replay_id)).toBe(rows[3].payload.replayId);
  });

  it('our own writes through the client arrive tagged own_echo', async () => {
    const ingest = startIngest();
    await ingest.start();
    await subscribed(ingest);
    await client.create('Lead', { LastName: 'Echo', Company: 'Ours Inc' });
    await expectEventually(async () => expect(await events()).toHaveLength(1));
    expect((await events())[0].origin).toBe('own_echo');
  });

  it('a restart resumes from the stored replay id: 50 changes made while down arrive exactly once', async () => {
    const first = startIngest();
    await first.start();
    await subscribed(first);
    const { id } = emulator.control.createAsHuman('Lead', { LastName: 'Resume', Company: 'R' }) as { id: string };
    await expectEventually(async () => expect(await events()).toHaveLength(1));
    await first.stop();

    for (let i = 0; i < 50; i++) emulator.control.updateAsHuman('Lead', id, { Title: `Title ${i}` });
    const second = startIngest();
    await second.start();
    await expectEventually(async () => expect(await events()).toHaveLength(51), { timeoutMs: 15_000 });
    const titles = (await events()).slice(1).map((r) => r.payload.fields.Title);
    expect(titles).toEqual(Array.from({ length: 50 }, (_, i) => `Title ${i}`));
  });

  it('a replay id that expired while down records a gap, resubscribes, and requests a catch-up', async () => {
    const first = startIngest();
    await first.start();
    await subscribed(first);
    emulator.control.createAsHuman('Lead', { LastName: 'Before', Company: 'B' });
    await expectEventually(async () => expect(await events()).toHaveLength(1));
    await first.stop();

    emulator.control.createAsHuman('Lead', { LastName: 'Lost', Company: 'L' });
    emulator.control.advanceClock(73 * 3600_000); // past the 72-hour retention
    emulator.control.createAsHuman('Lead', { LastName: 'Also lost', Company: 'L' });
    const second = startIngest();
    await second.start();

    await expectEventually(async () => expect(await events('salesforce.change_gap')).toHaveLength(1), { timeoutMs: 15_000 });
    const [gap] = await events('salesforce.change_gap');
    expect(gap.payload).toMatchObject({ objects: ['Lead'], reason: 'replay_id_expired', channel: '/data/LeadChangeEvent' });
    const [request] = await events('system.catch_up_requested');
    expect(request.payload).toMatchObject({ objects: ['Lead'], reason: 'replay_id_expired', sinceModstamp: expect.any(String) });
    await subscribed(second);
    emulator.control.createAsHuman('Lead', { LastName: 'After', Company: 'A' });
    await expectEventually(async () => expect((await events()).map((r) => r.payload.fields.LastName)).toContain('After'));
  });

  it('an instance that subscribed from the tip and stored no event before it died: the next subscription requests a catch-up since then', async () => {
    const first = startIngest();
    await first.start();
    await subscribed(first);
    // The very first subscription from -1 is the contract (the backfill covers the past): no catch-up.
    expect(await events('system.catch_up_requested')).toEqual([]);
    await first.stop();

    const { id } = emulator.control.createAsHuman('Lead', { LastName: 'Unseen', Company: 'Between Instances' }) as { id: string };
    const second = startIngest();
    await second.start();
    await subscribed(second);

    const requests = await events('system.catch_up_requested');
    expect(requests).toHaveLength(1);
    expect(requests[0].payload).toMatchObject({ objects: ['Lead'], recordIds: [], reason: 'resubscribed_from_tip' });
    const modstamp = Date.parse(String(emulator.control.getRecord(id)?.SystemModstamp));
    expect(Date.parse(requests[0].payload.sinceModstamp)).toBeLessThanOrEqual(modstamp);
    // Once an event is stored the channel has a real position: a restart resumes from it, no catch-up.
    emulator.control.createAsHuman('Lead', { LastName: 'Seen', Company: 'S' });
    await expectEventually(async () => expect(await events()).toHaveLength(1));
    await second.stop();
    const third = startIngest();
    await third.start();
    await subscribed(third);
    expect(await events('system.catch_up_requested')).toHaveLength(1);
  });

  it('a channel with no event yet whose client is dropped (re-handshake from -1) requests a catch-up since its subscription; one with events does not', async () => {
    const ingest = startIngest(['Lead', 'Account']);
    await ingest.start();
    await subscribed(ingest);
    emulator.control.createAsHuman('Account', { Name: 'Has Events' });
    await expectEventually(async () => expect(await events()).toHaveLength(1));
    emulator.control.dropCometdClients();

    await expectEventually(async () => expect(await events('system.catch_up_requested')).toHaveLength(1), { timeoutMs: 15_000 });
    await subscribed(ingest);
    const [request] = await events('system.catch_up_requested');
    expect(request.payload).toMatchObject({ objects: ['Lead'], recordIds: [], reason: 'resubscribed_from_tip' });
    const { rows } = await db.pool.query('SELECT last_commit_at FROM cdc_positions WHERE channel = $1', ['/data/LeadChangeEvent']);
    expect(Date.parse(request.payload.sinceModstamp)).toBeLessThan(new Date(rows[0].last_commit_at).getTime());
  });

  it('two instances: only one subscribes, and the other takes over when it stops', async () => {
    const a = startIngest();
    const b = startIngest();
    await a.start();
    await b.start();
    await subscribed(a);
    expect(b.isLeader()).toBe(false);
    expect(b.states()).toEqual([]);
    await a.stop();
    await expectEventually(() => expect(b.isLeader()).toBe(true));
    await subscribed(b);
    emulator.control.createAsHuman('Lead', { LastName: 'Takeover', Company: 'T' });
    await expectEventually(async () => expect(await events()).toHaveLength(1));
  });

  it('every client dropped, then the leader loses its lock and the new leader\'s subscribes are answered Unknown client: every channel is subscribed again and delivers', async () => {
    // Fault campaign seed 123: a Postgres restart ended the leader's lock connection while Salesforce
    // was dropping CometD clients; the instance that took over never subscribed two of its channels.
    const objects = ['Lead', 'Contact', 'Opportunity', 'Account'];
    const a = startIngest(objects);
    const b = startIngest(objects);
    await a.start();
    await b.start();
    await subscribed(a);
    emulator.control.dropCometdClients();
    await expectEventually(() => expect(a.states().every((s) => s.reconnects > 0)).toBe(true));
    await subscribed(a);

    const lockHolder = async () =>
      (await db.pool.query<{ pid: number }>("SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()")).rows[0]?.pid;
    const lost = await lockHolder();
    emulator.control.dropCometdClientsAtSubscribe(objects.length);
    await db.pool.query('SELECT pg_terminate_backend($1)', [lost]);
    await expectEventually(async () => expect([undefined, lost]).not.toContain(await lockHolder()));
    await expectEventually(() => expect([a, b].filter((i) => i.isLeader())).toHaveLength(1));
    const leader = a.isLeader() ? a : b;
    await subscribed(leader);
    expect(leader.states()).toHaveLength(objects.length);
    emulator.control.createAsHuman('Lead', { LastName: 'After', Company: 'Lead Co' });
    emulator.control.createAsHuman('Contact', { LastName: 'After' });
    emulator.control.createAsHuman('Opportunity', { Name: 'After', StageName: 'Prospecting', CloseDate: '2027-01-31' });
    emulator.control.createAsHuman('Account', { Name: 'After' });
    await expectEventually(async () => expect((await events()).map((e) => String(e.stream).split(':')[1]).sort()).toEqual([...objects].sort()));
  });
});
