import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { SYNC_PROJECTOR } from '../../src/sync-projector/sync-projector';
import { expectEventually } from '../support/eventually';
import { mondayJwt } from '../support/monday-webhooks';
import { startSyncEnvironment, type SyncEnvironment } from '../support/sync-environment';

/**
 * Issue 13: a bounded, seeded fuzz of signed monday webhooks against the whole service on loopback
 * (ingest, batching appender, sync projector, dispatcher, emulators). Valid and invalid payloads
 * arrive concurrently, so they share append batches. Never a 5xx; every valid payload 200 and
 * stored; every invalid one 400 and not stored; and the projector decides everything stored
 * without throwing (its checkpoint reaches the last event, nothing parked, no failed batch).
 */
const SEED = 20_131;
/**
 * npm test's share of the 10,000 payloads: payloads that pass are stored and projected,
 * which costs about 10 ms each on a loaded machine. `WEBHOOK_FUZZ_PAYLOADS=10000 npx jest
 * test/e2e/monday-webhook-fuzz.spec.ts` runs them all (README "Reliability" has the figures).
 */
const PAYLOADS = Number(process.env.WEBHOOK_FUZZ_PAYLOADS ?? 2_000);
/** npm test's share of the 10,000 requests with fuzzed headers, query and body (`WEBHOOK_FUZZ_HEADERS=10000` runs them all). */
const HEADER_CASES = Number(process.env.WEBHOOK_FUZZ_HEADERS ?? 1_000);
/** Bounds for a loaded machine (npm test runs files in parallel), not speed checks; they grow with the counts. */
const PAYLOADS_TIMEOUT_MS = 150_000 * Math.max(1, PAYLOADS / 2_000);
const HEADERS_TIMEOUT_MS = 150_000 * Math.max(1, HEADER_CASES / 1_000);
const CONCURRENCY = 30;

type Payload = Record<string, unknown>;
interface Case {
  payload: Payload;
  valid: boolean;
  why: string;
}

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', '__defineGetter__'];
const COLUMN_TYPES = ['color', 'text', 'long-text', 'numeric', 'date', 'email', 'phone', 'multiple-person', 'board-relation', 'dropdown', 'timerange', 'link', 'subtasks'];

/** Strings Postgres can store: well-formed UTF-16 without U+0000. */
const text = fc.string({ unit: 'grapheme', maxLength: 24 }).map((s) => s.split('\u0000').join(''));
const json: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 4 }).filter((v) => !JSON.stringify(v).includes('\\u0000'));

/** Objects whose keys may be __proto__ and friends, as own properties (as JSON.parse makes them). */
const hostileObject = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...POLLUTION_KEYS), text), json), { maxLength: 4 })
  .map((entries) => Object.fromEntries(entries) as Payload);

