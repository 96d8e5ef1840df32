/**
 * The real clients work against the emulator unchanged (issue 3): graphql-request 6 and the official
 * @mondaydotcomorg/api ApiClient — queries, aliased mutations, and what they throw on 429 and on
 * complexity exhaustion (reference 1.6, 6.2).
 */
import { ApiClient, ClientError as MondayClientError } from '@mondaydotcomorg/api';
import { ClientError, GraphQLClient } from 'graphql-request';
import type { MondayEmulator } from '../../src/monday';
import { DEMO_BOARDS, startMondayEmulator } from '../../src/monday';
import { DOCS } from './sandbox-monday-support';

const BOARD = String(DEMO_BOARDS.opportunities.id);

describe('monday emulator with the real clients', () => {
  let em: MondayEmulator;
  let client: GraphQLClient;

  beforeAll(async () => {
    em = await startMondayEmulator({ seed: 'demo' });
    client = new GraphQLClient(em.url, { headers: { Authorization: em.apiToken, 'API-Version': '2026-10' } });
  });
  afterAll(async () => {
    await em.close();
  });
  afterEach(() => {
    em.control.clearFaults();
    em.control.resetRateLimits();
  });

  it('graphql-request reads me and the demo boards', async () => {
    const me = await client.request<{ me: { id: string; email: string } }>(DOCS.me);
    expect(me.me).toEqual({ id: String(em.integrationUserId), name: 'CRM Sync Integration', email: 'integration@crm-sync.example' });
    const boards = await client.request<{ boards: Array<{ id: string; name: string; columns: Array<{ id: string }> }> }>(DOCS.boards, {
      ids: [String(DEMO_BOARDS.leads.id)],
    });
    expect(boards.boards[0].name).toBe('Leads');
    expect(boards.boards[0].columns.length).toBeGreaterThanOrEqual(25);
  });

  it('graphql-request runs aliased mutations in order in one request', async () => {
    const existing = em.control.listItems(DEMO_BOARDS.opportunities.id)[0];
    const result = await client.request<{ first: { id: string; name: string }; second: { id: string }; third: { id: string }; complexity: { query: number } }>(
      DOCS.aliasedWrites,
      { board: BOARD, a: JSON.stringify({ stage: { label: 'Quote' } }), b: JSON.stringify({ amount: '77' }), item: String(existing.id) },
    );
    expect(result.first.name).toBe('Aliased one');
    expect(Number(result.third.id)).toBeGreaterThan(Number(result.first.id));
    expect(result.complexity.query).toBeGreaterThanOrEqual(20_000);
    expect(em.control.getItem(existing.id)?.values.amount.data).toBe('77');
  });

  it('graphql-request throws ClientError with the per-alias error and partial data (reference 4, 6.2b)', async () => {
    const error = await client
      .request(DOCS.aliasedWrites, { board: BOARD, a: '{}', b: '{"stage":{"label":"No such stage"}}', item: String(em.control.listItems(DEMO_BOARDS.opportunities.id)[0].id) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    const response = (error as ClientError).response;
    expect(response.status).toBe(200);
    expect((response.data as Record<string, unknown>).second).toBeNull();
    expect((response.data as Record<string, { id: string }>).first.id).toBeDefined();
    expect(response.errors?.[0]).toMatchObject({ path: ['second'], extensions: { code: 'ColumnValueException', error_data: { column_type: 'color' } } });
  });

  it('graphql-request throws ClientError with status 429, Retry-After and retry_in_seconds on the minute limit (reference 6.4)', async () => {
    em.control.addFault({ kind: 'http_429', count: 1 });
    const error = (await client.request(DOCS.me).catch((e: unknown) => e)) as ClientError;
    expect(error).toBeInstanceOf(ClientError);
    expect(error.response.status).toBe(429);
    expect(Number((error.response.headers as Headers).get('retry-after'))).toBeGreaterThan(0);
    expect(error.response.errors?.[0]).toMatchObject({ message: 'Minute rate limit exceeded', extensions: { code: 'MINUTE_RATE_LIMIT_EXCEEDED' } });
    expect(typeof (error.response.errors?.[0].extensions as { retry_in_seconds?: unknown }).retry_in_seconds).toBe('number');
  });

  it('the official ApiClient reads and writes through the emulator endpoint', async () => {
    const api = new ApiClient({ token: em.apiToken, endpoint: em.url, apiVersion: '2026-01' });
    const me = await api.request<{ me: { id: string } }>(DOCS.me);
    expect(me.me.id).toBe(String(em.integrationUserId));
    const created = await api.request<{ create_item: { id: string; name: string } }>(DOCS.createItem, {
      board: BOARD,
      name: 'Created by ApiClient',
      cv: JSON.stringify({ amount: '1200', stage: { index: 0 } }),
    });
    expect(em.control.getItem(Number(created.create_item.id))?.values.stage.data).toBe(0);
  });

  it('the official ApiClient throws ClientError on complexity exhaustion with the 2026-01 shape (reference 6.2c)', async () => {
    const tight = await startMondayEmulator({ seed: 'demo', limits: { complexityPerMinute: 15_000 } });
    try {
      const api = new ApiClient({ token: tight.apiToken, endpoint: tight.url, apiVersion: '2026-01' });
      await api.request(DOCS.createItem, { board: BOARD, name: 'fits the budget' });
      const error = (await api.request(DOCS.createItem, { board: BOARD, name: 'over budget' }).catch((e: unknown) => e)) as MondayClientError;
      expect(error).toBeInstanceOf(MondayClientError);
      expect(error.response.status).toBe(429);
      expect(error.response.errors?.[0]).toEqual({ message: 'Complexity budget exhausted', extensions: { code: 'COMPLEXITY_BUDGET_EXHAUSTED', retry_in_seconds: expect.any(Number) } });
      expect(tight.control.listItems(DEMO_BOARDS.opportunities.id).some((i) => i.name === 'over budget')).toBe(false);
    } finally {
      await tight.close();
    }
  });
});
