import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMondayClient, MondayError, type MondayPort } from '../../src/monday';
import { DEMO_BOARDS, startMondayEmulator, type MondayEmulator } from '@crm-sync/sandbox';

const LEADS = String(DEMO_BOARDS.leads.id);
const L = DEMO_BOARDS.leads.columns;

describe('monday client against the emulator: reads and writes', () => {
  let emulator: MondayEmulator;
  let client: MondayPort;

  beforeAll(async () => {
    emulator = await startMondayEmulator({ seed: 'demo' });
    client = createMondayClient({ apiUrl: emulator.url, apiToken: emulator.apiToken, apiVersion: '2025-10', signingSecret: null, webhookToken: null });
  });
  afterAll(() => emulator.close());

  it('sends the raw token and the pinned API-Version', async () => {
    emulator.control.clearRequestLog();
    await client.me();
    const [entry] = emulator.control.requestLog();
    expect(entry).toMatchObject({ userId: emulator.integrationUserId, apiVersion: '2025-10', status: 200 });
  });

  it('reads its own user (the id echo suppression compares with) and the account’s users', async () => {
    const me = await client.me();
    expect(me.id).toBe(String(emulator.integrationUserId));
    const users = await client.users();
    expect(users.map((u) => u.id)).toContain(me.id);
    expect(users.every((u) => u.email.includes('@'))).toBe(true);
  });

  it('reads boards with typed columns, parsed settings and groups, and leaves out unknown ids', async () => {
    const boards = await client.boards([LEADS, '1']);
    expect(boards).toHaveLength(1);
    const [leads] = boards;
    expect(leads.groups.map((g) => g.id)).toEqual(expect.arrayContaining(['topics', 'qualified_leads']));
    const status = leads.columns.find((c) => c.id === L.status);
    expect(status).toMatchObject({ type: 'status', title: 'Lead Status' });
    expect(status?.settings).toHaveProperty('labels');
    expect(leads.columns.find((c) => c.id === L.industry)?.settings).toHaveProperty('labels');
  });

  it('creates an item with column values, changes, renames, archives and deletes it', async () => {
    const created = await client.createItem(LEADS, 'qualified_leads', 'Client Co', { [L.firstName]: 'Ann', [L.status]: { label: 'Qualified' } });
    await client.changeColumnValues(LEADS, created.id, { [L.firstName]: 'Bo', [L.city]: 'Lyon' });
    await client.renameItem(LEADS, created.id, 'Client Co Renamed');

    const [item] = await client.itemsByIds([created.id]);
    expect(item).toMatchObject({ id: created.id, name: 'Client Co Renamed', boardId: LEADS, groupId: 'qualified_leads', state: 'active' });
    const value = (id: string) => item.columnValues.find((c) => c.id === id);
    expect(value(L.firstName)).toMatchObject({ type: 'text', text: 'Bo' });
    expect(value(L.city)?.text).toBe('Lyon');
    expect(value(L.status)?.text).toBe('Qualified');
    expect(JSON.parse(value(L.status)?.value ?? 'null')).toHaveProperty('index');

    await client.archiveItem(LEADS, created.id);
    expect((await client.itemsByIds([created.id]))[0].state).toBe('archived');
    const second = await client.createItem(LEADS, null, 'To delete', {});
    await client.deleteItem(LEADS, second.id);
    expect(emulator.control.getItem(Number(second.id))?.state).toBe('deleted');
  });

  it('reads only the asked columns and more than 25 items by id (limit follows the ids)', async () => {
    const ids = emulator.control.listItems(DEMO_BOARDS.leads.id).map((i) => String(i.id));
    const extra = await client.applyMutations(
      LEADS,
      Array.from({ length: 30 }, (_, i) => ({ kind: 'create_item' as const, groupId: null, name: `Bulk ${i}`, columnValues: {} })),
    );
    const all = [...ids, ...extra.map((o) => (o.ok ? o.itemId : ''))];
    const items = await client.itemsByIds(all, { columnIds: [L.firstName] });
    expect(items.map((i) => i.id).sort()).toEqual([...all].sort());
    expect(items.every((i) => i.columnValues.length === 1 && i.columnValues[0].id === L.firstName)).toBe(true);
  });

  it('finds items by a column value (the Salesforce Id column)', async () => {
    const a = await client.createItem(LEADS, null, 'Find A', { [L.salesforceId]: '00Q000000000001AAA' });
    await client.createItem(LEADS, null, 'Find B', { [L.salesforceId]: '00Q000000000002AAA' });
    const c = await client.createItem(LEADS, null, 'Find C', { [L.salesforceId]: '00Q000000000003AAA' });

    const found = await client.findItemsByColumnValue(LEADS, L.salesforceId, ['00Q000000000001AAA', '00Q000000000003AAA']);
    expect(found.map((i) => i.id).sort()).toEqual([a.id, c.id].sort());
    expect(await client.findItemsByColumnValue(LEADS, L.salesforceId, ['00Q0000000000XXAAA'])).toEqual([]);
  });

  it('runs a batch in which one mutation is bad: the others apply, the bad one is a VALIDATION error naming its column', async () => {
    const target = await client.createItem(LEADS, null, 'Batch target', {});
    emulator.control.clearRequestLog();

    const outcomes = await client.applyMutations(LEADS, [
      { kind: 'change_column_values', itemId: target.id, columnValues: { [L.firstName]: 'Ok one' } },
      { kind: 'change_column_values', itemId: target.id, columnValues: { [L.city]: 'Paris', [L.status]: { label: 'No such label' } } },
      { kind: 'create_item', groupId: null, name: 'Batch created', columnValues: { [L.city]: 'Oslo' } },
      { kind: 'change_column_values', itemId: target.id, columnValues: { no_such_column: 'x' } },
    ]);

    expect(emulator.control.requestLog()).toHaveLength(1);
    expect(outcomes[0]).toEqual({ ok: true, itemId: target.id });
    expect(outcomes[2].ok).toBe(true);
    const bad = outcomes[1];
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error).toBeInstanceOf(MondayError);
      expect(bad.error).toMatchObject({ code: 'VALIDATION', columnId: L.status, details: { mondayCode: 'ColumnValueException', itemId: target.id, boardId: LEADS } });
      expect(bad.error.message).toContain('label does not exist');
    }
    const unknownColumn = outcomes[3];
    expect(unknownColumn.ok ? undefined : unknownColumn.error).toMatchObject({ code: 'VALIDATION', columnId: 'no_such_column' });
    const after = emulator.control.getItem(Number(target.id));
    expect(after?.values[L.firstName]?.data).toBeDefined();
    expect(after?.values[L.city]).toBeUndefined();
  });

  it('replays a retried batch with the same idempotency key instead of creating twice', async () => {
    const batch = [{ kind: 'create_item' as const, groupId: null, name: 'Idempotent Co', columnValues: {} }];
    emulator.control.clearRequestLog();

    const first = await client.applyMutations(LEADS, batch, { idempotencyKey: 'outbox-42' });
    const retry = await client.applyMutations(LEADS, batch, { idempotencyKey: 'outbox-42' });

    // The same items, marked as monday's stored answer (Idempotency-Replayed), which the create retry relies on.
    expect(first).toEqual([expect.not.objectContaining({ replayed: true })]);
    expect(retry).toEqual(first.map((outcome) => ({ ...outcome, replayed: true })));
    expect(emulator.control.listItems(DEMO_BOARDS.leads.id).filter((i) => i.name === 'Idempotent Co')).toHaveLength(1);
    expect(emulator.control.requestLog().map((e) => e.idempotencyReplayed)).toEqual([false, true]);
  });

  it('creates a missing status label only when asked to', async () => {
    const item = await client.createItem(LEADS, null, 'Labels', {});
    await expect(client.changeColumnValues(LEADS, item.id, { [L.status]: { label: 'Brand new' } })).rejects.toMatchObject({ code: 'VALIDATION', columnId: L.status });
    await client.changeColumnValues(LEADS, item.id, { [L.status]: { label: 'Brand new' } }, { createLabelsIfMissing: true });
    const [read] = await client.itemsByIds([item.id], { columnIds: [L.status] });
    expect(read.columnValues[0].text).toBe('Brand new');
  });

  it('reports an unknown item as NOT_FOUND and an unknown token as UNAUTHORIZED', async () => {
    await expect(client.archiveItem(LEADS, '123')).rejects.toMatchObject({ code: 'NOT_FOUND', details: { itemId: '123' } });
    const stranger = createMondayClient({ apiUrl: emulator.url, apiToken: 'not-a-token', apiVersion: '2025-10', signingSecret: null, webhookToken: null });
    const error = (await stranger.me().catch((e: unknown) => e)) as MondayError;
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).not.toContain('not-a-token');
  });

  describe('webhooks', () => {
    let receiver: http.Server;
    let url: string;
    beforeAll(async () => {
      // Answers monday's challenge by echoing the body (monday.md 7.2).
      receiver = http.createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(body || '{}');
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/monday/webhook`;
    });
    afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

    it('creates, lists and deletes a board webhook, with its config', async () => {
      const created = await client.createWebhook(LEADS, url, 'change_specific_column_value', { columnId: L.status });
      const plain = await client.createWebhook(LEADS, url, 'create_item');
      expect(created).toMatchObject({ boardId: LEADS, event: 'change_specific_column_value', config: { columnId: L.status } });

      const listed = await client.webhooks(LEADS);
      expect(listed.map((w) => w.id)).toEqual(expect.arrayContaining([created.id, plain.id]));

      await client.deleteWebhook(LEADS, created.id);
      expect((await client.webhooks(LEADS)).map((w) => w.id)).not.toContain(created.id);
    });

    it('creates a column', async () => {
      const column = await client.createColumn(LEADS, 'Salesforce Id 2', 'text');
      expect(column).toMatchObject({ title: 'Salesforce Id 2', type: 'text' });
      const [board] = await client.boards([LEADS]);
      expect(board.columns.map((c) => c.id)).toContain(column.id);
    });
  });
});