function arbitraries(boards: number[], columns: string[], items: number[]) {
  const triggerUuid = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => Buffer.from(bytes).toString('hex'));
  const time = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });
  const common = fc.record({
    app: fc.constant('monday'),
    triggerTime: time.map((ms) => new Date(ms).toISOString()),
    subscriptionId: fc.integer({ min: 1, max: 999_999_999 }),
    isRetry: fc.boolean(),
    userId: fc.integer({ min: 1, max: 99_999_999 }),
    originalTriggerUuid: fc.constant(null),
    boardId: fc.oneof(fc.constantFrom(...boards), fc.integer({ min: 1, max: 2 ** 40 })),
    triggerUuid,
  });
  const item = fc.oneof(fc.constantFrom(...items), fc.integer({ min: 1, max: 2 ** 45 }));
  const column = fc.oneof(fc.constantFrom(...columns), text);
  const columnValue = fc.oneof(
    json,
    text.map((label) => ({ label: { index: 1, text: label, style: { color: '#fff' } }, post_id: null })),
    text.map((value) => ({ value })),
    time.map((ms) => ({ date: new Date(ms).toISOString().slice(0, 10), icon: null, time: null, changed_at: new Date(ms).toISOString() })),
    fc.array(item, { maxLength: 3 }).map((ids) => ({ linkedPulseIds: ids.map((linkedPulseId) => ({ linkedPulseId })), changed_at: '2025-02-05T17:52:53.186Z' })),
    fc.array(fc.integer({ min: 1, max: 99_999_999 }), { maxLength: 2 }).map((ids) => ({ personsAndTeams: ids.map((id) => ({ id, kind: 'person' })) })),
  );
  const byType: Record<string, fc.Arbitrary<Payload>> = {
    create_pulse: fc.record({ type: fc.constant('create_pulse'), pulseId: item, pulseName: text, groupId: text, columnValues: fc.constant({}) }),
    update_column_value: fc.record({
      type: fc.constant('update_column_value'),
      pulseId: item,
      columnId: column,
      columnType: fc.constantFrom(...COLUMN_TYPES),
      value: fc.oneof(columnValue, fc.constant(null)),
      previousValue: fc.oneof(columnValue, fc.constant(null)),
      changedAt: time.map((ms) => ms / 1000 + 0.123),
    }),
    update_name: fc.record({ type: fc.constant('update_name'), pulseId: item, value: text.map((name) => ({ name })), previousValue: text.map((name) => ({ name })) }),
    delete_pulse: fc.record({ type: fc.constant('delete_pulse'), itemId: item, itemName: text }),
    archive_pulse: fc.record({ type: fc.constant('archive_pulse'), itemId: item, itemName: text }),
    restore_pulse: fc.record({ type: fc.constant('restore_pulse'), itemId: item, itemName: text, value: fc.constant({ state: 1, is_undo: true }) }),
    move_pulse_into_group: fc.record({ type: fc.constant('move_pulse_into_group'), pulseId: item, sourceGroupId: text, destGroupId: text }),
    create_update: fc.record({ type: fc.constant('create_update'), pulseId: item, updateId: item, body: text, textBody: text }),
    create_column: fc.record({ type: fc.constant('create_column'), columnId: text, columnType: fc.constantFrom(...COLUMN_TYPES), columnTitle: text }),
    unknown: fc.record({ type: fc.constantFrom('move_subitem', 'brand_new_event', ''), pulseId: fc.oneof(item, text), extra: json }),
  };
  const required: Record<string, string[]> = {
    create_pulse: ['pulseId', 'pulseName', 'triggerTime', 'triggerUuid', 'userId', 'boardId'],
    update_column_value: ['pulseId', 'columnId', 'columnType', 'value', 'triggerUuid'],
    update_name: ['pulseId', 'value', 'boardId'],
    delete_pulse: ['itemId', 'boardId'],
    archive_pulse: ['itemId', 'triggerTime'],
    restore_pulse: ['itemId', 'userId'],
    move_pulse_into_group: ['pulseId', 'sourceGroupId', 'destGroupId'],
    create_update: ['pulseId', 'updateId'],
    create_column: ['columnId', 'columnType'],
  };

  const valid = fc
    .tuple(fc.constantFrom(...Object.keys(byType)), common, hostileObject)
    .chain(([type, base, extras]) => byType[type].map((specific): Case => ({ payload: { ...extras, ...base, ...specific }, valid: true, why: `valid ${type}` })));

  const deep = (levels: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < levels; i++) value = { [POLLUTION_KEYS[i % POLLUTION_KEYS.length]]: value };
    return value;
  };
  type Breakage = (payload: Payload) => Case | null;
  const breakages: fc.Arbitrary<Breakage> = fc.oneof(
    fc.nat().map((n): Breakage => (p) => {
      const fields = required[String(p.type)];
      if (!fields) return null;
      const field = fields[n % fields.length];
      const { [field]: _dropped, ...rest } = p;
      return { payload: rest, valid: false, why: `missing ${field}` };
    }),
    fc.constantFrom<[string, unknown]>(['pulseId', 'abc'], ['pulseId', 1e300], ['pulseId', -5], ['pulseId', 1.5], ['boardId', {}], ['userId', 'someone']).map(
      ([field, value]): Breakage =>
        (p) => (p.type === 'create_column' && field === 'pulseId') || !(field in p) || typeof p.type !== 'string' || !required[p.type] ? null : { payload: { ...p, [field]: value }, valid: false, why: `${field} = ${String(value)}` },
    ),
    fc.constantFrom('\u0000', '\ud800', '\udfff', 'a\u0000b').map((bad): Breakage => (p) => ({ payload: { ...p, note: `x${bad}` }, valid: false, why: 'unstorable string' })),
    fc.constantFrom('\u0000', '\udc01').map((bad): Breakage => (p) => ({ payload: { ...p, [`k${bad}`]: 1 }, valid: false, why: 'unstorable key' })),
    fc.constantFrom(9e12, -1, -1e12, 1e300).map((changedAt): Breakage => (p) => ({ payload: { ...p, changedAt }, valid: false, why: `changedAt ${changedAt}` })),
    fc.constantFrom('+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z', '1969-12-31T23:59:59.000Z').map(
      (triggerTime): Breakage => (p) => ({ payload: { ...p, triggerTime }, valid: false, why: `triggerTime ${triggerTime}` }),
    ),
    fc.integer({ min: 64, max: 300 }).map((levels): Breakage => (p) => ({ payload: { ...p, nested: deep(levels) }, valid: false, why: `nested ${levels}` })),
    fc.constantFrom(undefined, null, [], 'name', { name: 7 }, { title: 'x' }).map(
      (value): Breakage => (p) => (p.type === 'update_name' ? { payload: { ...p, value }, valid: false, why: `update_name value ${JSON.stringify(value)}` } : null),
    ),
  );
  const invalid = fc.tuple(valid, breakages).map(([base, breakage]) => breakage(base.payload) ?? base);
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: invalid });
}

