/**
 * Transport, versions, limits and errors (reference 1.2-1.5, 6.1-6.4): API-Version resolution, error
 * format per version, throttling with 429 + Retry-After + retry_in_seconds and the RateLimit headers,
 * complexity, minute, concurrency and daily limits, Idempotency-Key, authentication.
 */
import type { MondayEmulator, MondayEmulatorOptions } from '../../src/monday';
import { DEMO_BOARDS, startMondayEmulator } from '../../src/monday';
import { ScaledClock } from '../../src/clock';
import { DOCS } from './sandbox-monday-support';

const BOARD = String(DEMO_BOARDS.opportunities.id);

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { data?: Record<string, unknown>; errors?: Array<{ message: string; path?: unknown; extensions?: Record<string, unknown> }> };
}

async function post(em: MondayEmulator, query: string, variables?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(em.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: em.apiToken, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Reply['body'] };
}

describe('monday emulator limits and errors (reference 6)', () => {
  const started: MondayEmulator[] = [];
  const start = async (options: MondayEmulatorOptions = {}): Promise<MondayEmulator> => {
    const em = await startMondayEmulator({ seed: 'demo', ...options });
    started.push(em);
    return em;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((em) => em.close()));
  });

  it('no API-Version header serves Current; 2024-10 is routed to 2025-04; an unknown well-formed name serves Current (1.4)', async () => {
    const em = await start({ clock: new ScaledClock(1, Date.parse('2026-11-15T00:00:00Z')) });
    expect((await post(em, DOCS.me)).headers.get('api-version')).toBe('2026-10');
    expect((await post(em, DOCS.me, {}, { 'API-Version': '2024-10' })).headers.get('api-version')).toBe('2025-04');
    expect((await post(em, DOCS.me, {}, { 'API-Version': '2024-02' })).headers.get('api-version')).toBe('2026-10');
    const version = await post(em, DOCS.version, {}, { 'API-Version': '2027-01' });
    expect(version.body.data?.version).toEqual({ kind: 'release_candidate', value: '2027-01', display_name: expect.any(String) });
  });

  it('a malformed API-Version answers InvalidVersionException with HTTP 200 (1.4)', async () => {
    const em = await start();
    const r = await post(em, DOCS.me, {}, { 'API-Version': '2023' });
    expect(r.status).toBe(200);
    expect(r.body.errors?.[0].extensions?.code).toBe('InvalidVersionException');
  });

  it('Column.settings exists from 2025-10 and is an undefinedField validation error before (1.4)', async () => {
    const em = await start();
    const ids = [String(DEMO_BOARDS.opportunities.id)];
    const newer = await post(em, DOCS.boardColumnsTyped, { ids }, { 'API-Version': '2025-10' });
    const stage = (newer.body.data?.boards as Array<{ columns: Array<{ id: string; settings: { labels: unknown[] } }> }>)[0].columns.find((c) => c.id === 'stage');
    expect(stage?.settings.labels).toContainEqual({ id: 1, label: 'MOU', color: 'green-shadow', index: 2, is_done: true });
    const older = await post(em, DOCS.boardColumnsTyped, { ids }, { 'API-Version': '2025-07' });
    expect(older.status).toBe(200);
    expect(older.body.data).toBeUndefined();
    expect(older.body.errors?.[0]).toMatchObject({ message: "Field 'settings' doesn't exist on type 'Column'", extensions: { code: 'undefinedField', typeName: 'Column', fieldName: 'settings' } });
  });

  it('application errors are HTTP 200 with data null for the failed field and code, status_code, error_data (6.4)', async () => {
    const em = await start();
    const r = await post(em, DOCS.changeOne, { board: BOARD, item: '42', column: 'stage', value: JSON.stringify({ label: 'Done' }) });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ change_column_value: null });
    expect(r.body.errors?.[0]).toMatchObject({ path: ['change_column_value'], extensions: { code: 'ResourceNotFoundException', status_code: 404, error_data: expect.any(Object) } });
    expect(r.body.extensions).toEqual({ request_id: expect.any(String) });
  });

  it('legacy top-level errors are served only when asked for a ≤2024-10 version with serveDeprecatedVersions (6.2a, 6.4)', async () => {
    const em = await start({ serveDeprecatedVersions: true });
    const item = String(em.control.listItems(DEMO_BOARDS.opportunities.id)[0].id);
    const r = await post(em, DOCS.changeOne, { board: BOARD, item, column: 'stage', value: JSON.stringify({ label: 'Nope' }) }, { 'API-Version': '2024-10' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      error_code: 'ColumnValueException',
      status_code: 200,
      error_message: expect.stringContaining('label does not exist'),
      error_data: expect.objectContaining({ column_type: 'ColorColumn' }),
      account_id: expect.any(Number),
    });
  });

  it('complexity exhaustion: 429, Retry-After, RateLimit headers and the 2025-04 body with budget details (6.2b)', async () => {
    const em = await start({ limits: { complexityPerMinute: 25_000 } });
    const first = await post(em, DOCS.createItem, { board: BOARD, name: 'one' }, { 'API-Version': '2025-04' });
    expect(first.status).toBe(200);
    await post(em, DOCS.createItem, { board: BOARD, name: 'two' }, { 'API-Version': '2025-04' });
    const third = await post(em, DOCS.createItem, { board: BOARD, name: 'three' }, { 'API-Version': '2025-04' });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(third.body.errors?.[0]).toEqual({
      message: 'Complexity budget exhausted',
      extensions: {
        code: 'COMPLEXITY_BUDGET_EXHAUSTED',
        complexity: expect.any(Number),
        complexity_budget_left: expect.any(Number),
        complexity_budget_limit: 25_000,
        retry_in_seconds: expect.any(Number),
        status_code: 429,
      },
    });
    expect(third.headers.get('ratelimit-policy')).toContain('"complexityMinute";q=25000;w=60');
    expect(third.headers.get('ratelimit')).toMatch(/"complexityMinute";r=\d+;t=\d+/);
  });

  it('the legacy ComplexityException arrives with HTTP 200 and the budget in the message (6.2a)', async () => {
    const em = await start({ limits: { complexityPerMinute: 5_000 }, serveDeprecatedVersions: true });
    const r = await post(em, DOCS.createItem, { board: BOARD, name: 'too expensive' }, { 'API-Version': '2024-10' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ error_code: 'ComplexityException', status_code: 429, error_message: expect.stringMatching(/^Complexity budget exhausted, query cost \d+ budget remaining 5000 out of 5000 reset in \d+ seconds$/) });
  });

  it('the complexity budget resets a minute of emulated time after the window started (6.1)', async () => {
    const clock = new ScaledClock(1);
    const em = await start({ clock, limits: { complexityPerMinute: 12_000 } });
    expect((await post(em, DOCS.createItem, { board: BOARD, name: 'a' })).status).toBe(200);
    expect((await post(em, DOCS.createItem, { board: BOARD, name: 'b' })).status).toBe(429);
    clock.advance(60_000);
    expect((await post(em, DOCS.createItem, { board: BOARD, name: 'c' })).status).toBe(200);
  });

  it('the complexity field reports before, query and after for the call (3.5)', async () => {
    const em = await start();
    const r = await post(em, DOCS.meWithComplexity);
    const c = r.body.data?.complexity as { before: number; after: number; query: number; reset_in_x_seconds: number };
    expect(c.before - c.after).toBe(c.query);
    expect(c.before).toBe(10_000_000);
  });

  it('a query over 5,000,000 points is refused as a whole (6.1)', async () => {
    const em = await start();
    const r = await post(em, DOCS.bigRead);
    expect(r.body.errors?.[0].extensions?.code).toBe('maxComplexityExceeded');
  });

  it('the minute request limit answers 429 MINUTE_RATE_LIMIT_EXCEEDED with retry_in_seconds, and resets after the minute (6.4)', async () => {
    const clock = new ScaledClock(1);
    const em = await start({ clock, limits: { requestsPerMinute: 3 } });
    for (let i = 0; i < 3; i++) expect((await post(em, DOCS.me)).status).toBe(200);
    const limited = await post(em, DOCS.me);
    expect(limited.status).toBe(429);
    expect(limited.body.errors?.[0]).toEqual({ message: 'Minute rate limit exceeded', extensions: { code: 'MINUTE_RATE_LIMIT_EXCEEDED', retry_in_seconds: expect.any(Number) } });
    expect(limited.headers.get('ratelimit')).toMatch(/"minuteRate";r=0;t=\d+/);
    clock.advance(61_000);
    expect((await post(em, DOCS.me)).status).toBe(200);
  });

  it('the concurrency limit answers 429 MAX_CONCURRENCY_EXCEEDED while a slow request is in flight (6.4)', async () => {
    const em = await start({ limits: { concurrency: 1 } });
    em.control.addFault({ kind: 'latency', count: 1, latencyMs: 300, operation: 'boards' });
    const slow = post(em, DOCS.boards, { ids: [BOARD] });
    await new Promise((r) => setTimeout(r, 50));
    const racing = await post(em, DOCS.me);
    expect(racing.status).toBe(429);
    expect(racing.body.errors?.[0]).toEqual({ message: 'Too many concurrent requests', extensions: { code: 'MAX_CONCURRENCY_EXCEEDED', retry_in_seconds: 1 } });
    expect((await slow).status).toBe(200);
  });

  it('the daily call limit answers DAILY_LIMIT_EXCEEDED until 00:00 UTC of the emulated clock (6.1)', async () => {
    const clock = new ScaledClock(1, Date.parse('2026-11-20T23:00:00Z'));
    const em = await start({ clock, limits: { dailyCalls: 2 } });
    await post(em, DOCS.me);
    await post(em, DOCS.me);
    const limited = await post(em, DOCS.me);
    expect(limited.status).toBe(429);
    expect(limited.body.errors?.[0].extensions).toEqual({ code: 'DAILY_LIMIT_EXCEEDED', retry_in_seconds: expect.any(Number) });
    expect(limited.body.errors?.[0].extensions?.retry_in_seconds).toBeLessThanOrEqual(3600);
    clock.advance(3_600_000);
    expect((await post(em, DOCS.me)).status).toBe(200);
  });

  it('Idempotency-Key replays the cached mutation response with Idempotency-Replayed and runs it once (1.5)', async () => {
    const em = await start();
    const headers = { 'Idempotency-Key': 'trigger-123-create-item' };
    const first = await post(em, DOCS.createItem, { board: BOARD, name: 'Once only' }, headers);
    const second = await post(em, DOCS.createItem, { board: BOARD, name: 'Once only' }, headers);
    expect(second.headers.get('idempotency-replayed')).toBe('true');
    expect(second.body.data).toEqual(first.body.data);
    expect(em.control.listItems(DEMO_BOARDS.opportunities.id).filter((i) => i.name === 'Once only')).toHaveLength(1);
    const query = await post(em, DOCS.me, {}, headers);
    expect(query.headers.get('idempotency-replayed')).toBeNull();
  });

  it('expireIdempotencyKeys forgets every cached answer without moving the clock: the same key runs the mutation again (1.5)', async () => {
    const em = await start();
    const headers = { 'Idempotency-Key': 'before-the-outage' };
    await post(em, DOCS.createItem, { board: BOARD, name: 'Made twice' }, headers);
    const clock = em.control.now();
    em.control.expireIdempotencyKeys();
    const again = await post(em, DOCS.createItem, { board: BOARD, name: 'Made twice' }, headers);
    expect(again.headers.get('idempotency-replayed')).toBeNull();
    expect(em.control.listItems(DEMO_BOARDS.opportunities.id).filter((i) => i.name === 'Made twice')).toHaveLength(2);
    expect(em.control.now() - clock).toBeLessThan(60_000);
  });

  it('Idempotency-Key answers 409 IDEMPOTENCY_CONFLICT with Retry-After while the first request runs (1.5)', async () => {
    const em = await start();
    em.control.addFault({ kind: 'latency', count: 1, latencyMs: 300, operation: 'create_item' });
    const headers = { 'Idempotency-Key': 'slow-key' };
    const slow = post(em, DOCS.createItem, { board: BOARD, name: 'Slow' }, headers);
    await new Promise((r) => setTimeout(r, 20));
    const racing = await post(em, DOCS.createItem, { board: BOARD, name: 'Slow' }, headers);
    expect(racing.status).toBe(409);
    expect(racing.headers.get('retry-after')).toBe('1');
    expect(racing.body.errors?.[0]).toEqual({ message: 'A request with this idempotency key is currently being processed', extensions: { code: 'IDEMPOTENCY_CONFLICT' } });
    expect((await slow).status).toBe(200);
  });

  it('a missing or unknown token is 401; the raw token and a Bearer token are both accepted (1.2)', async () => {
    const em = await start();
    expect((await post(em, DOCS.me, {}, { authorization: '' })).status).toBe(401);
    expect((await post(em, DOCS.me, {}, { authorization: 'not-a-token' })).status).toBe(401);
    expect((await post(em, DOCS.me, {}, { authorization: `Bearer ${em.apiToken}` })).status).toBe(200);
  });

  it('invalid JSON is 400 JsonParseException, a body without query is 400, string variables are refused from 2025-04 (1.1)', async () => {
    const em = await start();
    const raw = (body: string): Promise<Response> => fetch(em.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: em.apiToken }, body });
    const bad = await raw('{not json');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Reply['body']).errors?.[0].extensions?.code).toBe('JsonParseException');
    expect((await raw('{"variables":{}}')).status).toBe(400);
    expect((await raw(JSON.stringify({ query: DOCS.users, variables: '{"emails":["a@b.c"]}' }))).status).toBe(400);
  });

  it('every response carries RateLimit-Policy and RateLimit headers with the remaining counts (6.1)', async () => {
    const em = await start();
    const a = await post(em, DOCS.me);
    const b = await post(em, DOCS.me);
    expect(a.headers.get('ratelimit-policy')).toBe('"minuteRate";q=5000;w=60, "concurrency";q=250;qu="concurrent-requests", "complexityMinute";q=10000000;w=60;qu="content-bytes"');
    expect(a.headers.get('ratelimit')).toMatch(/^"minuteRate";r=4999, "concurrency";r=\d+, "complexityMinute";r=\d+;t=\d+$/);
    expect(b.headers.get('ratelimit')).toMatch(/^"minuteRate";r=4998/);
  });
});
