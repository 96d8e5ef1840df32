/**
 * items_page_by_column_values answers from an index of cell texts (state/column-text-index.ts): after
 * any mix of creates, updates, clears, renames, archives, deletes and restores made after the index
 * was built, it must return what a scan of the board returns, in creation order, with the same
 * cursor paging.
 */
import { GraphQLClient } from 'graphql-request';
import type { MondayEmulator } from '../../src/monday';
import { startMondayEmulator } from '../../src/monday';
import { DOCS } from './sandbox-monday-support';

const BOARD = 5_000_000_077;
const LOOKUP = `query Lookup($board: ID!, $columns: [ItemsPageByColumnValuesQuery!], $limit: Int!) {
  items_page_by_column_values(board_id: $board, columns: $columns, limit: $limit) { cursor items { id } } }`;
const NEXT = `query LookupNext($board: ID!, $cursor: String!, $limit: Int!) {
  items_page_by_column_values(board_id: $board, cursor: $cursor, limit: $limit) { cursor items { id } } }`;

const TEXTS = `query Texts($ids: [ID!], $limit: Int) { items(ids: $ids, limit: $limit) { id name column_values { id text } } }`;

interface Page {
  items_page_by_column_values: { cursor: string | null; items: Array<{ id: string }> };
}
interface ItemTexts {
  items: Array<{ id: string; name: string; column_values: Array<{ id: string; text: string | null }> }>;
}

