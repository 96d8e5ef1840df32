import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BackfillPipeline } from '../../src/migration/backfill-pipeline';
import type { MondayPort } from '../../src/monday';
import { runMondayCatchUp } from '../../src/migration/monday-catch-up';
import { BOARDS, itemsBySalesforceId, partnerLeads, startBackfillWorld, type BackfillWorld } from './backfill-world';

const MINUTE = 60_000;

/** A webhook receiver that answers monday's challenge, then 503 to every delivery: the service is down. */
async function downReceiver(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const challenge = (JSON.parse(body || '{}') as { challenge?: string }).challenge;
      res.writeHead(challenge ? 200 : 503, { 'content-type': 'application/json' });
      res.end(challenge ? JSON.stringify({ challenge }) : '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/monday`, server };
}

describe('monday catch-up: nothing lost across a webhook outage longer than monday retries', () => {
  let world: BackfillWorld;
  let receiver: { url: string; server: Server };
  const emulatedNow = () => world.mondayEmulator.clock.now();

  beforeAll(async () => {
    world = await startBackfillWorld();
    receiver = await downReceiver();
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver.server.close(resolve));
    await world.close();
  });

  /** Leads backfilled and synced, then 10 quiet minutes (longer than the 5-minute overlap): the first catch-up only sets each board's cursor to now. */
  async function quietBoards(count: number, prefix: string): Promise<{ leadIds: string[]; pipeline: BackfillPipeline }> {
    const leadIds = world.sf.control.seed(partnerLeads(count, prefix));
    expect((await world.backfill({ object: 'lead' })).complete).toBe(true);
    const pipeline = await world.pipeline();
    try {
      world.mondayEmulator.control.advanceClock(10 * MINUTE);
      await runMondayCatchUp(world.db.pool, world.monday, world.mapping, { now: emulatedNow });
      await pipeline.settled();
    } catch (error) {
      await pipeline.stop();
      throw error;
    }
    return { leadIds, pipeline };
  }

  it('after a 40-minute outage the catch-up reads the changes monday gave up delivering and syncs them to Salesforce', async () => {
    const { leadIds, pipeline } = await quietBoards(5, 'Outage');
    try {
      world.sf.control.clearRequests();

      await world.monday.createWebhook(String(BOARDS.lead), receiver.url, 'change_column_value');
      const items = itemsBySalesforceId(world, BOARDS.lead);
      const edited = [leadIds[1], leadIds[3]].map((id) => items.get(id)?.[0].id as number);
      for (const [n, itemId] of edited.entries()) world.mondayEmulator.control.changeColumnValues({ itemId, columnValues: { title: `Director ${n}` } });
      // 40 minutes pass; monday retries once a minute for 30 minutes, then gives up.
      for (let minute = 0; minute < 41; minute++) {
        world.mondayEmulator.control.advanceClock(MINUTE);
        await world.mondayEmulator.control.waitForWebhooks();
      }
      const gaveUp = world.mondayEmulator.control.webhookDeliveries().filter((d) => d.outcome === 'gave_up');
      expect(gaveUp).toHaveLength(2);

      const lastBefore = Number((await world.db.pool.query<{ max: string }>('SELECT max(position) AS max FROM events')).rows[0].max);
      const caughtUp = await runMondayCatchUp(world.db.pool, world.monday, world.mapping, { now: emulatedNow });
      await pipeline.settled();

      const snapshotted = await world.db.pool.query<{ item: string; position: string; read_after: string }>(
        "SELECT payload->>'itemId' AS item, position, payload->>'readAfter' AS read_after FROM events WHERE position = ANY($1::bigint[])",
        [caughtUp.flatMap((b) => b.positions)],
      );
      expect(snapshotted.rows.map((r) => Number(r.item)).sort()).toEqual([...edited].sort());
      // Each read says what the log held before it began (heldBeforeRead): at least what was there
      // before the catch-up, and before the read's own event.
      for (const row of snapshotted.rows) {
        expect(Number(row.read_after)).toBeGreaterThanOrEqual(lastBefore);
        expect(Number(row.read_after)).toBeLessThan(Number(row.position));
      }
      expect(world.sf.control.getRecord(leadIds[1])?.Title).toBe('Director 0');
      expect(world.sf.control.getRecord(leadIds[3])?.Title).toBe('Director 1');
      expect(world.sf.control.getRecord(leadIds[2])?.Title ?? null).toBeNull();

      // Idempotent: the same versions again append nothing and write nothing.
      world.sf.control.clearRequests();
      const again = await runMondayCatchUp(world.db.pool, world.monday, world.mapping, { now: emulatedNow });
      await pipeline.settled();
      expect(again.reduce((n, b) => n + b.appended, 0)).toBe(0);
      expect(world.sf.control.requests().filter((r) => r.method !== 'GET')).toEqual([]);
    } finally {
      await pipeline.stop();
    }
  });

  it('items deleted or archived while no webhook came: the catch-up reads them from the activity log and tombstones their records, once', async () => {
    const { leadIds, pipeline } = await quietBoards(4, 'Removed');
    try {
      const items = itemsBySalesforceId(world, BOARDS.lead);
      const [deleted, archived, restored, kept] = leadIds.map((id) => items.get(id)?.[0].id as number);
      // No delete or archive webhook is installed: like the ones monday gave up on during an outage.
      world.mondayEmulator.control.deleteItem({ itemId: deleted });
      world.mondayEmulator.control.archiveItem({ itemId: archived });
      world.mondayEmulator.control.deleteItem({ itemId: restored });
      world.mondayEmulator.control.restoreItem({ itemId: restored });
      world.mondayEmulator.control.advanceClock(2 * MINUTE);

      const caughtUp = await runMondayCatchUp(world.db.pool, world.monday, world.mapping, { now: emulatedNow });
      await pipeline.settled();

      const lead = caughtUp.find((b) => b.boardId === String(BOARDS.lead));
      expect(lead).toMatchObject({ removed: 2, removalsComplete: true });
      const { rows: events } = await world.db.pool.query<{ type: string; item: string; origin: string }>(
        "SELECT type, payload->>'itemId' AS item, origin FROM events WHERE type IN ('monday.item_deleted', 'monday.item_archived') ORDER BY position",
      );
      expect(events).toEqual(
        expect.arrayContaining([
          { type: 'monday.item_deleted', item: String(deleted), origin: 'user' },
          { type: 'monday.item_archived', item: String(archived), origin: 'user' },
        ]),
      );
      expect(events.map((e) => Number(e.item))).not.toContain(restored);
      const { rows: records } = await world.db.pool.query<{ item: string; deleted_side: string | null }>(
        'SELECT monday_item_id AS item, deleted_side FROM sync_records WHERE monday_item_id = ANY($1::text[])',
        [[deleted, archived, restored, kept].map(String)],
      );
      const sideOf = new Map(records.map((r) => [Number(r.item), r.deleted_side]));
      expect([sideOf.get(deleted), sideOf.get(archived), sideOf.get(restored), sideOf.get(kept)]).toEqual(['monday', 'monday', null, null]);
      // delete: archive: monday removals write nothing to Salesforce.
      expect(leadIds.map((id) => world.sf.control.getRecord(id)?.IsDeleted ?? false)).toEqual([false, false, false, false]);

      const again = await runMondayCatchUp(world.db.pool, world.monday, world.mapping, { now: emulatedNow });
      expect(again.reduce((n, b) => n + b.removed, 0)).toBe(0);
    } finally {
      await pipeline.stop();
    }
  });

  it('a board read whose cursor expires mid-way restarts and appends every updated item exactly once', async () => {
    const seeded = world.mondayEmulator.control.seedItems(
      BOARDS.contact,
      Array.from({ length: 60 }, (_, i) => ({ name: `Cursor contact ${i}` })),
    );
    let advanced = false;
    // After the first item, 61 minutes pass: the next page's cursor (60 minutes of life) has expired.
    const expiring: MondayPort = Object.create(world.monday, {
      streamBoardItems: {
        value: async function* (boardId: string, options: Parameters<MondayPort['streamBoardItems']>[1]) {
          for await (const item of world.monday.streamBoardItems(boardId, options)) {
            yield item;
            if (!advanced && boardId === String(BOARDS.contact)) {
              advanced = true;
              world.mondayEmulator.control.advanceClock(61 * MINUTE);
            }
          }
        },
      },
    }) as MondayPort;
    world.mondayEmulator.control.clearRequestLog();

    const result = await runMondayCatchUp(world.db.pool, expiring, world.mapping, { pageSize: 25, now: emulatedNow });

    expect(advanced).toBe(true);
    const failedPages = world.mondayEmulator.control.requestLog().filter((e) => e.fields.includes('next_items_page') && e.errorCodes.length > 0);
    expect(failedPages.length).toBeGreaterThan(0);
    const contacts = result.find((b) => b.boardId === String(BOARDS.contact));
    const { rows } = await world.db.pool.query<{ item: string; n: number }>(
      "SELECT payload->>'itemId' AS item, count(*)::int AS n FROM events WHERE type = 'monday.item_snapshot' AND payload->>'boardId' = $1 GROUP BY 1",
      [String(BOARDS.contact)],
    );
    const counts = new Map(rows.map((r) => [r.item, r.n]));
    expect(seeded.filter((item) => counts.get(String(item.id)) === 1)).toHaveLength(60);
    expect(contacts?.appended).toBeGreaterThanOrEqual(60);
  });
});
