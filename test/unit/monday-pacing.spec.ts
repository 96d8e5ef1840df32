import { createMondayClient, type MondayClock, type MondayMutation } from '../../src/monday';
import { ComplexityBudget } from '../../src/monday/complexity-budget';
import type { GraphqlAnswer, GraphqlTransport } from '../../src/monday/graphql-transport';
import { MondayError } from '../../src/monday/monday.error';

const CONFIG = { apiUrl: 'http://monday.invalid/v2', apiToken: 'secret-token-123', apiVersion: '2025-10', signingSecret: null, webhookToken: null };

/** Virtual time: sleeping moves the clock, so pacing runs instantly and deterministically. */
class VirtualClock implements MondayClock {
  t = Date.parse('2026-11-20T10:00:00Z');
  slept = 0;
  now = (): number => this.t;
  sleep = async (ms: number): Promise<void> => {
    this.t += ms;
    this.slept += ms;
  };
}

/**
 * A monday stand-in with a complexity budget per 60 s window (starting with the first call, as
 * monday's), charging each aliased mutation 10,000 points and answering 429 when a request does not fit.
 */
class BudgetedMonday implements GraphqlTransport {
  windowStart: number | null = null;
  used = 0;
  sent = 0;
  exhausted = 0;
  constructor(
    private readonly clock: VirtualClock,
    private readonly budget: number,
  ) {}

  async send(document: string): Promise<GraphqlAnswer> {
    this.sent++;
    const now = this.clock.now();
    if (this.windowStart === null || now >= this.windowStart + 60_000) {
      this.windowStart = now;
      this.used = 0;
    }
    const aliases = [...document.matchAll(/(m\d+): \w+\(/g)].map((m) => m[1]);
    const cost = aliases.length * 10_000;
    const resetIn = Math.ceil((this.windowStart + 60_000 - now) / 1000);
    if (cost > this.budget - this.used) {
      this.exhausted++;
      return { status: 429, body: { errors: [{ message: 'Complexity budget exhausted', extensions: { code: 'COMPLEXITY_BUDGET_EXHAUSTED', retry_in_seconds: resetIn } }] }, retryAfter: String(resetIn), rateLimit: null };
    }
    const before = this.budget - this.used;
    this.used += cost;
    const data: Record<string, unknown> = { complexity: { before, after: before - cost, query: cost, reset_in_x_seconds: resetIn } };
    aliases.forEach((alias, i) => (data[alias] = { id: String(1000 + i) }));
    return { status: 200, body: { data }, retryAfter: null, rateLimit: null };
  }
}

const creates = (n: number): MondayMutation[] => Array.from({ length: n }, (_, i) => ({ kind: 'create_item', groupId: null, name: `Item ${i}`, columnValues: {} }));

describe('monday complexity pacing', () => {
  it('spreads a burst larger than the budget over several windows without one COMPLEXITY_BUDGET_EXHAUSTED', async () => {
    const clock = new VirtualClock();
    const monday = new BudgetedMonday(clock, 100_000);
    const client = createMondayClient(CONFIG, { transport: monday, clock, batchSize: 4 });

    const outcomes = await client.applyMutations('1', creates(60));

    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(monday.exhausted).toBe(0);
    // 600,000 points at 100,000 per minute: the client had to wait for at least five resets.
    expect(clock.slept).toBeGreaterThanOrEqual(5 * 50_000);
  });

  it('shares one budget between boards written in parallel', async () => {
    const clock = new VirtualClock();
    const monday = new BudgetedMonday(clock, 50_000);
    const client = createMondayClient(CONFIG, { transport: monday, clock, batchSize: 2 });

    const results = await Promise.all(['1', '2', '3'].map((board) => client.applyMutations(board, creates(10))));

    expect(results.flat().every((o) => o.ok)).toBe(true);
    expect(monday.exhausted).toBe(0);
  });

  it('throws RATE_LIMITED with the wait when a mutation is throttled anyway, and holds the next request until then', async () => {
    const clock = new VirtualClock();
    const sentAt: number[] = [];
    let throttleOnce = true;
    const transport: GraphqlTransport = {
      send: async () => {
        sentAt.push(clock.now());
        if (throttleOnce) {
          throttleOnce = false;
          return { status: 429, body: { errors: [{ message: 'Minute limit rate exceeded', extensions: { code: 'RATE_LIMIT_EXCEEDED', retry_in_seconds: 30 } }] }, retryAfter: '30', rateLimit: null };
        }
        return { status: 200, body: { data: { me: { id: '7', name: 'Integration', email: 'i@example.com' } } }, retryAfter: null, rateLimit: null };
      },
    };
    const client = createMondayClient(CONFIG, { transport, clock });

    await expect(client.changeColumnValues('1', '77', { text: 'x' })).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 30_000, details: { limit: 'minute' } });
    await expect(client.me()).resolves.toMatchObject({ id: '7' });
    expect(sentAt[1] - sentAt[0]).toBeGreaterThanOrEqual(30_000);
  });

