import { createMondayClient } from '../../src/monday';
import { BoardQueue } from '../../src/monday/board-queue';
import type { GraphqlAnswer, GraphqlTransport } from '../../src/monday/graphql-transport';
import { expectEventually } from '../support/eventually';

const CONFIG = { apiUrl: 'http://monday.invalid/v2', apiToken: 'token', apiVersion: '2025-10', signingSecret: null, webhookToken: null };

/** Holds every request until the test releases it, and records how many were in flight per board. */
class GatedTransport implements GraphqlTransport {
  readonly pending: Array<{ board: string; release: () => void }> = [];
  readonly inFlight = new Map<string, number>();
  readonly maxInFlight = new Map<string, number>();
  maxTotal = 0;
  private total = 0;

  async send(_document: string, variables: Record<string, unknown>): Promise<GraphqlAnswer> {
    const board = String(variables.b);
    const now = (this.inFlight.get(board) ?? 0) + 1;
    this.inFlight.set(board, now);
    this.maxInFlight.set(board, Math.max(this.maxInFlight.get(board) ?? 0, now));
    this.maxTotal = Math.max(this.maxTotal, ++this.total);
    await new Promise<void>((release) => this.pending.push({ board, release }));
    this.inFlight.set(board, (this.inFlight.get(board) ?? 1) - 1);
    this.total--;
    return { status: 200, body: { data: { m0: { id: '1' }, complexity: { before: 1e7, after: 1e7, query: 1, reset_in_x_seconds: 60 } } }, retryAfter: null, rateLimit: null };
  }

  releaseNext(): void {
    this.pending.shift()?.release();
  }
}

describe('writes to one board', () => {
  it('are sent one at a time while another board is written in parallel', async () => {
    const transport = new GatedTransport();
    const client = createMondayClient(CONFIG, { transport });
    // A first call learns the budget, so the later ones are not held back as budget probes.
    const warmUp = client.changeColumnValues('9', '1', { text: 'a' });
    await expectEventually(() => expect(transport.pending).toHaveLength(1));
    transport.releaseNext();
    await warmUp;

    const writes = [
      client.changeColumnValues('A', '1', { text: 'x' }),
      client.changeColumnValues('A', '2', { text: 'y' }),
      client.createItem('A', null, 'z', {}),
      client.changeColumnValues('B', '3', { text: 'w' }),
    ];
    await expectEventually(() => expect(transport.pending.map((p) => p.board).sort()).toEqual(['A', 'B']));
    while (transport.pending.length > 0 || transport.inFlight.get('A')) {
      transport.releaseNext();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(writes);

    expect(transport.maxInFlight.get('A')).toBe(1);
    expect(transport.maxTotal).toBe(2);
  });
});

describe('BoardQueue', () => {
  it('keeps running a board’s tasks after one of them fails', async () => {
    const queue = new BoardQueue();
    const order: string[] = [];
    const failing = queue.run('b', async () => {
      order.push('first');
      throw new Error('boom');
    });
    const next = queue.run('b', async () => {
      order.push('second');
      return 2;
    });

    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe(2);
    expect(order).toEqual(['first', 'second']);
    await expectEventually(() => expect(queue.busyBoards).toBe(0));
  });
});
