import { mondayJwt, samplePayloads } from '../support/monday-webhooks';
import { startTestService, TEST_SIGNING_SECRET, type TestService } from '../support/test-service';

/**
 * Issue 13, defects 2 and 5: signed payloads the projector, Postgres or `Date` cannot handle are
 * refused with 400 naming the field and kept for audit (made storable), never stored as events and
 * never a 500, for themselves or for the valid webhooks batched with them.
 */
describe('POST /webhooks/monday with payloads that cannot be decided or stored', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(async () => t.stop());

  const postRaw = (raw: string) =>
    fetch(`${t.url}/webhooks/monday`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: mondayJwt(TEST_SIGNING_SECRET) },
      body: raw,
    });
  const post = (event: unknown) => postRaw(JSON.stringify({ event }));
  const countEvents = async (sourceEventId: string): Promise<number> =>
    (await t.db.pool.query('SELECT count(*)::int AS n FROM events WHERE source_event_id = $1', [sourceEventId])).rows[0].n;
  const rejectionsMatching = async (pattern: string) =>
    (await t.db.pool.query<{ reason: string; body: string }>('SELECT reason, body FROM ingest_rejections WHERE reason LIKE $1 ORDER BY id', [pattern])).rows;

  it.each([
    ['update_name without value', () => omit(samplePayloads.update_name(), 'value'), /event\.value/],
    ['update_name with value null', () => ({ ...samplePayloads.update_name(), value: null }), /event\.value/],
    ['update_name with a list for value', () => ({ ...samplePayloads.update_name(), value: [] }), /event\.value/],
    ['update_name without value.name', () => ({ ...samplePayloads.update_name(), value: {} }), /event\.value\.name/],
    ['delete_pulse without itemId', () => omit(samplePayloads.delete_pulse(), 'itemId'), /event\.itemId/],
    ['an item id no item has', () => ({ ...samplePayloads.update_column_value(), pulseId: 1e300 }), /event\.pulseId/],
    ['an unknown type with a triggerUuid that is no id', () => ({ ...samplePayloads.create_pulse(), type: 'brand_new', triggerUuid: 'x'.repeat(5000) }), /event\.triggerUuid/],
  ])('refuses %s with 400 naming the field, records it, and stores no event', async (_name, make, field) => {
    const event = make();
    const response = await post(event);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(field);
    expect(await countEvents(event.triggerUuid)).toBe(0);
    expect((await rejectionsMatching('invalid_payload%')).some((r) => r.body.includes(event.triggerUuid.slice(0, 64)))).toBe(true);
  });

  /** Written as text: JSON.stringify itself runs out of stack long before 5,000 levels. */
  const DEEP = '__deep__';
  const deepJson = (levels: number): string => `${'{"v":'.repeat(levels)}"bottom"${'}'.repeat(levels)}`;

  it.each([
    ['U+0000 in a string', () => ({ ...samplePayloads.create_pulse(), pulseName: 'a\u0000b' }), /event\.pulseName/],
    ['U+0000 in a key', () => ({ ...samplePayloads.create_pulse(), columnValues: { 'a\u0000b': 1 } }), /event\.columnValues\["a\\u0000b"\]/],
    ['a lone high surrogate', () => ({ ...samplePayloads.update_name(), value: { name: 'x\ud800' } }), /event\.value\.name/],
    ['a lone low surrogate in an unknown type', () => ({ ...samplePayloads.create_pulse(), type: 'brand_new', note: '\udc00y' }), /event\.note/],
    ['changedAt past the year 9999', () => ({ ...samplePayloads.update_column_value(), changedAt: 9e12 }), /event\.changedAt/],
    ['a negative changedAt', () => ({ ...samplePayloads.update_column_value(), changedAt: -1e12 }), /event\.changedAt/],
    ['an extreme triggerTime', () => ({ ...samplePayloads.create_pulse(), triggerTime: '+275760-09-13T00:00:00.000Z' }), /event\.triggerTime/],
    ['a triggerTime before 1970', () => ({ ...samplePayloads.create_pulse(), triggerTime: '-004714-01-01T00:00:00.000Z' }), /event\.triggerTime/],
    ['nesting 5,000 levels deep', () => ({ ...samplePayloads.update_column_value(), value: DEEP }), /event\.value(\.v)+: nested 64/],
  ])('refuses %s with 400 naming the field and records the body made storable', async (_name, make, field) => {
    const event = make();
    const response = await postRaw(JSON.stringify({ event }).replace(`"${DEEP}"`, deepJson(5000)));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(field);
    expect(await countEvents(event.triggerUuid)).toBe(0);
    const recorded = (await rejectionsMatching('unstorable_payload%')).filter((r) => r.body.includes(event.triggerUuid));
    expect(recorded).toHaveLength(1);
    expect(recorded[0].reason).toMatch(field);
  });

  it('records an invalid body holding a raw NUL byte with the NUL escaped, answering 400', async () => {
    const response = await postRaw('{"event": {"type": "create_pulse", "pulseName": "a\u0000b"');
    expect(response.status).toBe(400);
    const [row] = await rejectionsMatching('invalid_json%');
    expect(row.body).toBe('{"event": {"type": "create_pulse", "pulseName": "a\\u0000b"');
  });

  it('answers every valid webhook 200 and stores it while unstorable ones arrive in the same batches', async () => {
    const valid = Array.from({ length: 60 }, (_, i) => ({ ...samplePayloads.update_column_value(), pulseId: 700_000 + i }));
    const invalid = Array.from({ length: 20 }, (_, i) => ({ ...samplePayloads.create_pulse(), pulseName: `bad\u0000${i}` }));
    const responses = await Promise.all([...valid, ...invalid].map((event) => post(event).then((r) => r.status)));
    expect(responses.slice(0, valid.length)).toEqual(valid.map(() => 200));
    expect(responses.slice(valid.length)).toEqual(invalid.map(() => 400));
    const { rows } = await t.db.pool.query('SELECT count(*)::int AS n FROM events WHERE source_event_id = ANY($1)', [valid.map((e) => e.triggerUuid)]);
    expect(rows[0].n).toBe(valid.length);
  });
});

function omit<T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> {
  const { [key]: _dropped, ...rest } = value;
  return rest;
}
