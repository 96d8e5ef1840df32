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
    const log = new ActivityLog(store, new ScaledClock(1), 1, 1);
    expect(log.query(board, { limit: 100, page: 1 })[0]?.id).toBe(String(MAX_ACTIVITY_LOGS + 49));
    expect(log.query(board, { limit: 100, page: 100 }).at(-1)?.id).toBe('50');
    expect(log.query(board, { limit: 100, page: 101 })).toEqual([]);
  });
});
