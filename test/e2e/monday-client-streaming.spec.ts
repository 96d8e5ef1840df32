import { createMondayClient, type MondayItem, type MondayPort, type StreamBoardItemsOptions } from '../../src/monday';
import { ScaledClock } from '@crm-sync/sandbox';
import { startMondayEmulator, type MondayEmulator } from '@crm-sync/sandbox';

const DAY = 86_400_000;
const PER_DAY = 250;
const DAYS = 5;
const PAGE = 100;

describe('streaming a whole board with items_page / next_items_page', () => {
  let emulator: MondayEmulator;
  let client: MondayPort;
  let boardId: string;
  let allIds: string[];

  beforeAll(async () => {
    emulator = await startMondayEmulator({ clock: new ScaledClock(1, Date.parse('2026-11-02T08:00:00Z')) });
    const owner = emulator.control.humanUsers()[0].id;
    const board = emulator.control.seedBoard({
      name: 'Big board',
      ownerId: owner,
      groups: [
        { id: 'g1', title: 'One' },
        { id: 'g2', title: 'Two' },
      ],
      columns: [{ id: 'text', title: 'Text', type: 'text' }],
    });
    boardId = String(board.id);
    // 1,250 items created over five days, so "created on or after a day" rules have something to cut.
    for (let day = 0; day < DAYS; day++) {
      emulator.control.seedItems(
        board.id,
        Array.from({ length: PER_DAY }, (_, i) => ({ name: `Item ${day}-${i}`, groupId: i % 2 ? 'g2' : 'g1', columnValues: { text: `v${i}` } })),
      );
      emulator.control.advanceClock(DAY);
    }
    allIds = emulator.control.listItems(board.id).map((i) => String(i.id));
    client = createMondayClient({ apiUrl: emulator.url, apiToken: emulator.apiToken, apiVersion: '2025-10', signingSecret: null, webhookToken: null });
  });
  afterAll(() => emulator.close());

  /** Reads the stream, moving emulated time past the 60-minute cursor life after `expireAfter` items. */
  async function drain(options: StreamBoardItemsOptions, expireAfter?: number): Promise<MondayItem[]> {
    const items: MondayItem[] = [];
    for await (const item of client.streamBoardItems(boardId, options)) {
      items.push(item);
      if (items.length === expireAfter) emulator.control.advanceClock(61 * 60_000);
    }
    return items;
  }

  const pageRequests = () => emulator.control.requestLog().filter((e) => e.operationName === 'BoardItemsFirstPage' || e.operationName === 'NextItemsPage');

  beforeEach(() => emulator.control.clearRequestLog());

  it('yields every item once with their column values', async () => {
    const items = await drain({ pageSize: PAGE });
    expect(items.map((i) => i.id).sort()).toEqual([...allIds].sort());
    expect(items[0].columnValues).toEqual([expect.objectContaining({ id: 'text', type: 'text' })]);
    expect(pageRequests()).toHaveLength(Math.ceil((PER_DAY * DAYS) / PAGE));
  });

  it('resumes after the cursor expires mid-way: every item exactly once, re-reading only from the day of the last item', async () => {
    const items = await drain({ pageSize: PAGE }, 3 * PAGE);

    const ids = items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...allIds].sort());
    const requests = pageRequests();
    const restarts = requests.filter((e) => e.operationName === 'BoardItemsFirstPage');
    expect(restarts).toHaveLength(2);
    expect(requests.some((e) => e.errorCodes.length > 0)).toBe(true);
    // 3 pages + the expired one, then days 2-5 (1,000 items): 10 pages; a restart from scratch would need 13.
    expect(requests.length).toBeLessThanOrEqual(4 + (PER_DAY * (DAYS - 1)) / PAGE);
  });

  it('keeps the caller’s filter across the restart', async () => {
    const expected = emulator.control
      .listItems(Number(boardId))
      .filter((i) => i.groupId === 'g2')
      .map((i) => String(i.id));

    const items = await drain({ pageSize: PAGE, queryParams: { rules: [{ column_id: 'group', compare_value: ['g2'], operator: 'any_of' }] } }, 2 * PAGE);

    expect(items.map((i) => i.id).sort()).toEqual([...expected].sort());
  });

  it('with the caller’s own order, restarts from the beginning and still yields each item once', async () => {
    const items = await drain({ pageSize: PAGE, queryParams: { order_by: [{ column_id: 'name', direction: 'desc' }] } }, 5 * PAGE);

    const ids = items.map((i) => i.id);
    expect(new Set(ids).size).toBe(allIds.length);
    expect(ids).toHaveLength(allIds.length);
  });
});
