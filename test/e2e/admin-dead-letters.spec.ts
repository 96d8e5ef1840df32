import 'reflect-metadata';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AdminModule } from '../../src/admin';
import { DEMO_BOARDS } from '@crm-sync/sandbox';
import { expectEventually } from '../support/eventually';
import { insertCommands, outboxRow } from '../integration/outbox-support';
import { dispatcherFor, startOutboxWorld, type OutboxWorld } from './outbox-support';

const TOKEN = 'admin-secret-token-for-tests';
const LEADS = String(DEMO_BOARDS.leads.id);
const L = DEMO_BOARDS.leads.columns;

async function adminApp(world: OutboxWorld, adminToken: string | null): Promise<NestFastifyApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [AdminModule.forRoot({ db: world.db.pool, adminToken })] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('admin endpoints: dead letters, retry, status, record history', () => {
  let world: OutboxWorld;
  let app: NestFastifyApplication;
  const auth = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    world = await startOutboxWorld();
    app = await adminApp(world, TOKEN);
  });
  afterAll(async () => {
    await app.close();
    await world.close();
  });

  it('answers 404 on every admin endpoint when ADMIN_TOKEN is not set', async () => {
    const off = await adminApp(world, null);
    try {
      for (const url of ['/admin/status', '/admin/dead-letters', '/admin/records/monday/1/history']) {
        expect((await off.inject({ method: 'GET', url, headers: auth })).statusCode).toBe(404);
      }
      expect((await off.inject({ method: 'POST', url: '/admin/dead-letters/1/retry', headers: auth })).statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });

  it('answers 401 without a token or with a wrong one', async () => {
    expect((await app.inject({ method: 'GET', url: '/admin/status' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/admin/status', headers: { authorization: `Bearer ${TOKEN}x` } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/admin/status', headers: { authorization: TOKEN } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/admin/status', headers: auth })).statusCode).toBe(200);
  });

  it('shows a VALIDATION dead letter with its message, hint and cause, and a retry after the fix succeeds', async () => {
    const item = world.mondayEmulator.control.createItem({ boardId: DEMO_BOARDS.leads.id, name: 'Platinum Partner' });
    await world.db.pool.query(
      `INSERT INTO sync_records (id, object_key, salesforce_id, monday_board_id, monday_item_id, last_position) VALUES (501, 'lead', '00Q000000000501EAA', $1, $2, 0)`,
      [LEADS, String(item.id)],
    );
    const { rows: cause } = await world.db.pool.query<{ position: string }>(
      `INSERT INTO events (source, source_event_id, stream, type, origin, payload, occurred_at)
       VALUES ('salesforce', 'test:cause:501', 'salesforce:Lead:00Q000000000501EAA', 'salesforce.record_changed', 'user', '{}', now()) RETURNING position`,
    );
    const causedBy = Number(cause[0].position);
    const [id] = await insertCommands(world.db.pool, [
      {
        recordId: 501,
        causedBy,
        command: { kind: 'monday.change_columns', target: 'monday', objectKey: 'lead', boardId: LEADS, itemId: String(item.id), columnValues: { [L.rating]: { label: 'Platinum' } }, createLabelsIfMissing: false },
      },
    ]);
    const dispatcher = dispatcherFor(world);
    await dispatcher.dispatchOnce();
    expect((await outboxRow(world.db.pool, id)).status).toBe('dead');

    const listed = await app.inject({ method: 'GET', url: '/admin/dead-letters', headers: auth });
    expect(listed.statusCode).toBe(200);
    const letter = (listed.json() as { deadLetters: Array<Record<string, unknown>> }).deadLetters.find((d) => d.id === id);
    expect(letter).toMatchObject({
      kind: 'monday.change_columns',
      record: { id: 501, objectKey: 'lead', mondayItemId: String(item.id), salesforceId: '00Q000000000501EAA' },
      error: { code: 'VALIDATION', field: L.rating, value: 'Platinum' },
      causedBy: { position: causedBy, type: 'salesforce.record_changed', stream: 'salesforce:Lead:00Q000000000501EAA' },
    });
    expect(String(letter?.hint)).toContain("add 'Platinum' to the values map");

    const status = (await app.inject({ method: 'GET', url: '/admin/status', headers: auth })).json() as { deadLetters: number; counts: Record<string, number> };
    expect(status.deadLetters).toBeGreaterThanOrEqual(1);
    expect(status.counts.dead).toBe(status.deadLetters);

    // The fix: someone adds the label on the board.
    const other = world.mondayEmulator.control.createItem({ boardId: DEMO_BOARDS.leads.id, name: 'Label maker' });
    world.mondayEmulator.control.changeColumnValues({ itemId: other.id, columnValues: { [L.rating]: { label: 'Platinum' } }, createLabelsIfMissing: true });

    const retried = await app.inject({ method: 'POST', url: `/admin/dead-letters/${id}/retry`, headers: auth });
    expect(retried.statusCode).toBe(200);
    expect(await outboxRow(world.db.pool, id)).toMatchObject({ status: 'pending', attempts: 0 });
    await dispatcher.dispatchOnce();
    await expectEventually(async () => expect((await outboxRow(world.db.pool, id)).status).toBe('done'));
    const [after] = await world.monday.itemsByIds([String(item.id)], { columnIds: [L.rating] });
    expect(after.columnValues.find((v) => v.id === L.rating)?.text).toBe('Platinum');
    expect((await app.inject({ method: 'POST', url: `/admin/dead-letters/${id}/retry`, headers: auth })).statusCode).toBe(404);

    const history = await app.inject({ method: 'GET', url: `/admin/records/monday/${item.id}/history`, headers: auth });
    expect(history.statusCode).toBe(200);
    const body = history.json() as { record: { id: number }; events: Array<{ type: string; payload: Record<string, unknown> }>; commands: Array<{ id: number; status: string }> };
    expect(body.record.id).toBe(501);
    expect(body.commands).toEqual([expect.objectContaining({ id, status: 'done' })]);
    expect(body.events.map((e) => e.type)).toEqual(['salesforce.record_changed', 'system.command_failed', 'system.command_succeeded']);
    const bySalesforceId = await app.inject({ method: 'GET', url: '/admin/records/salesforce/00Q000000000501/history', headers: auth });
    expect((bySalesforceId.json() as { record: { id: number } }).record.id).toBe(501);
  });

  it('shows the decision and its reason next to each event of a record', async () => {
    await world.db.pool.query(`INSERT INTO sync_records (id, object_key, monday_board_id, monday_item_id, last_position) VALUES (502, 'lead', $1, '777002', 0)`, [LEADS]);
    const { rows } = await world.db.pool.query<{ position: string }>(
      `INSERT INTO events (source, source_event_id, stream, type, origin, payload, occurred_at)
       VALUES ('monday', 'test:echo:502', 'monday:item:777002', 'monday.column_changed', 'own_echo', '{}', now()) RETURNING position`,
    );
    await world.db.pool.query(
      `INSERT INTO sync_decisions (position, record_id, event_type, outcome, reason) VALUES ($1, 502, 'monday.column_changed', 'skipped', 'own_echo')`,
      [rows[0].position],
    );
    const history = await app.inject({ method: 'GET', url: '/admin/records/monday/777002/history', headers: auth });
    const body = history.json() as { events: Array<{ origin: string; decision: { outcome: string; reason: string } | null }> };
    expect(body.events).toEqual([expect.objectContaining({ origin: 'own_echo', decision: expect.objectContaining({ outcome: 'skipped', reason: 'own_echo' }) })]);
    expect((await app.inject({ method: 'GET', url: '/admin/records/monday/999999999/history', headers: auth })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/admin/records/hubspot/1/history', headers: auth })).statusCode).toBe(400);
  });
});