  it('a throttled query is sent again once the wait is over (a read is harmless to repeat)', async () => {
    const clock = new VirtualClock();
    const sentAt: number[] = [];
    const transport: GraphqlTransport = {
      send: async () => {
        sentAt.push(clock.now());
        if (sentAt.length === 1) {
          return { status: 429, body: { errors: [{ message: 'Minute limit rate exceeded', extensions: { code: 'RATE_LIMIT_EXCEEDED', retry_in_seconds: 30 } }] }, retryAfter: '30', rateLimit: null };
        }
        return { status: 200, body: { data: { me: { id: '7', name: 'Integration', email: 'i@example.com' } } }, retryAfter: null, rateLimit: null };
      },
    };
    const client = createMondayClient(CONFIG, { transport, clock });
    await expect(client.me()).resolves.toMatchObject({ id: '7' });
    expect(sentAt).toHaveLength(2);
    expect(sentAt[1] - sentAt[0]).toBeGreaterThanOrEqual(30_000);
  });

  it('does not wait hours for a daily limit: the next call fails at once with the remaining wait', async () => {
    const clock = new VirtualClock();
    let sent = 0;
    const transport: GraphqlTransport = {
      send: async () => {
        sent++;
        return { status: 429, body: { errors: [{ message: 'Daily limit exceeded', extensions: { code: 'DAILY_LIMIT_EXCEEDED', retry_in_seconds: 5 * 3600 } }] }, retryAfter: null, rateLimit: null };
      },
    };
    const client = createMondayClient(CONFIG, { transport, clock });

    await expect(client.me()).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'daily' } });
    const second = await client.me().catch((e: unknown) => e);
    expect(second).toBeInstanceOf(MondayError);
    expect(second).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'daily' } });
    expect((second as MondayError).retryAfterMs).toBeGreaterThan(4 * 3600_000);
    expect(sent).toBe(1);
  });

  it('while the daily limit blocks, sends one probe per probe interval and resumes when monday answers again (limit lifted)', async () => {
    const clock = new VirtualClock();
    let lifted = false;
    let sent = 0;
    const transport: GraphqlTransport = {
      send: async () => {
        sent++;
        if (!lifted) return { status: 429, body: { errors: [{ message: 'Daily limit exceeded', extensions: { code: 'DAILY_LIMIT_EXCEEDED', retry_in_seconds: 5 * 3600 } }] }, retryAfter: null, rateLimit: null };
        return { status: 200, body: { data: { me: { id: '1', name: 'n', email: 'e' } } }, retryAfter: null, rateLimit: null };
      },
    };
    const client = createMondayClient(CONFIG, { transport, clock, dailyLimitProbeMs: 60_000 });
    await expect(client.me()).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'daily' } });
    clock.t += 59_000;
    await expect(client.me()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(sent).toBe(1);
    lifted = true; // an add-on was bought
    clock.t += 1_000;
    await expect(client.me()).resolves.toMatchObject({ id: '1' });
    await expect(client.me()).resolves.toMatchObject({ id: '1' });
    expect(sent).toBe(3);
    expect(client.apiUsage?.().dailyLimitReachedUntil).toBeNull();
  });

  it('learns the real cost of an operation from the complexity field', async () => {
    const clock = new VirtualClock();
    const budget = new ComplexityBudget(clock, { defaultUnitCost: 10_000 });
    const reservation = await budget.acquire([['change_column_values', 4]]);
    budget.settle(reservation, { before: 1_000_000, after: 996_000, query: 4_000, resetInSeconds: 40 });

    expect(budget.predict([['change_column_values', 10]])).toBe(10_000);
    expect(budget.snapshot().remaining).toBe(996_000);
  });

  it('keeps its estimate right when concurrent requests predicted with the default cost answer one after another', async () => {
    const clock = new VirtualClock();
    const budget = new ComplexityBudget(clock, { defaultUnitCost: 10_000 });
    const probe = await budget.acquire([['me', 1]]);
    budget.settle(probe, { before: 1e7, after: 1e7 - 10, query: 10, resetInSeconds: 60 });
    // Both go out with the default 10,000 before either answer is known.
    const a = await budget.acquire([['change_column_values', 1]]);
    const b = await budget.acquire([['change_column_values', 1]]);
    budget.settle(a, { before: 1e7, after: 1e7 - 1_010, query: 1_000, resetInSeconds: 59 });
    budget.settle(b, { before: 1e7, after: 1e7 - 2_010, query: 1_000, resetInSeconds: 59 });

    expect(budget.predict([['change_column_values', 1]])).toBe(1_000);
  });

  it('never puts the token in an error message, even when a proxy echoes it', async () => {
    const transport: GraphqlTransport = {
      send: async () => ({ status: 502, body: `upstream failed for Authorization: ${CONFIG.apiToken}`, retryAfter: null, rateLimit: null }),
    };
    const client = createMondayClient(CONFIG, { transport, clock: new VirtualClock() });

    const error = (await client.me().catch((e: unknown) => e)) as MondayError;
    expect(error.code).toBe('TRANSIENT');
    expect(error.message).not.toContain(CONFIG.apiToken);
    expect(JSON.stringify(error.details)).not.toContain(CONFIG.apiToken);
  });
});
