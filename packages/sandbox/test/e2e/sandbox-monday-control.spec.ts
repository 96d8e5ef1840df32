/**
 * The control API under /__sandbox/ and in-process (issue 3): human edits, seeding, snapshot/restore,
 * request log, faults, clock, webhook switches, persistence; plus board structure mutations.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClientError, GraphQLClient } from 'graphql-request';
import type { MondayEmulator } from '../../src/monday';
import { DEMO_BOARDS, startMondayEmulator } from '../../src/monday';
import { DOCS, eventually, WebhookReceiver } from './sandbox-monday-support';

const LEADS = DEMO_BOARDS.leads;

describe('monday emulator control API', () => {
  let em: MondayEmulator;
  let client: GraphQLClient;
  const control = async (method: string, route: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(`${em.baseUrl}/__sandbox/${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };

  beforeEach(async () => {
    em = await startMondayEmulator({ seed: 'demo' });
    client = new GraphQLClient(em.url, { headers: { Authorization: em.apiToken } });
  });
  afterEach(async () => {
    await em.close();
  });

  it('POST /__sandbox/items acts as a chosen human and the change fires webhooks with that user id', async () => {
    const receiver = await new WebhookReceiver().start();
    try {
      await client.request(DOCS.createWebhook, { board: String(LEADS.id), url: receiver.url, event: 'create_item' });
      const human = em.control.humanUsers()[2].id;
      const created = await control('POST', 'items', { boardId: LEADS.id, name: 'Walk-in lead', columnValues: { lead_status: { label: 'New' } }, asUserId: human });
      expect(created.status).toBe(200);
      const event = await eventually(() => receiver.events('create_pulse')[0] ?? false);
      expect(event).toMatchObject({ userId: human, pulseName: 'Walk-in lead' });
      const id = (created.json as { id: number }).id;
      expect((await control('POST', `items/${id}/column-values`, { columnValues: { lead_status: { label: 'Nope' } } })).json).toMatchObject({ error: 'ColumnValueException' });
      expect((await control('POST', `items/${id}/name`, { name: 'Walk-in lead (Acme)', asUserId: human })).status).toBe(200);
      expect(em.control.getItem(id)?.name).toBe('Walk-in lead (Acme)');
    } finally {
      await receiver.close();
    }
  });

  it('POST /__sandbox/users adds a person to the account: the users query serves them and a people column takes them; an e-mail already there is refused', async () => {
    const added = await control('POST', 'users', { name: 'Noor Haddad', email: 'Noor.Haddad@crm-sync.example', title: 'Development Associate' });
    expect(added.status).toBe(200);
    const { id } = added.json as { id: number };
    expect(id).toBeGreaterThan(Math.max(...em.control.humanUsers().filter((u) => u.id !== id).map((u) => u.id)));
    const served = await client.request<{ users: Array<{ id: string; email: string }> }>(DOCS.users, { emails: ['noor.haddad@crm-sync.example'] });
    expect(served.users).toEqual([expect.objectContaining({ id: String(id), email: 'Noor.Haddad@crm-sync.example' })]);
    const item = em.control.createItem({ boardId: LEADS.id, name: 'Owned by the new hire', columnValues: { owner: { personsAndTeams: [{ id, kind: 'person' }] } }, asUserId: id });
    expect(JSON.stringify(em.control.getItem(item.id)?.values.owner)).toContain(String(id));
    expect((await control('POST', 'users', { name: 'Again', email: 'noor.haddad@CRM-SYNC.example' })).json).toMatchObject({ error: 'InvalidArgumentException' });
    expect((await control('POST', 'users', { name: 'No mail', email: 'not-an-address' })).status).toBe(400);
  });

  it('seeding boards and items over HTTP fires no webhooks and uses the given ids', async () => {
    const owner = em.control.humanUsers()[0].id;
    const board = await control('POST', 'boards', { id: 7_000_000_001, name: 'Seeded', ownerId: owner, columns: [{ id: 'note', title: 'Note', type: 'text' }], groups: [{ id: 'topics', title: 'G' }] });
    expect(board.json).toMatchObject({ id: 7_000_000_001, name: 'Seeded' });
    const items = await control('POST', 'boards/7000000001/items', { items: [{ name: 'a', columnValues: { note: 'hello' } }, { name: 'b' }] });
    expect(items.json).toHaveLength(2);
    expect(((await control('GET', 'boards/7000000001/items')).json as Array<{ name: string }>).map((i) => i.name)).toEqual(['a', 'b']);
    expect(em.control.webhookStats().delivered + em.control.webhookStats().queued).toBe(0);
  });

  it('snapshot and restore bring the state back, over HTTP and in process', async () => {
    const snapshot = (await control('GET', 'snapshot')).json;
    await client.request(DOCS.createItem, { board: String(LEADS.id), name: 'Temporary' });
    expect(em.control.listItems(LEADS.id).some((i) => i.name === 'Temporary')).toBe(true);
    await control('POST', 'restore', snapshot);
    expect(em.control.listItems(LEADS.id).some((i) => i.name === 'Temporary')).toBe(false);
    const inProcess = em.control.snapshot();
    em.control.deleteItem({ itemId: em.control.listItems(LEADS.id)[0].id });
    em.control.restore(inProcess);
    expect(em.control.listItems(LEADS.id)).toHaveLength(inProcess.items.filter((i) => i.boardId === LEADS.id && i.state === 'active').length);
  });

  it('the request log lists operations with status and complexity, and clears', async () => {
    await client.request(DOCS.me);
    await client.request(DOCS.createItem, { board: String(LEADS.id), name: 'Logged' }).catch(() => undefined);
    const log = (await control('GET', 'requests')).json as Array<{ fields: string[]; status: number; complexity: number; operationType: string; userId: number }>;
    expect(log.map((e) => e.fields)).toEqual([['me'], ['create_item']]);
    expect(log[1]).toMatchObject({ operationType: 'mutation', status: 200, userId: em.integrationUserId, complexity: expect.any(Number) });
    expect(log[1].complexity).toBeGreaterThanOrEqual(10_000);
    await control('DELETE', 'requests');
    expect((await control('GET', 'requests')).json).toEqual([]);
  });

  it('injected 5xx faults hit the next N matching requests only', async () => {
    await control('POST', 'faults', { kind: 'http_500', count: 1, operation: 'create_item' });
    await client.request(DOCS.me);
    const error = (await client.request(DOCS.createItem, { board: String(LEADS.id), name: 'x' }).catch((e: unknown) => e)) as ClientError;
    expect(error.response.status).toBe(500);
    await client.request(DOCS.createItem, { board: String(LEADS.id), name: 'y' });
    expect((await control('GET', 'faults')).json).toEqual([]);
  });

  it('an injected 5xx may carry its own message (e.g. one echoing what was sent)', async () => {
    await control('POST', 'faults', { kind: 'http_500', count: 1, operation: 'create_item', message: 'you sent token-1234' });
    const error = (await client.request(DOCS.createItem, { board: String(LEADS.id), name: 'x' }).catch((e: unknown) => e)) as ClientError;
    expect(error.response.status).toBe(500);
    expect(error.response.errors?.[0]?.message).toBe('you sent token-1234');
  });

  it('a ratio fault with the seeded RNG fails a reproducible share of requests', async () => {
    em.control.addFault({ kind: 'http_500', ratio: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push(await client.request(DOCS.me).then(() => 200, (e: ClientError) => e.response.status));
    const failures = statuses.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
  });

  it('POST /__sandbox/clock/advance moves emulated time', async () => {
    const before = em.control.now();
    await control('POST', 'clock/advance', { ms: 3_600_000 });
    expect(em.control.now() - before).toBeGreaterThanOrEqual(3_600_000);
  });

  it('state persists to the JSON file and comes back on restart', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'monday-emu-')), 'state.json');
    const first = await startMondayEmulator({ seed: 'demo', persistPath: file });
    const firstClient = new GraphQLClient(first.url, { headers: { Authorization: first.apiToken } });
    await firstClient.request(DOCS.createItem, { board: String(LEADS.id), name: 'Survives restart' });
    await first.close();
    const second = await startMondayEmulator({ seed: 'demo', persistPath: file });
    try {
      expect(second.control.listItems(LEADS.id).some((i) => i.name === 'Survives restart')).toBe(true);
      expect(second.apiToken).toBe(first.apiToken);
    } finally {
      await second.close();
    }
  });

  it('create_board gives the default columns and group, create_column and create_group extend it', async () => {
    const board = await client.request<{ create_board: { id: string; columns: Array<{ id: string; type: string }>; groups: Array<{ id: string }> } }>(DOCS.createBoard, { name: 'Fresh' });
    expect(board.create_board.columns.map((c) => [c.id, c.type])).toEqual([
      ['name', 'name'],
      ['person', 'people'],
      ['status', 'status'],
      ['date4', 'date'],
    ]);
    expect(board.create_board.groups.map((g) => g.id)).toEqual(['topics']);
    const column = await client.request<{ create_column: { id: string; settings_str: string } }>(DOCS.createColumn, {
      board: board.create_board.id,
      title: 'Priority',
      type: 'status',
      defaults: JSON.stringify({ labels: { 1: 'High', 2: 'Low' } }),
    });
    expect(column.create_column.id).toMatch(/^status_mk[a-z0-9]{6}$/);
    expect(JSON.parse(column.create_column.settings_str).labels).toEqual({ 1: 'High', 2: 'Low' });
    const group = await client.request<{ create_group: { id: string } }>(DOCS.createGroup, { board: board.create_board.id, name: 'Later' });
    expect(group.create_group.id).toMatch(/^new_group_mk/);
  });

  it('the demo seed has the documented boards, a multi-select, people, relations and Salesforce Id columns', async () => {
    const r = await client.request<{ boards: Array<{ id: string; name: string; columns: Array<{ id: string; type: string }> }> }>(DOCS.boards, {
      ids: Object.values(DEMO_BOARDS).map((b) => String(b.id)),
    });
    expect(r.boards.map((b) => b.name).sort()).toEqual(['Accounts', 'Contacts', 'Leads', 'Opportunities']);
    const leads = r.boards.find((b) => b.name === 'Leads');
    expect(leads?.columns.length).toBeGreaterThanOrEqual(25);
    for (const board of r.boards) expect(board.columns.some((c) => c.id === 'salesforce_id' && c.type === 'text')).toBe(true);
    const relations = em.control.boards().flatMap((b) => b.columns.filter((c) => c.type === 'board_relation').map((c) => [b.id, c.settings.boardIds]));
    expect(relations).toEqual(
      expect.arrayContaining([
        [DEMO_BOARDS.opportunities.id, [DEMO_BOARDS.accounts.id]],
        [DEMO_BOARDS.contacts.id, [DEMO_BOARDS.accounts.id]],
        [DEMO_BOARDS.leads.id, [DEMO_BOARDS.opportunities.id]],
      ]),
    );
    const users = await client.request<{ users: Array<{ email: string }> }>(DOCS.users, { emails: ['integration@crm-sync.example'] });
    expect(users.users).toHaveLength(1);
  });
});