/** One request of the header fuzz; `authentic`: whether its credentials are good (null: it depends on parsing we do not predict). */
interface HeaderCase {
  /** Name/value pairs (a `__proto__` header stays a header, as it would not as an object key). */
  headers: Array<[string, string]>;
  query: string;
  body: string;
  authentic: boolean | null;
  /** A well-formed event with good credentials, sent as JSON: must be stored. */
  mustStore: boolean;
  uuid: string;
  why: string;
}

const HEADER_NAME = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
/** Header values a client can send (visible ASCII and spaces, no CR/LF). */
const HEADER_VALUE = fc.stringMatching(/^[\x20-\x7e]{0,60}$/).map((v) => v.trim());
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function headerCases(secret: string, base: fc.Arbitrary<Case>): fc.Arbitrary<HeaderCase> {
  const now = () => Math.floor(Date.now() / 1000);
  const auth = fc.oneof(
    { weight: 4, arbitrary: fc.constant(() => ({ value: mondayJwt(secret), authentic: true as boolean | null, why: 'jwt' })) },
    fc.constant(() => ({ value: mondayJwt('not-the-signing-secret'), authentic: false, why: 'jwt signed with another secret' })),
    fc.constant(() => ({ value: jwt.sign({ accountId: 1, exp: now() - 60 }, secret, { algorithm: 'HS256' }), authentic: false, why: 'expired jwt' })),
    fc.constant(() => ({ value: jwt.sign({ accountId: 1 }, secret, { algorithm: 'HS256' }), authentic: false, why: 'jwt without exp' })),
    fc.constant(() => ({ value: `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ accountId: 1, exp: now() + 300 })}.`, authentic: false, why: 'alg none' })),
    fc.constant(() => ({ value: jwt.sign({ accountId: 1, exp: now() + 300 }, secret, { algorithm: 'HS512' }), authentic: false, why: 'HS512 jwt' })),
    fc.constant(() => ({ value: `Bearer ${mondayJwt(secret)}`, authentic: null, why: 'Bearer-prefixed jwt' })),
    HEADER_VALUE.map((value) => () => ({ value, authentic: false, why: 'garbage authorization' })),
    fc.constant(() => ({ value: undefined as string | undefined, authentic: false, why: 'no authorization' })),
  );
  const contentType = fc.oneof(
    { weight: 4, arbitrary: fc.constant('application/json') },
    fc.constantFrom('text/plain', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '', '*/*', 'application/json; __proto__=1'),
  );
  const extraHeaders = fc.array(fc.tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'x-forwarded-for', 'content-encoding', 'accept-encoding', 'x-http-method-override', 'expect-ct', 'cookie'), HEADER_NAME), HEADER_VALUE), { maxLength: 4 });
  const query = fc.oneof(
    { weight: 4, arbitrary: fc.constant('') },
    fc.constantFrom('?token=wrong', '?token=', '?token[]=a&token[]=b', '?__proto__[polluted]=yes', '?constructor[prototype][polluted]=yes', '?token=%00', '?a=' + 'x'.repeat(2_000)),
  );
  const body = fc.oneof(
    { weight: 4, arbitrary: base.map((c) => ({ text: JSON.stringify({ event: c.payload }), wellFormed: c.valid, uuid: String(c.payload.triggerUuid ?? '') })) },
    base.map((c) => ({ text: `{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"event":${JSON.stringify(c.payload)}}`, wellFormed: c.valid, uuid: String(c.payload.triggerUuid ?? '') })),
    base.map((c) => ({ text: JSON.stringify({ event: c.payload }).slice(0, -3), wellFormed: false, uuid: String(c.payload.triggerUuid ?? '') })),
    fc.constantFrom('', 'null', '[]', '"event"', '{"event":[]}', '{"event":null}', 'not json', '\u00ff\u00fe').map((text) => ({ text, wellFormed: false, uuid: '' })),
  );
  return fc.tuple(auth, contentType, extraHeaders, query, body).map(([makeAuth, type, extras, q, b]): HeaderCase => {
    const authorization = makeAuth();
    const headers: Array<[string, string]> = extras.filter(([name]) => name !== 'content-type' && name !== 'authorization');
    if (type !== '') headers.push(['content-type', type]);
    if (authorization.value !== undefined) headers.push(['authorization', authorization.value]);
    // A token in the query makes the request authentic only when it is the configured one: never here.
    const authentic = q.startsWith('?token') && authorization.authentic === false ? false : authorization.authentic;
    const mustStore = authentic === true && b.wellFormed && type === 'application/json' && q === '' && !headers.some(([name]) => name === 'content-encoding') && b.uuid !== '';
    return { headers, query: q, body: b.text, authentic, mustStore, uuid: b.uuid, why: `${authorization.why}, ${type || 'no content-type'}, ${q || 'no query'}` };
  });
}