describe('monday emulator: items_page_by_column_values after writes to the looked-up columns', () => {
  let em: MondayEmulator;
  let client: GraphQLClient;
  let actor: number;

  beforeAll(async () => {
    em = await startMondayEmulator({ seed: 'empty' });
    client = new GraphQLClient(em.url, { headers: { Authorization: em.apiToken } });
    actor = em.control.humanUsers()[0].id;
    em.control.seedBoard({
      id: BOARD,
      name: 'Lookup',
      ownerId: actor,
      groups: [{ id: 'topics', title: 'A' }],
      columns: [
        { id: 'sfid', title: 'Salesforce Id', type: 'text' },
        { id: 'email', title: 'Email', type: 'email' },
        { id: 'tags', title: 'Tags', type: 'status' },
      ],
    });
    em.control.seedItems(
      BOARD,
      Array.from({ length: 40 }, (_v, i) => ({
        name: `Org ${i % 7}`,
        columnValues: { sfid: `ID${i % 10}`, ...(i % 4 === 0 ? { email: { email: `a${i % 3}@x.org`, text: `a${i % 3}@x.org` } } : {}) },
      })),
    );
  });

  afterAll(async () => {
    await em.close();
  });

  /** Every page of a lookup, following the cursor. */
  async function lookup(columns: Array<{ column_id: string; column_values: string[] }>, limit = 7): Promise<string[]> {
    let page = (await client.request<Page>(LOOKUP, { board: String(BOARD), columns, limit })).items_page_by_column_values;
    const ids = page.items.map((i) => i.id);
    while (page.cursor) {
      page = (await client.request<Page>(NEXT, { board: String(BOARD), cursor: page.cursor, limit })).items_page_by_column_values;
      ids.push(...page.items.map((i) => i.id));
    }
    return ids;
  }

  /** What a scan gives: active items in creation order whose cell text (or a ", " part) is one of the values, for every column. */
  async function scan(columns: Array<{ column_id: string; column_values: string[] }>): Promise<string[]> {
    const active = em.control.listItems(BOARD).map((i) => String(i.id));
    const out: string[] = [];
    for (let start = 0; start < active.length; start += 100) {
      const chunk = active.slice(start, start + 100);
      const read = await client.request<ItemTexts>(TEXTS, { ids: chunk, limit: chunk.length });
      const byId = new Map(read.items.map((i) => [i.id, i]));
      for (const id of chunk) {
        const item = byId.get(id);
        if (!item) continue;
        const matches = columns.every(({ column_id, column_values }) => {
          const text = column_id === 'name' ? item.name : (item.column_values.find((c) => c.id === column_id)?.text ?? '');
          const texts = column_id === 'name' ? [text] : [text, ...text.split(', ')];
          return column_values.some((v) => texts.includes(v));
        });
        if (matches) out.push(id);
      }
    }
    return out;
  }

  const QUERIES: Array<Array<{ column_id: string; column_values: string[] }>> = [
    [{ column_id: 'sfid', column_values: ['ID1', 'ID3', 'NEW'] }],
    [{ column_id: 'sfid', column_values: [''] }],
    [{ column_id: 'sfid', column_values: ['B'] }],
    [{ column_id: 'email', column_values: ['a0@x.org', ''] }],
    [{ column_id: 'name', column_values: ['Org 2', 'Renamed'] }],
    [
      { column_id: 'sfid', column_values: ['ID2', 'NEW', ''] },
      { column_id: 'name', column_values: ['Org 2', 'Org 4', 'Renamed'] },
    ],
    [{ column_id: 'tags', column_values: [''] }],
  ];

  async function expectSameAsScan(): Promise<void> {
    for (const columns of QUERIES) expect({ columns, ids: await lookup(columns) }).toEqual({ columns, ids: await scan(columns) });
  }

  it('finds the same items as a scan before any write (the index is built on the first lookup)', async () => {
    expect(await lookup([{ column_id: 'sfid', column_values: ['ID1'] }])).toHaveLength(4);
    await expectSameAsScan();
  });

  it('follows updates, clears, renames, new items, archives, deletes and restores of looked-up items', async () => {
    const ids = em.control.listItems(BOARD).map((i) => i.id);
    const change = (item: number, cv: Record<string, unknown>) =>
      client.request(DOCS.changeMultiple, { board: String(BOARD), item: String(item), cv: JSON.stringify(cv) });

    await change(ids[1], { sfid: 'NEW' }); // ID1 -> NEW
    await change(ids[3], { sfid: null }); // ID3 cleared with null
    await client.request(DOCS.changeSimple, { board: String(BOARD), item: String(ids[13]), column: 'sfid', value: '' }); // ID3 cleared with ""
    await change(ids[11], { sfid: 'A, B' }); // a multi-part text: found by "B"
    await change(ids[0], { email: null, name: 'Renamed' });
    await change(ids[2], { email: { email: 'a0@x.org', text: 'a0@x.org' } });
    await client.request(DOCS.changeOne, { board: String(BOARD), item: String(ids[21]), column: 'sfid', value: JSON.stringify('ID3') });
    await client.request(DOCS.createItem, { board: String(BOARD), name: 'Org 2', cv: JSON.stringify({ sfid: 'NEW' }) });
    await client.request(DOCS.createItem, { board: String(BOARD), name: 'Renamed' });
    await client.request(DOCS.archiveItem, { item: String(ids[31]) }); // ID1
    await client.request(DOCS.deleteItem, { item: String(ids[5]) });
    em.control.renameItem({ itemId: ids[9], name: 'Org 4' });
    em.control.changeColumnValues({ itemId: ids[10], columnValues: { sfid: 'ID1' } });
    await expectSameAsScan();

    expect(await lookup([{ column_id: 'sfid', column_values: ['ID1'] }])).toEqual([String(ids[10])]);
    expect(await lookup([{ column_id: 'sfid', column_values: ['B'] }])).toEqual([String(ids[11])]);
    expect(await lookup([{ column_id: 'sfid', column_values: ['ID3'] }])).toEqual([ids[21], ids[23], ids[33]].map(String));

    em.control.restoreItem({ itemId: ids[31] });
    await change(ids[31], { sfid: 'ID3' });
    await expectSameAsScan();
    expect(await lookup([{ column_id: 'sfid', column_values: ['ID3'] }])).toEqual([ids[21], ids[23], ids[31], ids[33]].map(String));
  });

  it('after restore from a snapshot, answers from the restored state', async () => {
    const snapshot = em.control.snapshot();
    const ids = em.control.listItems(BOARD).map((i) => i.id);
    await client.request(DOCS.changeMultiple, { board: String(BOARD), item: String(ids[0]), cv: JSON.stringify({ sfid: 'GONE' }) });
    expect(await lookup([{ column_id: 'sfid', column_values: ['GONE'] }])).toEqual([String(ids[0])]);
    em.control.restore(snapshot);
    expect(await lookup([{ column_id: 'sfid', column_values: ['GONE'] }])).toEqual([]);
    await expectSameAsScan();
  });
});
