import { activityLogTime, createdItemOf, readItemsCreatedBy, readItemsRemoved, removedItemOf } from '../../src/monday/board-activity-log';
import type { MondayAnswer, MondayRequest } from '../../src/monday/monday-requester';

const entry = (event: string, data: unknown, createdAt = '17650000000000000') => ({ id: 'x', event, user_id: '7', created_at: createdAt, data: typeof data === 'string' ? data : JSON.stringify(data) });

describe('reading the items a user created from a board activity log', () => {
  it('reads create_pulse entries (pulse_id as a number or a numeric string), skips other events, flags unreadable creates', () => {
    expect(createdItemOf(entry('create_pulse', { board_id: 1, pulse_id: 9400000001, pulse_name: 'Ada' }))).toEqual({
      itemId: '9400000001',
      name: 'Ada',
      createdAt: new Date(1_765_000_000_000),
    });
    expect(createdItemOf(entry('create_pulse', { pulse_id: '42' }))).toMatchObject({ itemId: '42', name: '' });
    expect(createdItemOf(entry('delete_pulse', { pulse_id: 42 }))).toBeNull();
    expect(createdItemOf(entry('create_pulse', '{not json'))).toBe('unreadable');
    expect(createdItemOf(entry('create_pulse', { pulse_id: 'abc' }))).toBe('unreadable');
  });

  it('created_at: 17 digits of 10^-7 s (divided by 10,000 for milliseconds); an ISO string is read too; anything else is no time', () => {
    expect(activityLogTime('17650000001239999')).toEqual(new Date(1_765_000_000_123));
    expect(activityLogTime('2026-12-07T10:00:00Z')).toEqual(new Date('2026-12-07T10:00:00Z'));
    expect(activityLogTime('soon')).toBeNull();
    expect(activityLogTime(null)).toBeNull();
  });

  const pages = (sizes: number[]) => {
    const asked: Array<Record<string, unknown>> = [];
    const execute = async (request: MondayRequest): Promise<MondayAnswer> => {
      asked.push(request.variables);
      const page = Number(request.variables.page);
      const size = sizes[page - 1] ?? 0;
      const logs = Array.from({ length: size }, (_, i) => entry(i === 0 ? 'create_pulse' : 'update_column_value', { pulse_id: page * 1000 + i, pulse_name: `p${page}` }));
      return { data: { boards: [{ activity_logs: logs }] }, fieldErrors: new Map(), requestId: null, replayed: false } as unknown as MondayAnswer;
    };
    return { asked, execute };
  };
  const window = { from: new Date('2026-12-07T10:00:00Z'), to: new Date('2026-12-07T12:00:00Z') };

  it('pages by 100 until a page comes back short, asking for our user in the window', async () => {
    const { asked, execute } = pages([100, 100, 3]);
    const read = await readItemsCreatedBy(execute, '55', '7', window);
    expect(read).toMatchObject({ complete: true, requests: 3 });
    expect(read.items.map((i) => i.itemId)).toEqual(['1000', '2000', '3000']);
    expect(asked[0]).toEqual({ boardId: '55', from: '2026-12-07T10:00:00.000Z', to: '2026-12-07T12:00:00.000Z', userIds: ['7'], limit: 100, page: 1 });
    expect(asked.map((a) => a.page)).toEqual([1, 2, 3]);
  });

  it('stops at maxEntries and says the read is incomplete', async () => {
    const { execute } = pages([100, 100, 100]);
    expect(await readItemsCreatedBy(execute, '55', '7', window, 200)).toMatchObject({ complete: false, requests: 2 });
  });

  it('a board monday does not return is NOT_FOUND', async () => {
    const execute = async (): Promise<MondayAnswer> => ({ data: { boards: [] }, fieldErrors: new Map(), requestId: null, replayed: false }) as unknown as MondayAnswer;
    await expect(readItemsCreatedBy(execute, '55', '7', window)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reads delete_pulse and archive_pulse entries of every user, each item once with its latest removal', async () => {
    expect(removedItemOf(entry('delete_pulse', { pulse_id: 9400000001, pulse_name: 'Ada' }))).toEqual({
      itemId: '9400000001',
      name: 'Ada',
      removal: 'deleted',
      userId: '7',
      at: new Date(1_765_000_000_000),
    });
    expect(removedItemOf(entry('archive_pulse', { pulse_id: '42' }))).toMatchObject({ itemId: '42', removal: 'archived' });
    expect(removedItemOf(entry('create_pulse', { pulse_id: 42 }))).toBeNull();
    expect(removedItemOf(entry('delete_pulse', { pulse_id: 'abc' }))).toBe('unreadable');

    const asked: Array<Record<string, unknown>> = [];
    const logs = [entry('archive_pulse', { pulse_id: 1 }, '17650000020000000'), entry('update_name', { pulse_id: 2 }), entry('delete_pulse', { pulse_id: 1 }, '17650000010000000'), entry('delete_pulse', { pulse_id: 3 })];
    const execute = async (request: MondayRequest): Promise<MondayAnswer> => {
      asked.push(request.variables);
      return { data: { boards: [{ activity_logs: logs }] }, fieldErrors: new Map(), requestId: null, replayed: false } as unknown as MondayAnswer;
    };
    const read = await readItemsRemoved(execute, '55', window);
    expect(read).toMatchObject({ complete: true, requests: 1 });
    expect(read.items.map((i) => [i.itemId, i.removal])).toEqual([
      ['1', 'archived'],
      ['3', 'deleted'],
    ]);
    expect(asked[0]).not.toHaveProperty('userIds');
  });
});
