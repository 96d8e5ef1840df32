import jwt from 'jsonwebtoken';
import { mondayJwt, samplePayloads, triggerUuid } from '../support/monday-webhooks';
import { startTestService, TEST_SIGNING_SECRET, TEST_WEBHOOK_TOKEN, type TestService } from '../support/test-service';

describe('POST /webhooks/monday (interface.md section 3)', () => {
  let t: TestService;
  const ownUserId = 99001;
  beforeAll(async () => {
    t = await startTestService({}, { mondayUserId: ownUserId });
  });
  afterAll(async () => t.stop());

  const post = (body: unknown, options: { auth?: string | null; query?: string; raw?: string } = {}) =>
    fetch(`${t.url}/webhooks/monday${options.query ?? ''}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.auth === null ? {} : { authorization: options.auth ?? mondayJwt(TEST_SIGNING_SECRET) }),
      },
      body: options.raw ?? JSON.stringify(body),
    });
  const countEvents = async (sourceEventId: string): Promise<number> =>
    (await t.db.pool.query('SELECT count(*)::int AS n FROM events WHERE source_event_id = $1', [sourceEventId])).rows[0].n;
  const totalEvents = async (): Promise<number> => (await t.db.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n;

  it('echoes the challenge without authentication', async () => {
    const response = await post({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' }, { auth: null });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('accepts a valid JWT (raw and Bearer) and stores the event before answering', async () => {
    for (const auth of [mondayJwt(TEST_SIGNING_SECRET), `Bearer ${mondayJwt(TEST_SIGNING_SECRET)}`]) {
      const event = samplePayloads.update_column_value();
      const response = await post({ event }, { auth });
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body).toEqual({ ok: true, event: expect.any(Number), duplicate: false });
      const { rows } = await t.db.pool.query('SELECT position, type, stream, payload FROM events WHERE source_event_id = $1', [event.triggerUuid]);
      expect(rows[0]).toMatchObject({ type: 'monday.column_changed', stream: 'monday:item:7786784079', payload: event });
      expect(Number(rows[0].position)).toBe(body.event);
    }
  });

  it.each([
    ['a JWT signed with the wrong secret', () => ({ auth: mondayJwt('some-other-secret') })],
    ['an expired JWT', () => ({ auth: mondayJwt(TEST_SIGNING_SECRET, {}, { expiresIn: -60 }) })],
    // jsonwebtoken enforces exp only when present: a token without one would be valid forever.
    ['a JWT without exp', () => ({ auth: jwt.sign({ accountId: 1825529, userId: 4012689 }, TEST_SIGNING_SECRET, { algorithm: 'HS256' }) })],
    ['a JWT with another algorithm', () => ({ auth: mondayJwt(TEST_SIGNING_SECRET, {}, { algorithm: 'HS512' }) })],
    ['no credentials', () => ({ auth: null })],
    ['a wrong ?token=', () => ({ auth: null, query: '?token=wrong' })],
  ])('refuses %s with 401 and stores nothing', async (_name, options) => {
    const before = await totalEvents();
    const response = await post({ event: samplePayloads.create_pulse() }, options());
    expect(response.status).toBe(401);
    expect(await totalEvents()).toBe(before);
  });

  it('accepts ?token= equal to MONDAY_WEBHOOK_TOKEN', async () => {
    const event = samplePayloads.create_pulse();
    const response = await post({ event }, { auth: null, query: `?token=${TEST_WEBHOOK_TOKEN}` });
    expect(response.status).toBe(200);
    expect(await countEvents(event.triggerUuid)).toBe(1);
  });

  it('answers a redelivered triggerUuid with duplicate: true and stores no second event', async () => {
    const event = samplePayloads.update_name();
    await post({ event });
    const again = await post({ event: { ...event, isRetry: true } });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, event: null, duplicate: true });
    expect(await countEvents(event.triggerUuid)).toBe(1);
  });

  it('rejects malformed JSON with 400 naming the problem and records it without the Authorization header', async () => {
    const response = await post(null, { raw: '{"event": {"type": "create_pulse",' });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/not valid JSON/);
    const { rows } = await t.db.pool.query("SELECT reason, headers, body FROM ingest_rejections WHERE reason LIKE 'invalid_json%'");
    expect(rows).toHaveLength(1);
    expect(rows[0].body).toBe('{"event": {"type": "create_pulse",');
    expect(rows[0].headers.authorization).toBeUndefined();
    expect(rows[0].headers['content-type']).toBe('application/json');
  });

  it('rejects a body without an event object with 400', async () => {
    const response = await post({ events: [] });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/"event" object/);
  });

  it('rejects a known event type with missing or mistyped fields, naming each field', async () => {
    const { pulseId: _dropped, ...event } = samplePayloads.create_pulse();
    const response = await post({ event: { ...event, userId: 'someone' } });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error).toMatch(/event\.pulseId/);
    expect(error).toMatch(/event\.userId/);
    expect(await countEvents(event.triggerUuid)).toBe(0);
  });

  it('answers 413 for a body over 1 MiB from an authenticated sender', async () => {
    const big = { event: { ...samplePayloads.create_update(), body: 'x'.repeat(1024 * 1024 + 10) } };
    const response = await post(big);
    expect(response.status).toBe(413);
    expect(await countEvents(big.event.triggerUuid)).toBe(0);
  });

  it('stores a cleared cell (value null) and refuses a column change with no value at all', async () => {
    const cleared = { ...samplePayloads.update_column_value(), value: null, previousValue: { label: { index: 0, text: 'Working on it' } } };
    expect((await post({ event: cleared })).status).toBe(200);
    expect(await countEvents(cleared.triggerUuid)).toBe(1);
    const { value: _missing, ...noValue } = samplePayloads.update_column_value();
    const refused = await post({ event: noValue });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatch(/event\.value/);
  });

  it('stores an unknown event type as such instead of rejecting it', async () => {
    const event = { ...samplePayloads.create_pulse(), type: 'brand_new_event_type', pulseId: 123 };
    const response = await post({ event });
    expect(response.status).toBe(200);
    const { rows } = await t.db.pool.query('SELECT type, payload FROM events WHERE source_event_id = $1', [event.triggerUuid]);
    expect(rows[0]).toMatchObject({ type: 'monday.unknown', payload: { type: 'brand_new_event_type' } });
  });

  it.each([
    ['create_pulse', 'monday.item_created', 'monday:item:8409778368'],
    ['create_subitem', 'monday.item_created', 'monday:item:8409778369'],
    ['update_column_value', 'monday.column_changed', 'monday:item:7786784079'],
    ['board_relation_changed', 'monday.column_changed', 'monday:item:7786784079'],
    ['update_name', 'monday.item_renamed', 'monday:item:7786784003'],
    ['delete_pulse', 'monday.item_deleted', 'monday:item:8409778368'],
    ['archive_pulse', 'monday.item_archived', 'monday:item:8409778368'],
    ['restore_pulse', 'monday.item_restored', 'monday:item:8409778368'],
    ['move_pulse_into_group', 'monday.item_moved', 'monday:item:7786784190'],
    ['create_update', 'monday.item_update_posted', 'monday:item:1771812728'],
    ['edit_update', 'monday.item_update_posted', 'monday:item:1771812728'],
    ['delete_update', 'monday.item_update_posted', 'monday:item:1771812728'],
    ['create_column', 'monday.column_created', 'monday:board:7786783342'],
  ] as const)('stores %s as %s on stream %s with the payload whole', async (sample, type, stream) => {
    const event = samplePayloads[sample]();
    const response = await post({ event });
    expect(response.status).toBe(200);
    const { rows } = await t.db.pool.query('SELECT type, stream, origin, payload, occurred_at FROM events WHERE source_event_id = $1', [event.triggerUuid]);
    expect(rows[0]).toMatchObject({ type, stream, origin: 'user', payload: event });
  });

  it('tags an event made by our own integration user as own_echo', async () => {
    const event = { ...samplePayloads.update_column_value(), userId: ownUserId };
    await post({ event });
    const { rows } = await t.db.pool.query('SELECT origin FROM events WHERE source_event_id = $1', [event.triggerUuid]);
    expect(rows[0].origin).toBe('own_echo');
  });

  it('never writes a secret to the logs', async () => {
    const wrongJwt = mondayJwt('wrong-secret');
    await post({ event: samplePayloads.create_pulse() }, { auth: null, query: `?token=${TEST_WEBHOOK_TOKEN}` });
    await post({ event: samplePayloads.create_pulse() }, { auth: wrongJwt });
    const all = t.rawLogs.join('\n');
    expect(t.rawLogs.length).toBeGreaterThan(0);
    expect(all).not.toContain(TEST_WEBHOOK_TOKEN);
    expect(all).not.toContain(TEST_SIGNING_SECRET);
    expect(all).not.toContain(wrongJwt);
    // Each request is logged at debug (request-logging.ts), the token-bearing parts redacted.
    const requests = t.logs.filter((line) => (line.req as { url?: string } | undefined)?.url?.startsWith('/webhooks/monday'));
    expect(requests.map((line) => (line.req as { url: string }).url)).toContain('/webhooks/monday?token=[redacted]');
    expect(requests.map((line) => (line.req as { headers: Record<string, string> }).headers.authorization)).toContain('[redacted]');
  });

  it('answers 503 once the service is draining for shutdown', async () => {
    t.service.runtime.lifecycle.startDraining();
    const response = await post({ event: samplePayloads.create_pulse() });
    expect(response.status).toBe(503);
  });
});

describe('JWT audience when PUBLIC_URL is set', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ PUBLIC_URL: 'https://sync.example.org' });
  });
  afterAll(async () => t.stop());

  it('accepts aud = PUBLIC_URL + path and refuses another audience', async () => {
    const send = (aud: string) =>
      fetch(`${t.url}/webhooks/monday`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: mondayJwt(TEST_SIGNING_SECRET, { aud }) },
        body: JSON.stringify({ event: { ...samplePayloads.create_pulse(), triggerUuid: triggerUuid() } }),
      });
    expect((await send('https://sync.example.org/webhooks/monday')).status).toBe(200);
    expect((await send('https://evil.example.org/webhooks/monday')).status).toBe(401);
  });
});
