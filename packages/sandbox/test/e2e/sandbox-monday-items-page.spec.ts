/**
 * Reading items (reference 3.2-3.4): items_page limits and cursors that expire 60 minutes of emulated
 * time after the first page, query_params rules (incl. __last_updated__) and order_by, items(ids)
 * limits and states, items_page_by_column_values.
 */
import { ClientError, GraphQLClient } from 'graphql-request';
import type { MondayEmulator } from '../../src/monday';
import { startMondayEmulator } from '../../src/monday';
import { dropdownSettings } from '../../src/monday/column-types/dropdown-column';
import { ScaledClock } from '../../src/clock';
import { DOCS } from './sandbox-monday-support';

const BOARD = 5_000_000_001;
const IDS = [String(BOARD)];

interface PageResult {
  boards: Array<{ items_page: { cursor: string | null; items: Array<{ id: string; name: string }> } }>;
}

describe('monday emulator item reads (reference 3.2-3.4)', () => {
  let em: MondayEmulator;
  let client: GraphQLClient;
  let clock: ScaledClock;
  let ids: number[];

  const page = async (limit: number, qp?: unknown): Promise<PageResult['boards'][number]['items_page']> =>
    (await client.request<PageResult>(DOCS.itemsPage, { ids: IDS, limit, qp })).boards[0].items_page;
  const codeOf = async (p: Promise<unknown>): Promise<unknown> => {
    const e = (await p.catch((x: unknown) => x)) as ClientError;
    return (e.response.errors?.[0].extensions as { code?: unknown }).code;
  };

  beforeAll(async () => {
    clock = new ScaledClock(1, Date.parse('2026-11-02T10:00:00Z'));
    em = await startMondayEmulator({ seed: 'empty', clock });
    client = new GraphQLClient(em.url, { headers: { Authorization: em.apiToken } });
    const owner = em.control.humanUsers()[0].id;
    em.control.seedBoard({
      id: BOARD,
      name: 'Paging',
      ownerId: owner,
      groups: [{ id: 'topics', title: 'A' }, { id: 'other', title: 'B' }],
      columns: [
        { id: 'status', title: 'Status', type: 'status' },
        { id: 'amount', title: 'Amount', type: 'numbers' },
        { id: 'tags', title: 'Tags', type: 'dropdown', settings: dropdownSettings(['red', 'blue']) },
        { id: 'owner', title: 'Owner', type: 'people' },
        { id: 'due', title: 'Due', type: 'date' },
      ],
    });
    const seeds = Array.from({ length: 620 }, (_v, i) => ({
      name: `Item ${String(i).padStart(3, '0')}`,
      groupId: i % 2 === 0 ? 'topics' : 'other',
      columnValues: {
        amount: String(i),
        ...(i % 3 === 0 ? { status: { index: 1 } } : {}),
        ...(i % 5 === 0 ? { tags: { labels: ['blue'] } } : {}),
        ...(i === 7 ? { owner: { personsAndTeams: [{ id: owner, kind: 'person' }] }, due: { date: '2026-12-01' } } : {}),
      },
    }));
    ids = em.control.seedItems(BOARD, seeds).map((i) => i.id);
  });
  afterAll(async () => {
    await em.close();
  });

  it('pages through 620 items with limit 500 and next_items_page until the cursor is null', async () => {
    const first = await page(500);
    expect(first.items).toHaveLength(500);
    expect(first.cursor).toEqual(expect.any(String));
    const next = await client.request<{ next_items_page: { cursor: string | null; items: unknown[] } }>(DOCS.nextPage, { cursor: first.cursor, limit: 500 });
    expect(next.next_items_page.items).toHaveLength(120);
    expect(next.next_items_page.cursor).toBeNull();
  });

  it('a limit above 500 is rejected with InvalidArgumentException', async () => {
    expect(await codeOf(page(501))).toBe('InvalidArgumentException');
  });

  it('a cursor expires 60 emulated minutes after the first page, even when used in between', async () => {
    const first = await page(100);
    clock.advance(30 * 60_000);
    const second = await client.request<{ next_items_page: { cursor: string } }>(DOCS.nextPage, { cursor: first.cursor, limit: 100 });
    clock.advance(30 * 60_000);
    expect(await codeOf(client.request(DOCS.nextPage, { cursor: second.next_items_page.cursor, limit: 100 }))).toBe('InvalidArgumentException');
  });

  it('a garbage cursor is rejected and cursor with query_params together is an error', async () => {
    expect(await codeOf(client.request(DOCS.nextPage, { cursor: 'bm90IGEgY3Vyc29y', limit: 10 }))).toBe('InvalidArgumentException');
    const first = await page(5);
    expect(await codeOf(client.request(DOCS.itemsPageWithCursor, { ids: IDS, cursor: first.cursor, qp: { rules: [] } }))).toBe('InvalidArgumentException');
  });

  it('the filter is baked into the cursor: next pages keep the first page rules', async () => {
    const first = await page(100, { rules: [{ column_id: 'status', compare_value: [1] }] });
    const next = await client.request<{ next_items_page: { items: Array<{ name: string }> } }>(DOCS.nextPage, { cursor: first.cursor, limit: 500 });
    expect(first.items.length + next.next_items_page.items.length).toBe(207);
  });

  it('status rules compare label ids; label text with any_of silently matches nothing; contains_terms matches text', async () => {
    expect((await page(500, { rules: [{ column_id: 'status', compare_value: ['Done'] }] })).items).toHaveLength(0);
    expect((await page(10, { rules: [{ column_id: 'status', compare_value: 'Done', operator: 'contains_terms' }] })).items).toHaveLength(10);
    const empty = await page(500, { rules: [{ column_id: 'status', compare_value: [5] }] });
    const isEmpty = await page(500, { rules: [{ column_id: 'status', compare_value: [], operator: 'is_empty' }] });
    expect(empty.items).toHaveLength(413);
    expect(isEmpty.items.map((i) => i.id)).toEqual(empty.items.map((i) => i.id));
  });

  it('numbers, dropdown, people and name rules combine with and/or, and order_by sorts', async () => {
    const big = await page(500, { rules: [{ column_id: 'amount', compare_value: [600], operator: 'greater_than_or_equals' }], order_by: [{ column_id: 'amount', direction: 'desc' }] });
    expect(big.items.map((i) => i.name).slice(0, 3)).toEqual(['Item 619', 'Item 618', 'Item 617']);
    expect(big.items).toHaveLength(20);
    const either = await page(500, {
      operator: 'or',
      rules: [
        { column_id: 'tags', compare_value: [2] },
        { column_id: 'name', compare_value: 'Item 001', operator: 'contains_text' },
      ],
    });
    expect(either.items).toHaveLength(125);
    const owner = em.control.humanUsers()[0].id;
    const mine = await page(10, { rules: [{ column_id: 'owner', compare_value: [`person-${owner}`] }] });
    expect(mine.items.map((i) => i.name)).toEqual(['Item 007']);
    const due = await page(10, { rules: [{ column_id: 'due', compare_value: ['EXACT', '2026-12-01'] }] });
    expect(due.items.map((i) => i.name)).toEqual(['Item 007']);
  });

  it('__last_updated__ with UPDATED_AT finds items changed since a time, newest first (incremental sync pattern)', async () => {
    clock.advance(24 * 3_600_000);
    const since = new Date(clock.now()).toISOString();
    const touched = [ids[3], ids[400]];
    for (const id of touched) em.control.changeColumnValues({ itemId: id, columnValues: { amount: '1' } });
    const changed = await page(500, {
      rules: [{ column_id: '__last_updated__', compare_value: ['EXACT', since], operator: 'greater_than_or_equals', compare_attribute: 'UPDATED_AT' }],
      order_by: [{ column_id: '__last_updated__', direction: 'desc' }],
    });
    expect(changed.items.map((i) => Number(i.id)).sort()).toEqual(touched.sort());
    const today = await page(500, {
      rules: [{ column_id: '__last_updated__', compare_value: ['TODAY'], operator: 'any_of', compare_attribute: 'UPDATED_AT' }],
    });
    expect(today.items).toHaveLength(2);
  });

  it('query_params.ids accepts at most 100 ids', async () => {
    expect(await codeOf(page(10, { ids: ids.slice(0, 101).map(String) }))).toBe('InvalidArgumentException');
    expect((await page(10, { ids: ids.slice(0, 3).map(String) })).items).toHaveLength(3);
  });

  it('group items_page lists only that group', async () => {
    const r = await client.request<{ boards: Array<{ groups: Array<{ items_page: { items: Array<{ name: string }> } }> }> }>(DOCS.groupItemsPage, { ids: IDS, groups: ['other'] });
    expect(r.boards[0].groups[0].items_page.items.every((i) => Number(i.name.slice(5)) % 2 === 1)).toBe(true);
  });

  it('items(ids) defaults to 25 results, refuses more than 100 ids, and returns deleted items unless exclude_nonactive (3.3)', async () => {
    const forty = ids.slice(100, 140).map(String);
    expect((await client.request<{ items: unknown[] }>(DOCS.itemsByIds, { ids: forty })).items).toHaveLength(25);
    expect((await client.request<{ items: unknown[] }>(DOCS.itemsByIds, { ids: forty, limit: 40 })).items).toHaveLength(40);
    expect(await codeOf(client.request(DOCS.itemsByIds, { ids: ids.slice(0, 101).map(String), limit: 101 }))).toBe('InvalidArgumentException');
    em.control.deleteItem({ itemId: ids[150] });
    const withDeleted = await client.request<{ items: Array<{ state: string }> }>(DOCS.itemsByIds, { ids: [String(ids[150])] });
    expect(withDeleted.items[0].state).toBe('deleted');
    expect((await client.request<{ items: unknown[] }>(DOCS.itemsByIds, { ids: [String(ids[150])], exclude: true })).items).toHaveLength(0);
    const inPage = await page(500, { ids: [String(ids[150]), String(ids[151])] });
    expect(inPage.items.map((i) => Number(i.id))).toEqual([ids[151]]);
  });

  it('items_page_by_column_values ORs values of one column and ANDs columns (3.4)', async () => {
    const r = await client.request<{ items_page_by_column_values: { items: Array<{ name: string }> } }>(DOCS.byColumnValues, {
      board: String(BOARD),
      columns: [
        { column_id: 'amount', column_values: ['10', '15', '20'] },
        { column_id: 'tags', column_values: ['blue'] },
      ],
    });
    expect(r.items_page_by_column_values.items.map((i) => i.name)).toEqual(['Item 010', 'Item 015', 'Item 020']);
  });
});
