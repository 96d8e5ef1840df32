import { createMondayClient, MondayError, type MondayClock, type MondayMutation, type MondayPort } from '../../src/monday';
import { ScaledClock } from '@crm-sync/sandbox';
import { startMondayEmulator, type MondayEmulator } from '@crm-sync/sandbox';

const SCALE = 600; // one emulated minute passes in 100 real ms

function clientFor(emulator: MondayEmulator, options: { clock?: MondayClock; batchSize?: number } = {}): MondayPort {
  return createMondayClient({ apiUrl: emulator.url, apiToken: emulator.apiToken, apiVersion: '2025-10', signingSecret: null, webhookToken: null }, options);
}

/** The client paces in the emulator's time: read its clock, sleep scaled down to real time. */
function emulatedTime(emulator: MondayEmulator): MondayClock {
  return { now: () => emulator.clock.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.ceil(ms / SCALE))) };
}

function seedBoard(emulator: MondayEmulator, name: string): string {
  const board = emulator.control.seedBoard({
    name,
    ownerId: emulator.control.humanUsers()[0].id,
    groups: [{ id: 'topics', title: 'Topics' }],
    columns: [{ id: 'text', title: 'Text', type: 'text' }],
  });
  return String(board.id);
}

const creates = (n: number, prefix: string): MondayMutation[] =>
  Array.from({ length: n }, (_, i) => ({ kind: 'create_item', groupId: null, name: `${prefix} ${i}`, columnValues: { text: `t${i}` } }));

describe('monday client pacing against the emulator’s complexity budget', () => {
  let emulator: MondayEmulator;
  beforeAll(async () => {
    emulator = await startMondayEmulator({ clock: new ScaledClock(SCALE), limits: { complexityPerMinute: 60_000 } });
  });
  afterAll(() => emulator.close());

  it('writes a burst four times the budget on two boards with no COMPLEXITY_BUDGET_EXHAUSTED', async () => {
    const boards = [seedBoard(emulator, 'Pacing A'), seedBoard(emulator, 'Pacing B')];
    const client = clientFor(emulator, { clock: emulatedTime(emulator), batchSize: 2 });
    emulator.control.clearRequestLog();

    // 24 create_item at ~10,000 points each against 60,000 points per minute.
    const results = await Promise.all(boards.map((board) => client.applyMutations(board, creates(12, board))));

    expect(results.flat().filter((o) => !o.ok)).toEqual([]);
    const log = emulator.control.requestLog();
    expect(log.flatMap((e) => e.errorCodes)).not.toContain('COMPLEXITY_BUDGET_EXHAUSTED');
    expect(log.every((e) => e.status === 200)).toBe(true);
    expect(log.reduce((sum, e) => sum + e.complexity, 0)).toBeGreaterThan(3 * 60_000);
    for (const board of boards) expect(emulator.control.listItems(Number(board))).toHaveLength(12);
  });
});

describe('monday client when throttled anyway', () => {
  let emulator: MondayEmulator;
  beforeAll(async () => {
    emulator = await startMondayEmulator({ clock: new ScaledClock(SCALE), seed: 'demo' });
  });
  afterAll(() => emulator.close());

  it('turns a 429 on a write into RATE_LIMITED with the wait, and sends nothing more until the wait is over', async () => {
    const client = clientFor(emulator, { clock: emulatedTime(emulator) });
    const board = seedBoard(emulator, 'Throttled');
    const item = await client.createItem(board, null, 'Throttled item', {});
    emulator.control.clearRequestLog();
    emulator.control.addFault({ kind: 'http_429', count: 1 });

    const error = (await client.changeColumnValues(board, item.id, { text: 'x' }).catch((e: unknown) => e)) as MondayError;
    expect(error).toBeInstanceOf(MondayError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', details: { httpStatus: 429, limit: 'minute' } });
    expect(error.retryAfterMs).toBeGreaterThan(0);

    await expect(client.me()).resolves.toMatchObject({ id: String(emulator.integrationUserId) });
    const [throttled, next] = emulator.control.requestLog();
    expect(throttled.status).toBe(429);
    expect(Date.parse(next.at) - Date.parse(throttled.at)).toBeGreaterThanOrEqual(error.retryAfterMs ?? Infinity);
  });

  it('sends a throttled read again once the wait is over, and answers', async () => {
    const client = clientFor(emulator, { clock: emulatedTime(emulator) });
    await client.me();
    emulator.control.clearRequestLog();
    emulator.control.addFault({ kind: 'http_429', count: 1 });

    await expect(client.me()).resolves.toMatchObject({ id: String(emulator.integrationUserId) });
    expect(emulator.control.requestLog().map((r) => r.status)).toEqual([429, 200]);
  });
});

describe('monday client requests for one board', () => {
  let emulator: MondayEmulator;
  beforeAll(async () => {
    emulator = await startMondayEmulator({ seed: 'demo' });
  });
  afterAll(() => emulator.close());

  it('are serialised: a slow write finishes before the next write to the board starts', async () => {
    const board = seedBoard(emulator, 'Serial');
    const client = clientFor(emulator);
    const item = await client.createItem(board, null, 'Serial item', {});
    emulator.control.clearRequestLog();
    emulator.control.addFault({ kind: 'latency', latencyMs: 150, count: 1, operation: 'change_multiple_column_values' });

    await Promise.all([client.changeColumnValues(board, item.id, { text: 'first' }), client.changeColumnValues(board, item.id, { text: 'second' })]);

    const [first, second] = emulator.control.requestLog();
    expect(first.durationMs).toBeGreaterThanOrEqual(150);
    expect(Date.parse(second.at)).toBeGreaterThanOrEqual(Date.parse(first.at) + first.durationMs);
    expect(emulator.control.getItem(Number(item.id))?.values.text?.data).toBe('second');
  });
});
