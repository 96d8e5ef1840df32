import { ScaledClock } from '../../src/clock';
import { ActivityLog, MAX_ACTIVITY_LOGS } from '../../src/monday/activity-log';
import type { BoardRecord } from '../../src/monday/state/model';
import { MondayStore } from '../../src/monday/state/store';

describe('the emulator activity log query (pure part)', () => {
  it('reaches only the newest 10,000 entries of a query, as monday documents', () => {
    const store = new MondayStore();
    const board = { id: 1 } as BoardRecord;
    for (let i = 0; i < MAX_ACTIVITY_LOGS + 50; i++) {
      store.addActivityLog({ id: String(i), boardId: 1, event: 'update_column_value', entity: 'pulse', userId: 7, accountId: 1, createdAt: String(17_000_000_000_000_000 + i), data: '{}' });
    }
    const log = new ActivityLog(store, new ScaledClock(1, 1_700_000_000_000 + 60_000), 1, 1);
    expect(log.query(board, { limit: 100, page: 1 })[0]?.id).toBe(String(MAX_ACTIVITY_LOGS + 49));
    expect(log.query(board, { limit: 100, page: 100 }).at(-1)?.id).toBe('50');
    expect(log.query(board, { limit: 100, page: 101 })).toEqual([]);
  });

  it('serves a week of entries and keeps a board\'s newest 10,000', () => {
    const store = new MondayStore();
    const clock = new ScaledClock(1, Date.parse('2026-12-01T00:00:00Z'));
    const log = new ActivityLog(store, clock, 1, 1);
    const board = { id: 1, groups: [] } as unknown as BoardRecord;
    const item = { id: 5, groupId: 'g', name: 'x' } as never;
    log.record({ type: 'item_created', board, item, actorId: 7 });
    clock.advance(7 * 24 * 60 * 60_000 - 60_000);
    expect(log.query(board, {})).toHaveLength(1);
    clock.advance(2 * 60_000);
    expect(log.query(board, {})).toEqual([]);
    for (let i = 0; i < 11_500; i++) log.record({ type: 'item_deleted', board, item, actorId: 7 });
    expect(store.activityLogsOfBoard(1).length).toBeLessThanOrEqual(11_000);
    expect(store.activityLogsOfBoard(1).length).toBeGreaterThanOrEqual(10_000);
  });
});
