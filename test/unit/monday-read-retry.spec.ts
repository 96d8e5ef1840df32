import { createMondayClient, type MondayClock } from '../../src/monday';
import type { GraphqlAnswer, GraphqlTransport } from '../../src/monday/graphql-transport';
import { MondayError } from '../../src/monday/monday.error';

const CONFIG = { apiUrl: 'http://monday.invalid/v2', apiToken: 'secret-token-123', apiVersion: '2026-10', signingSecret: null, webhookToken: null };

/** Virtual time: a backoff moves the clock instead of waiting. */
class VirtualClock implements MondayClock {
  t = Date.parse('2026-12-07T10:00:00Z');
  slept: number[] = [];
  now = (): number => this.t;
  sleep = async (ms: number): Promise<void> => {
    this.t += ms;
    this.slept.push(ms);
  };
}

/** Answers 500 to the first `failures` requests, then succeeds. */
class FailingFirst implements GraphqlTransport {
  sent: string[] = [];
  constructor(private failures: number) {}
  async send(document: string): Promise<GraphqlAnswer> {
    this.sent.push(document);
    if (this.failures-- > 0) return { status: 500, body: { error_message: 'Internal Server Error' }, retryAfter: null, rateLimit: null };
    if (document.startsWith('mutation')) return { status: 200, body: { data: { m0: { id: '77' } } }, retryAfter: null, rateLimit: null };
    return { status: 200, body: { data: { me: { id: '5', name: 'Integration', email: 'sync@example.org' } } }, retryAfter: null, rateLimit: null };
  }
}

describe('monday reads retried when they fail transiently (fault seed 3113)', () => {
  it('a query failing with 500 twice is sent again with backoff and answers', async () => {
    const clock = new VirtualClock();
    const transport = new FailingFirst(2);
    const monday = createMondayClient(CONFIG, { clock, transport });
    await expect(monday.me()).resolves.toMatchObject({ id: '5' });
    expect(transport.sent).toHaveLength(3);
    expect(clock.slept.filter((ms) => ms >= 250)).toEqual([250, 500]);
  });

  it('a query that keeps failing surfaces TRANSIENT after three retries', async () => {
    const transport = new FailingFirst(100);
    const monday = createMondayClient(CONFIG, { clock: new VirtualClock(), transport });
    const failure = await monday.me().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MondayError);
    expect((failure as MondayError).code).toBe('TRANSIENT');
    expect(transport.sent).toHaveLength(4);
  });

  it('a mutation is sent once: repeating it is the outbox decision', async () => {
    const transport = new FailingFirst(1);
    const monday = createMondayClient(CONFIG, { clock: new VirtualClock(), transport });
    await expect(monday.changeColumnValues('1', '77', { text: 'x' })).rejects.toMatchObject({ code: 'TRANSIENT' });
    expect(transport.sent).toHaveLength(1);
  });
});
