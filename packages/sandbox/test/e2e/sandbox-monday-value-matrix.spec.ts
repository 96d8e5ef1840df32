/**
 * Value matrix for the monday emulator's validating column types (reference 5.1, addendum 3): each row
 * is written through change_multiple_column_values and must be accepted (reading back what monday
 * stores) or refused with monday's real error shape: HTTP 200, `data.<field>: null`, and
 * `extensions {code: "ColumnValueException", status_code: 200, error_data.column_type}`.
 */
import { ClientError, GraphQLClient } from 'graphql-request';
import type { MondayEmulator } from '../../src/monday';
import { startMondayEmulator } from '../../src/monday';
import { DOCS } from './sandbox-monday-support';

const BOARD = 4_100_000_001;

interface Cell {
  id: string;
  text: string | null;
  value: string | null;
  [typed: string]: unknown;
}

type Row = [column: string, value: unknown, expected: Record<string, unknown> | 'refused'];

const ACCEPTED_AND_REFUSED: Row[] = [
  // phone: libphonenumber validity for the given upper-case ISO-2 country
  ['phone', { phone: '+12025550169', countryShortName: 'US' }, { phone: '+12025550169', country_short_name: 'US' }],
  ['phone', { phone: '(202) 555-0169', countryShortName: 'US' }, { phone: '(202) 555-0169', country_short_name: 'US' }],
  ['phone', { phone: '+4930123456', countryShortName: 'DE' }, { phone: '+4930123456', country_short_name: 'DE' }],
  ['phone', { phone: '030 123456', countryShortName: 'DE' }, { phone: '030 123456', country_short_name: 'DE' }],
  ['phone', { phone: '+14165550123', countryShortName: 'CA' }, { country_short_name: 'CA' }],
  ['phone', '+14155550101 US', { phone: '+14155550101', country_short_name: 'US' }],
  ['phone', { phone: '555-0101', countryShortName: 'US' }, 'refused'],
  ['phone', { phone: '1234567', countryShortName: 'DE' }, 'refused'],
  ['phone', { phone: '+447911123456', countryShortName: 'US' }, 'refused'],
  ['phone', { phone: '+14165550123', countryShortName: 'US' }, 'refused'],
  ['phone', { phone: '+12025550169', countryShortName: 'UK' }, 'refused'],
  ['phone', { phone: '+12025550169', countryShortName: 'us' }, 'refused'],
  ['phone', { phone: '+12025550169', countryShortName: '' }, 'refused'],
  ['phone', { phone: '+12025550169' }, 'refused'],
  ['phone', { phone: 'call me maybe', countryShortName: 'US' }, 'refused'],
  ['phone', '+14155550101', 'refused'],
  ['phone', '+14155550101 us', 'refused'],
  // email: both keys, a syntactically valid address; a string takes the simple "address Display" form
  ['email', { email: 'a+tag@b.com', text: 'A' }, { email: 'a+tag@b.com', label: 'A', text: 'A' }],
  ['email', 'a@b.com A', { email: 'a@b.com', label: 'A', text: 'A' }],
  ['email', 'a@b.com', { email: 'a@b.com', text: 'a@b.com' }],
  ['email', { email: 'a@b.com' }, 'refused'],
  ['email', { email: 'not-an-address', text: 'x' }, 'refused'],
  ['email', { email: 'a@b', text: 'x' }, 'refused'],
  ['email', 'a b@c.com', 'refused'],
  // link: an absolute URL with a scheme; a string takes the simple "url text" form
  ['link', { url: 'https://x.org', text: 'go' }, { url: 'https://x.org', url_text: 'go', text: 'go - https://x.org' }],
  ['link', 'https://x.org go', { url: 'https://x.org', url_text: 'go' }],
  ['link', 'https://x.org', { url: 'https://x.org', url_text: 'https://x.org' }],
  ['link', { url: 'example.org', text: 'x' }, 'refused'],
  ['link', 'example.org', 'refused'],
  ['link', { url: 'https://', text: 'x' }, 'refused'],
  ['link', { url: 'nota url' }, 'refused'],
  // country: only the code is validated, the countryName key must be present and is echoed as sent
  ['country', { countryCode: 'US', countryName: 'United States' }, { text: 'United States', country: { code: 'US', name: 'United States' } }],
  ['country', { countryCode: 'US', countryName: '' }, { text: 'United States', country: { code: 'US', name: 'United States' } }],
  ['country', 'DE', { text: 'Germany', country: { code: 'DE', name: 'Germany' } }],
  ['country', { countryCode: 'US' }, 'refused'],
  ['country', { countryCode: 'UK', countryName: 'United Kingdom' }, 'refused'],
  ['country', { countryCode: 'us', countryName: 'United States' }, 'refused'],
  ['country', { countryCode: '', countryName: 'United States' }, 'refused'],
  ['country', { countryCode: 'lj09u9', countryName: 'United States' }, 'refused'],
  ['country', 'United States', 'refused'],
  // date: a real calendar date, optional two-digit UTC time
  ['date', { date: '2026-02-28' }, { date: '2026-02-28', time: null }],
  ['date', { date: '2026-02-28', time: '09:05:00' }, { date: '2026-02-28', time: '09:05:00' }],
  ['date', '2026-06-15 09:00:00', { date: '2026-06-15', time: '09:00:00' }],
  ['date', { date: '2026-02-30' }, 'refused'],
  ['date', { date: '15/06/2026' }, 'refused'],
  ['date', { date: '2026-06-15', time: '9:00' }, 'refused'],
  ['date', { date: '2026-06-15', time: '25:00:00' }, 'refused'],
  ['date', { date: '2026-06-15T09:00:00Z' }, 'refused'],
  ['date', '2026-06-15 09:00:00 extra', 'refused'],
];

