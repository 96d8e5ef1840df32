/**
 * Column value semantics per type (reference 5.1, 5.3): what each type accepts as JSON and as a simple
 * string, what `value` and `text` read back, how it clears, and the error for an invalid value.
 */
import { ClientError, GraphQLClient } from 'graphql-request';
import type { MondayEmulator } from '../../src/monday';
import { startMondayEmulator } from '../../src/monday';
import { boardRelationSettings } from '../../src/monday/column-types/board-relation-column';
import { dropdownSettings } from '../../src/monday/column-types/dropdown-column';
import { DOCS } from './sandbox-monday-support';

const BOARD = 4_000_000_001;
const TARGET_BOARD = 4_000_000_002;

interface Cell {
  id: string;
  type: string;
  text: string | null;
  value: string | null;
  [typed: string]: unknown;
}

describe('monday emulator column values (reference 5.1)', () => {
  let em: MondayEmulator;
  let client: GraphQLClient;
  let itemId: string;
  let linkedId: number;
  let humanId: number;

  const write = (cv: Record<string, unknown>, labels?: boolean): Promise<unknown> =>
    client.request(DOCS.changeMultiple, { board: String(BOARD), item: itemId, cv: JSON.stringify(cv), labels });
  const writeSimple = (column: string, value: string | null): Promise<unknown> => client.request(DOCS.changeSimple, { board: String(BOARD), item: itemId, column, value });
  const read = async (column: string): Promise<Cell> => {
    const r = await client.request<{ items: Array<{ column_values: Cell[] }> }>(DOCS.itemValues, { ids: [itemId] });
    const cell = r.items[0].column_values.find((c) => c.id === column);
    if (!cell) throw new Error(`no cell ${column}`);
    return cell;
  };
  const errorOf = async (p: Promise<unknown>): Promise<{ code: unknown; data: unknown }> => {
    const e = (await p.catch((x: unknown) => x)) as ClientError;
    if (!(e instanceof ClientError)) throw new Error('expected a ClientError');
    const ext = e.response.errors?.[0].extensions as { code?: unknown; error_data?: unknown };
    return { code: ext.code, data: ext.error_data };
  };

  beforeAll(async () => {
    em = await startMondayEmulator({ seed: 'empty' });
    client = new GraphQLClient(em.url, { headers: { Authorization: em.apiToken, 'API-Version': '2026-10' } });
    humanId = em.control.humanUsers()[0].id;
    em.control.seedBoard({ id: TARGET_BOARD, name: 'Targets', ownerId: humanId, columns: [], groups: [{ id: 'topics', title: 'Group' }] });
    linkedId = em.control.seedItems(TARGET_BOARD, [{ name: 'Linked target' }])[0].id;
    em.control.seedBoard({
      id: BOARD,
      name: 'All types',
      ownerId: humanId,
      groups: [{ id: 'topics', title: 'Group' }],
      columns: [
        { id: 'text', title: 'Text', type: 'text' },
        { id: 'long_text', title: 'Long', type: 'long_text' },
        { id: 'numbers', title: 'Numbers', type: 'numbers' },
        { id: 'status', title: 'Status', type: 'status' },
        { id: 'dropdown', title: 'Dropdown', type: 'dropdown', settings: dropdownSettings(['Linux', 'Android', 'iOS']) },
        { id: 'date', title: 'Date', type: 'date' },
        { id: 'timeline', title: 'Timeline', type: 'timeline' },
        { id: 'people', title: 'People', type: 'people' },
        { id: 'email', title: 'Email', type: 'email' },
        { id: 'phone', title: 'Phone', type: 'phone' },
        { id: 'link', title: 'Link', type: 'link' },
        { id: 'checkbox', title: 'Check', type: 'checkbox' },
        { id: 'relation', title: 'Relation', type: 'board_relation', settings: { ...boardRelationSettings([TARGET_BOARD]) } },
        { id: 'country', title: 'Country', type: 'country' },
      ],
    });
    itemId = String(em.control.seedItems(BOARD, [{ name: 'Subject' }])[0].id);
  });
  afterAll(async () => {
    await em.close();
  });

  it('text: writes a string, reads value as the JSON string of the text, clears with null', async () => {
    await write({ text: 'Sample text' });
    expect(await read('text')).toMatchObject({ text: 'Sample text', value: JSON.stringify('Sample text') });
    await write({ text: null });
    expect(await read('text')).toMatchObject({ text: '', value: null });
    expect(await errorOf(write({ text: { nested: true } }))).toMatchObject({ code: 'ColumnValueException', data: { column_type: 'text' } });
  });

  it('long_text: {"text"} with changed_at, max 2,000 characters', async () => {
    await write({ long_text: { text: 'line1\nline2' } });
    const cell = await read('long_text');
    expect(cell.text).toBe('line1\nline2');
    expect(JSON.parse(String(cell.value))).toEqual({ text: 'line1\nline2', changed_at: expect.stringMatching(/Z$/) });
    await write({ long_text: '' });
    expect((await read('long_text')).value).toBeNull();
    expect((await errorOf(write({ long_text: { text: 'x'.repeat(2001) } }))).code).toBe('ColumnValueException');
  });

  it('numbers: a string holding a number, value is the JSON string of that string, simple "3"', async () => {
    await write({ numbers: '3.5' });
    expect(await read('numbers')).toMatchObject({ text: '3.5', value: '"3.5"', number: 3.5 });
    await writeSimple('numbers', '3');
    expect(await read('numbers')).toMatchObject({ text: '3', value: '"3"' });
    await writeSimple('numbers', '');
    expect((await read('numbers')).value).toBeNull();
    expect((await errorOf(write({ numbers: 'three' }))).code).toBe('ColumnValueException');
  });

  it('status: label or index (label id), default labels 0/1/2 and empty 5, unknown label rejected unless create_labels_if_missing (5.1, 5.3)', async () => {
    await write({ status: { label: 'Done' } });
    const done = await read('status');
    expect(done).toMatchObject({ text: 'Done', index: 1, label: 'Done', is_done: true, label_style: { color: '#00c875' } });
    expect(JSON.parse(String(done.value))).toEqual({ index: 1, post_id: null, changed_at: expect.any(String) });
    await write({ status: { index: 2 } });
    expect((await read('status')).text).toBe('Stuck');
    await writeSimple('status', '0');
    expect((await read('status')).text).toBe('Working on it');
    expect(await errorOf(write({ status: { label: 'Blocked' } }))).toMatchObject({ code: 'ColumnValueException', data: { column_type: 'color' } });
    await write({ status: { label: 'Blocked' } }, true);
    const created = await read('status');
    expect(created).toMatchObject({ text: 'Blocked', index: 3 });
    await write({ status: null });
    expect(await read('status')).toMatchObject({ text: null, value: null, index: 5 });
  });

  it('dropdown: labels or ids, value {"ids"}, text "A, B", unknown label rejected, clears with empty labels', async () => {
    await write({ dropdown: { labels: ['Linux', 'iOS'] } });
    const cell = await read('dropdown');
    expect(cell).toMatchObject({ text: 'Linux, iOS', values: [{ id: '1', label: 'Linux' }, { id: '3', label: 'iOS' }] });
    expect(JSON.parse(String(cell.value))).toEqual({ ids: [1, 3] });
    await write({ dropdown: { ids: [2] } });
    expect((await read('dropdown')).text).toBe('Android');
    await writeSimple('dropdown', 'Linux, Android');
    expect((await read('dropdown')).text).toBe('Linux, Android');
    expect((await errorOf(write({ dropdown: { labels: ['Windows'] } }))).code).toBe('ColumnValueException');
    await write({ dropdown: { labels: [] } });
    expect(await read('dropdown')).toMatchObject({ text: null, value: null });
  });

  it('date: date and optional UTC time, simple "YYYY-MM-DD HH:MM:SS", invalid dates rejected', async () => {
    await write({ date: { date: '2026-06-15', time: '09:00:00' } });
    const cell = await read('date');
    expect(cell).toMatchObject({ date: '2026-06-15', time: '09:00:00', text: '2026-06-15 09:00' });
    expect(JSON.parse(String(cell.value))).toMatchObject({ date: '2026-06-15', time: '09:00:00', changed_at: expect.any(String) });
    await writeSimple('date', '2026-07-01');
    expect(await read('date')).toMatchObject({ date: '2026-07-01', time: null, text: '2026-07-01' });
    expect(await errorOf(write({ date: { date: '2026-02-30' } }))).toMatchObject({ code: 'ColumnValueException', data: { column_type: 'date' } });
    await write({ date: null });
    expect((await read('date')).value).toBeNull();
  });

  it('timeline: {"from","to"}, no simple syntax (CorrectedValueException), from after to rejected', async () => {
    await write({ timeline: { from: '2026-06-03', to: '2026-06-07' } });
    expect(await read('timeline')).toMatchObject({ from: '2026-06-03', to: '2026-06-07', text: '2026-06-03 - 2026-06-07' });
    expect((await errorOf(writeSimple('timeline', '2026-06-03'))).code).toBe('CorrectedValueException');
    expect((await errorOf(write({ timeline: { from: '2026-06-09', to: '2026-06-07' } }))).code).toBe('ColumnValueException');
  });

  it('people: personsAndTeams replaces the list, text = names, simple user ids, unknown users rejected', async () => {
    const [a, b] = em.control.humanUsers();
    await write({ people: { personsAndTeams: [{ id: a.id, kind: 'person' }, { id: b.id, kind: 'person' }] } });
    const cell = await read('people');
    expect(cell).toMatchObject({ text: `${a.name}, ${b.name}`, persons_and_teams: [{ id: String(a.id), kind: 'person' }, { id: String(b.id), kind: 'person' }] });
    expect(JSON.parse(String(cell.value)).personsAndTeams).toEqual([{ id: a.id, kind: 'person' }, { id: b.id, kind: 'person' }]);
    await writeSimple('people', String(b.id));
    expect((await read('people')).text).toBe(b.name);
    expect((await errorOf(write({ people: { personsAndTeams: [{ id: 1, kind: 'person' }] } }))).code).toBe('ColumnValueException');
  });

  it('email: both keys required, text is the display text, simple "address Display"', async () => {
    await write({ email: { email: 'a@b.com', text: 'Display' } });
    expect(await read('email')).toMatchObject({ email: 'a@b.com', label: 'Display', text: 'Display' });
    await writeSimple('email', 'c@d.org Carla');
    expect(await read('email')).toMatchObject({ email: 'c@d.org', text: 'Carla' });
    expect((await errorOf(write({ email: { email: 'not-an-address', text: 'x' } }))).code).toBe('ColumnValueException');
    expect((await errorOf(write({ email: { email: 'a@b.com' } }))).code).toBe('ColumnValueException');
  });

  it('phone: number plus upper-case ISO-2 countryShortName, simple "+1917... US"', async () => {
    await write({ phone: { phone: '+12025550169', countryShortName: 'US' } });
    expect(await read('phone')).toMatchObject({ phone: '+12025550169', country_short_name: 'US', text: '+12025550169' });
    await writeSimple('phone', '+19175998722 US');
    expect((await read('phone')).phone).toBe('+19175998722');
    expect((await errorOf(write({ phone: { phone: '+12025550169', countryShortName: 'us' } }))).code).toBe('ColumnValueException');
  });

  it('link: url and text, text reads "text - url"', async () => {
    await write({ link: { url: 'https://monday.com', text: 'go' } });
    expect(await read('link')).toMatchObject({ url: 'https://monday.com', url_text: 'go', text: 'go - https://monday.com' });
    await writeSimple('link', 'https://example.com Example');
    expect((await read('link')).url_text).toBe('Example');
    expect((await errorOf(write({ link: { url: 'nota url' } }))).code).toBe('ColumnValueException');
  });

  it('checkbox: {"checked":"true"} reads "v", null unchecks, no simple syntax', async () => {
    await write({ checkbox: { checked: 'true' } });
    const cell = await read('checkbox');
    expect(cell).toMatchObject({ text: 'v', checked: true });
    expect(JSON.parse(String(cell.value))).toMatchObject({ checked: true });
    await write({ checkbox: null });
    expect(await read('checkbox')).toMatchObject({ text: '', value: null, checked: false });
    expect((await errorOf(writeSimple('checkbox', 'true'))).code).toBe('CorrectedValueException');
  });

  it('board_relation: item_ids of a connected board, read linked_item_ids, value and text null from 2025-04, linkedPulseIds not writable', async () => {
    await write({ relation: { item_ids: [linkedId] } });
    expect(await read('relation')).toMatchObject({
      value: null,
      text: null,
      linked_item_ids: [String(linkedId)],
      display_value: 'Linked target',
      linked_items: [{ id: String(linkedId), name: 'Linked target' }],
    });
    expect((await errorOf(write({ relation: { linkedPulseIds: [{ linkedPulseId: linkedId }] } }))).code).toBe('ColumnValueException');
    expect((await errorOf(write({ relation: { item_ids: [Number(itemId)] } }))).code).toBe('ColumnValueException');
    await write({ relation: { item_ids: [] } });
    expect((await read('relation')).linked_item_ids).toEqual([]);
  });

  it('board_relation value still reads linkedPulseIds for versions before 2025-04 when served as asked (1.4)', async () => {
    const legacy = await startMondayEmulator({ seed: 'empty', serveDeprecatedVersions: true });
    try {
      const human = legacy.control.humanUsers()[0].id;
      legacy.control.seedBoard({ id: TARGET_BOARD, name: 'T', ownerId: human, columns: [], groups: [{ id: 'topics', title: 'G' }] });
      const target = legacy.control.seedItems(TARGET_BOARD, [{ name: 'T1' }])[0].id;
      legacy.control.seedBoard({ id: BOARD, name: 'B', ownerId: human, groups: [{ id: 'topics', title: 'G' }], columns: [{ id: 'rel', title: 'Rel', type: 'board_relation', settings: { ...boardRelationSettings([TARGET_BOARD]) } }] });
      const item = legacy.control.seedItems(BOARD, [{ name: 'I', columnValues: { rel: { item_ids: [target] } } }])[0].id;
      const old = new GraphQLClient(legacy.url, { headers: { Authorization: legacy.apiToken, 'API-Version': '2025-01' } });
      const r = await old.request<{ items: Array<{ column_values: Cell[] }> }>(DOCS.itemValues, { ids: [String(item)] });
      expect(JSON.parse(String(r.items[0].column_values[0].value))).toMatchObject({ linkedPulseIds: [{ linkedPulseId: target }] });
    } finally {
      await legacy.close();
    }
  });

  it('country: countryCode and countryName, text is the name, unknown codes rejected', async () => {
    await write({ country: { countryCode: 'US', countryName: 'United States' } });
    expect(await read('country')).toMatchObject({ text: 'United States', country: { code: 'US', name: 'United States' } });
    expect((await errorOf(write({ country: { countryCode: 'XX', countryName: 'Nowhere' } }))).code).toBe('ColumnValueException');
  });

  it('an unknown column id fails with InvalidColumnIdException and leaves the other columns untouched (6.3)', async () => {
    await write({ text: 'before' });
    const error = await errorOf(write({ text: 'after', nope: 'x' }));
    expect(error).toEqual({ code: 'InvalidColumnIdException', data: { column_id: 'nope' } });
    expect((await read('text')).text).toBe('before');
  });

  it('an unknown item fails with ResourceNotFoundException (no ItemNotFoundException exists, 6.3)', async () => {
    const e = await errorOf(client.request(DOCS.changeMultiple, { board: String(BOARD), item: '1', cv: '{}' }));
    expect(e.code).toBe('ResourceNotFoundException');
  });

  it('an item name outside 1-255 characters fails with ItemNameTooLongException (4)', async () => {
    expect((await errorOf(client.request(DOCS.createItem, { board: String(BOARD), name: 'x'.repeat(256) }))).code).toBe('ItemNameTooLongException');
  });

  it('the name column is written through change_multiple_column_values {"name": ...} (4)', async () => {
    await write({ name: 'Renamed subject' });
    expect(em.control.getItem(Number(itemId))?.name).toBe('Renamed subject');
  });
});