describe('fuzzed signed monday webhooks against the running service', () => {
  let env: SyncEnvironment;
  beforeAll(async () => {
    env = await startSyncEnvironment();
    await expectEventually(async () => expect((await fetch(`${env.url}/health`)).status).toBe(200), { timeoutMs: 20_000 });
  });
  afterAll(async () => env?.stop());

  it(`${PAYLOADS} payloads (seed ${SEED}): no 5xx, valid ones stored, invalid ones 400, the projector keeps up`, async () => {
    const boards = env.mapping.objects.map((o) => Number(o.monday.board));
    const columns = env.mapping.objects.flatMap((o) => o.fields.map((f) => f.monday));
    const items = boards.flatMap((board) => env.sandbox.monday.control.listItems(board).slice(0, 3).map((i) => i.id));
    const cases = fc.sample(arbitraries(boards, columns, items), { seed: SEED, numRuns: PAYLOADS });
    const secret = env.config.monday.signingSecret as string;

    const statuses: number[] = new Array(cases.length);
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const index = next++;
        const response = await fetch(`${env.url}/webhooks/monday`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: mondayJwt(secret) },
          body: JSON.stringify({ event: cases[index].payload }),
        });
        statuses[index] = response.status;
        await response.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const wrong = cases.map((c, i) => ({ why: c.why, status: statuses[i], expected: c.valid ? 200 : 400 })).filter((r) => r.status !== r.expected);
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(cases.filter((c) => c.valid).length).toBeGreaterThan(PAYLOADS / 2);
    expect(cases.filter((c) => !c.valid).length).toBeGreaterThan(PAYLOADS / 4);

    const uuids = (valid: boolean) => cases.filter((c) => c.valid === valid && typeof c.payload.triggerUuid === 'string').map((c) => c.payload.triggerUuid as string);
    const stored = async (ids: string[]) => (await env.db.pool.query<{ n: number }>('SELECT count(DISTINCT source_event_id)::int AS n FROM events WHERE source_event_id = ANY($1)', [ids])).rows[0].n;
    expect(await stored(uuids(true))).toBe(new Set(uuids(true)).size);
    expect(await stored(uuids(false))).toBe(0);

    await expectEventually(
      async () => {
        const { rows } = await env.db.pool.query<{ behind: number }>(
          `SELECT count(*)::int AS behind FROM events e, subscriber_checkpoints c
            WHERE c.subscriber = $1 AND (e.transaction_id, e.position) > (c.transaction_id, c.position)`,
          [SYNC_PROJECTOR],
        );
        expect(rows[0].behind).toBe(0);
      },
      { timeoutMs: 60_000 },
    );
    const status = env.engine.projector.status() as { lastError: string | null; eventsParked?: number };
    expect(status.lastError).toBeNull();
    expect(status.eventsParked ?? 0).toBe(0);
    expect(env.logs.join('\n')).not.toMatch(/sync projector batch failed/);
    // About 20 s alone; 84 s at load 34 (README "Reliability").
  }, PAYLOADS_TIMEOUT_MS);
  it(`${HEADER_CASES} requests with fuzzed headers, query and body (seed ${SEED + 1}): never a 5xx, nothing stored for a refused one, no prototype polluted`, async () => {
    const boards = env.mapping.objects.map((o) => Number(o.monday.board));
    const columns = env.mapping.objects.flatMap((o) => o.fields.map((f) => f.monday));
    const items = boards.flatMap((board) => env.sandbox.monday.control.listItems(board).slice(0, 3).map((i) => i.id));
    const secret = env.config.monday.signingSecret as string;
    const cases = fc.sample(headerCases(secret, arbitraries(boards, columns, items)), { seed: SEED + 1, numRuns: HEADER_CASES });
    const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    const { rows: before } = await env.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ingest_rejections');

    const statuses: number[] = new Array(cases.length);
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const index = next++;
        const c = cases[index];
        try {
          // A request left unanswered is a finding (status 0), not a hung test.
          const response = await fetch(`${env.url}/webhooks/monday${c.query}`, { method: 'POST', headers: c.headers, body: c.body, signal: AbortSignal.timeout(20_000) });
          statuses[index] = response.status;
          await response.arrayBuffer();
        } catch (error) {
          statuses[index] = 0;
          c.why += ` (${(error as Error).name}: ${(error as Error).message}; headers ${JSON.stringify(c.headers.map(([name]) => name))})`;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const results = cases.map((c, i) => ({ ...c, status: statuses[i] }));
    expect(results.filter((r) => !(r.status >= 200 && r.status < 500)).map((r) => `${r.status} ${r.why}`).slice(0, 10)).toEqual([]);
    // Without good credentials: 401, or 415 for a content type the service never reads (refused before the body).
    expect(results.filter((r) => r.authentic === false && r.status !== 401 && r.status !== 415).map((r) => `${r.status} ${r.why}`).slice(0, 10)).toEqual([]);
    expect(results.filter((r) => r.mustStore && r.status !== 200).map((r) => `${r.status} ${r.why}`).slice(0, 10)).toEqual([]);
    expect(results.filter((r) => r.mustStore).length).toBeGreaterThan(HEADER_CASES / 25);
    expect(results.filter((r) => r.authentic === false).length).toBeGreaterThan(HEADER_CASES / 5);

    // Refused: no event; a request without good credentials leaves no rejection row either.
    const refusedUuids = [...new Set(results.filter((r) => r.status !== 200 && r.uuid !== '').map((r) => r.uuid))].filter((uuid) => !results.some((r) => r.uuid === uuid && r.status === 200));
    const { rows: storedRefused } = await env.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE source_event_id = ANY($1)', [refusedUuids]);
    expect(storedRefused[0].n).toBe(0);
    const storedUuids = [...new Set(results.filter((r) => r.mustStore).map((r) => r.uuid))];
    const { rows: stored } = await env.db.pool.query<{ n: number }>('SELECT count(DISTINCT source_event_id)::int AS n FROM events WHERE source_event_id = ANY($1)', [storedUuids]);
    expect(stored[0].n).toBe(storedUuids.length);
    const { rows: after } = await env.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ingest_rejections');
    const authenticRefusals = results.filter((r) => r.authentic !== false && r.status >= 400).length;
    expect(after[0].n - before[0].n).toBeLessThanOrEqual(authenticRefusals);

    // __proto__ / constructor keys in bodies, headers and queries stayed data.
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await fetch(`${env.url}/health`)).status).toBe(200);
  }, HEADERS_TIMEOUT_MS);
});
