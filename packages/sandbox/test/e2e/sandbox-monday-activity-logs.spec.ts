/**
 * Board `activity_logs` in the monday emulator (2026-10 SDL): who created and deleted which item and
 * when (17-digit created_at), newest first, filtered by time, user and item, paged; ingest_items logs
 * its creates, backfill_items does not (addendum 1.9); items(ids) still reads a deleted item.
 */
import { ClientError, GraphQLClient } from 'graphql-request';
import { ScaledClock } from '../../src/clock';
import type { MondayEmulator } from '../../src/monday';
import { DEMO_BOARDS, startMondayEmulator } from '../../src/monday';
import { DOCS } from './sandbox-monday-support';

const LEADS = DEMO_BOARDS.leads;
const BOARD = String(LEADS.id);

interface Log {
  id: string;
  event: string;
  entity: string;
  user_id: string;
  account_id: string;
  created_at: string;
  data: string;
}

describe('monday emulator board activity_logs', () => {
  let em: MondayEmulator;
  let clock: ScaledClock;
  let client: GraphQLClient;
  let me: string;

  const logs = async (args: Record<string, unknown> = {}): Promise<Log[]> =>
    (await client.request<{ boards: Array<{ activity_logs: Log[] }> }>(DOCS.activityLogs, { ids: [BOARD], ...args })).boards[0]?.activity_logs ?? [];
  const create = async (name: string): Promise<string> =>
    (await client.request<{ create_item: { id: string } }>(DOCS.createItem, { board: BOARD, name, cv: JSON.stringify({ [LEADS.columns.salesforceId]: '00Q000000000001AAA' }) })).create_item.id;

  beforeEach(async () => {
    clock = new ScaledClock(1, Date.parse('2026-12-07T10:00:00Z'));
    em = await startMondayEmulator({ seed: 'demo', clock, integrationUserIsAdmin: true });
    client = new GraphQLClient(em.url, { headers: { Authorization: em.apiToken, 'API-Version': '2026-10' } });
    me = (await client.request<{ me: { id: string } }>(DOCS.me)).me.id;
  });
  afterEach(async () => {
    await em.close();
  });

  it('logs create_pulse by the token user and delete_pulse by the person who deleted, newest first, with a 17-digit created_at', async () => {
    expect(await logs()).toEqual([]); // seeded items are not board activity
    const before = clock.now();
    const itemId = await create('Logged Lead');
    const human = em.control.humanUsers()[1].id;
    em.control.deleteItem({ itemId: Number(itemId), asUserId: human });
    const after = clock.now();

    const [deleted, created] = await logs();
    expect(created).toMatchObject({ event: 'create_pulse', entity: 'pulse', user_id: me, account_id: expect.stringMatching(/^\d+$/) });
    expect(JSON.parse(created.data)).toMatchObject({ board_id: LEADS.id, group_id: expect.any(String), pulse_id: Number(itemId), pulse_name: 'Logged Lead' });
    expect(deleted).toMatchObject({ event: 'delete_pulse', entity: 'pulse', user_id: String(human) });
    expect(JSON.parse(deleted.data)).toMatchObject({ pulse_id: Number(itemId), pulse_name: 'Logged Lead' });
    for (const entry of [created, deleted]) {
      expect(entry.created_at).toMatch(/^\d{17}$/);
      const ms = Number(entry.created_at) / 10_000;
      expect(ms).toBeGreaterThanOrEqual(before);
      expect(ms).toBeLessThanOrEqual(after + 1);
    }
    expect(Number(deleted.created_at)).toBeGreaterThan(Number(created.created_at));
    expect(created.id).not.toBe(deleted.id);

    // items(ids) still reads the deleted item, its state and its column values.
    const read = await client.request<{ items: Array<{ id: string; state: string; column_values: Array<{ id: string; text: string | null }> }> }>(
      'query ($ids: [ID!], $columns: [String!]) { items(ids: $ids) { id state column_values(ids: $columns) { id text } } }',
      { ids: [itemId], columns: [LEADS.columns.salesforceId] },
    );
    expect(read.items).toEqual([{ id: itemId, state: 'deleted', column_values: [{ id: LEADS.columns.salesforceId, text: '00Q000000000001AAA' }] }]);
  });

  it('filters by from/to, user and item, and pages with limit and page', async () => {
    const first = await create('First');
    clock.advance(60 * 60_000);
    const middle = clock.now();
    const second = await create('Second');
    const third = await create('Third');
    em.control.deleteItem({ itemId: Number(second) });

    const since = await logs({ from: new Date(middle).toISOString() });
    expect(since.map((l) => [l.event, JSON.parse(l.data).pulse_id])).toEqual([
      ['delete_pulse', Number(second)],
      ['create_pulse', Number(third)],
      ['create_pulse', Number(second)],
    ]);
    const until = await logs({ to: new Date(middle - 1).toISOString() });
    expect(until.map((l) => JSON.parse(l.data).pulse_id)).toEqual([Number(first)]);
    expect((await logs({ users: [me] })).map((l) => l.event)).toEqual(['create_pulse', 'create_pulse', 'create_pulse']);
    expect((await logs({ items: [second] })).map((l) => l.event)).toEqual(['delete_pulse', 'create_pulse']);
    const page1 = await logs({ limit: 2, page: 1 });
    const page2 = await logs({ limit: 2, page: 2 });
    const page3 = await logs({ limit: 2, page: 3 });
    expect([...page1, ...page2].map((l) => l.id)).toEqual((await logs()).map((l) => l.id));
    expect(page3).toEqual([]);
  });

  it('gives at most 100 entries a page, whatever the limit asked', async () => {
    const itemId = await create('Busy');
    for (let i = 0; i < 110; i++) em.control.changeColumnValues({ itemId: Number(itemId), columnValues: { [LEADS.columns.salesforceId]: `00Q0000000000${String(i).padStart(2, '0')}` } });
    expect(await logs({ limit: 500 })).toHaveLength(100);
    expect(await logs({ limit: 500, page: 2 })).toHaveLength(11);
  });

  it('refuses a from that is not an ISO8601 date-time', async () => {
    const error = (await logs({ from: 'yesterday' }).catch((e: unknown) => e)) as ClientError;
    expect(error).toBeInstanceOf(ClientError);
  });

  it('ingest_items logs the items it creates; backfill_items does not', async () => {
    const put = (url: string, csv: string): Promise<Response> => fetch(url, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: csv });
    const status = (jobId: string): Promise<unknown> =>
      client.request('query ($j: ID!) { fetch_job_status(job_id: $j) { ... on ItemsJobStatus { status } } }', { j: jobId });
    const ingest = await client.request<{ ingest_items: { job_id: string; upload_url: string } }>(
      'mutation ($b: ID!, $g: ID!) { ingest_items(board_id: $b, group_id: $g) { job_id upload_url } }',
      { b: BOARD, g: LEADS.groups.newLeads },
    );
    await put(ingest.ingest_items.upload_url, 'name\nIngested');
    const backfill = await client.request<{ backfill_items: { job_id: string; upload_url: string } }>(
      'mutation ($b: ID!, $g: ID!) { backfill_items(board_id: $b, group_id: $g) { job_id upload_url } }',
      { b: BOARD, g: LEADS.groups.newLeads },
    );
    await put(backfill.backfill_items.upload_url, 'name\nBackfilled');
    clock.advance(60_000);
    await status(ingest.ingest_items.job_id); // jobs run their rows when looked at
    await status(backfill.backfill_items.job_id);
    expect(em.control.listItems(LEADS.id).map((i) => i.name)).toEqual(expect.arrayContaining(['Ingested', 'Backfilled']));
    expect((await logs()).map((l) => [l.event, l.user_id, JSON.parse(l.data).pulse_name])).toEqual([['create_pulse', me, 'Ingested']]);
  });
});