const INTERNAL_TYPE: Record<string, string> = { phone: 'phone', email: 'email', link: 'link', country: 'country', date: 'date' };

describe('monday emulator value matrix (phone, email, link, country, date)', () => {
  let em: MondayEmulator;
  let client: GraphQLClient;

  beforeAll(async () => {
    em = await startMondayEmulator({ seed: 'empty' });
    client = new GraphQLClient(em.url, { headers: { Authorization: em.apiToken, 'API-Version': '2026-10' } });
    em.control.seedBoard({
      id: BOARD,
      name: 'Matrix',
      ownerId: em.control.humanUsers()[0].id,
      groups: [{ id: 'topics', title: 'Group' }],
      columns: [
        { id: 'phone', title: 'Phone', type: 'phone' },
        { id: 'email', title: 'Email', type: 'email' },
        { id: 'link', title: 'Link', type: 'link' },
        { id: 'country', title: 'Country', type: 'country' },
        { id: 'date', title: 'Date', type: 'date' },
      ],
    });
  });
  afterAll(async () => {
    await em.close();
  });

  const newItem = (): string => String(em.control.seedItems(BOARD, [{ name: 'Row' }])[0].id);
  const read = async (item: string, column: string): Promise<Cell> => {
    const r = await client.request<{ items: Array<{ column_values: Cell[] }> }>(DOCS.itemValues, { ids: [item] });
    const cell = r.items[0].column_values.find((c) => c.id === column);
    if (!cell) throw new Error(`no cell ${column}`);
    return cell;
  };

  it.each(ACCEPTED_AND_REFUSED)('%s %j -> %j', async (column, value, expected) => {
    const item = newItem();
    const cv = JSON.stringify({ [column]: value });
    const outcome = await client.request(DOCS.changeMultiple, { board: String(BOARD), item, cv }).catch((e: unknown) => e);
    if (expected === 'refused') {
      expect(outcome).toBeInstanceOf(ClientError);
      const response = (outcome as ClientError).response;
      expect(response.status).toBe(200);
      expect(response.data).toEqual({ change_multiple_column_values: null });
      expect(response.errors?.[0]).toMatchObject({
        path: ['change_multiple_column_values'],
        message: expect.stringMatching(/^invalid value - /),
        extensions: { code: 'ColumnValueException', status_code: 200, error_data: { column_type: INTERNAL_TYPE[column] } },
      });
      expect((await read(item, column)).value).toBeNull();
    } else {
      expect(outcome).toMatchObject({ change_multiple_column_values: { id: item } });
      expect(await read(item, column)).toMatchObject(expected);
    }
  });

  it('country: value echoes the countryName sent, even an empty one, while text comes from the code', async () => {
    const item = newItem();
    await client.request(DOCS.changeMultiple, { board: String(BOARD), item, cv: JSON.stringify({ country: { countryCode: 'US', countryName: 'monday.com' } }) });
    const cell = await read(item, 'country');
    expect(JSON.parse(String(cell.value))).toMatchObject({ countryCode: 'US', countryName: 'monday.com' });
    expect(cell.text).toBe('United States');
  });

  it('a refused value leaves the item untouched, including the valid columns written with it', async () => {
    const item = newItem();
    const cv = JSON.stringify({ email: 'a@b.com A', phone: { phone: '+12025550169', countryShortName: '' } });
    await expect(client.request(DOCS.changeMultiple, { board: String(BOARD), item, cv })).rejects.toBeInstanceOf(ClientError);
    expect((await read(item, 'email')).value).toBeNull();
  });

  it('change_simple_column_value: phone "+<number> <ISO-2>" validated the same way; country has no simple syntax', async () => {
    const item = newItem();
    await client.request(DOCS.changeSimple, { board: String(BOARD), item, column: 'phone', value: '+19175998722 US' });
    expect((await read(item, 'phone')).phone).toBe('+19175998722');
    const refused = (await client.request(DOCS.changeSimple, { board: String(BOARD), item, column: 'phone', value: '555-0101 US' }).catch((e: unknown) => e)) as ClientError;
    expect(refused.response.errors?.[0].extensions).toMatchObject({ code: 'ColumnValueException', error_data: { column_type: 'phone' } });
    const country = (await client.request(DOCS.changeSimple, { board: String(BOARD), item, column: 'country', value: 'US' }).catch((e: unknown) => e)) as ClientError;
    expect(country.response.errors?.[0].extensions).toMatchObject({ code: 'CorrectedValueException' });
  });
});
