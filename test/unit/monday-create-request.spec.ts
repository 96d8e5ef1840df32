import { createRequestKey, createsWindow, repeatedCreateRequests } from '../../src/outbox/handlers/monday-create-request';
import type { Claimed } from '../../src/outbox/handlers/handler-types';

type CreateItem = Claimed<'monday.create_item'>;

const create = (id: number, saved?: { key: string; commandIds: number[] }): CreateItem =>
  ({ id, progress: saved ? { mondayCreateRequest: saved } : null, command: { kind: 'monday.create_item' } }) as unknown as CreateItem;

describe('repeatedCreateRequests (a retried create sent again as its first request)', () => {
  const claims = (...ids: number[]) => ids.map((id) => ({ id, dispatch: 1 }));
  const key = createRequestKey('100', claims(1, 2));

  it('names a request by its board, its commands in order and their claims', () => {
    expect(createRequestKey('100', claims(1, 2))).toBe(key);
    expect(createRequestKey('100', claims(2, 1))).not.toBe(key);
    expect(createRequestKey('200', claims(1, 2))).not.toBe(key);
    // A later claim of the same commands sends a new request (a refusal kept under the old key is not replayed).
    expect(createRequestKey('100', [{ id: 1, dispatch: 2 }, { id: 2, dispatch: 1 }])).not.toBe(key);
  });

  it('sends the saved request again, whole and in order, when the lookup missed one of its items and found the other', () => {
    const [one, two] = [create(1, { key, commandIds: [1, 2] }), create(2, { key, commandIds: [1, 2] })];
    const { repeated, fresh } = repeatedCreateRequests([two], [one]);
    expect(repeated).toEqual([{ key, commands: [one, two] }]);
    expect(fresh).toEqual([]);
  });

  it('creates the usual way when a command of the saved request is not in this batch, or none was saved', () => {
    const one = create(1, { key, commandIds: [1, 2] });
    const three = create(3);
    const { repeated, fresh } = repeatedCreateRequests([one, three], []);
    expect(repeated).toEqual([]);
    expect(fresh).toEqual([one, three]);
  });

  it('does not send a request again when the lookup found all its items', () => {
    const [one, two] = [create(1, { key, commandIds: [1, 2] }), create(2, { key, commandIds: [1, 2] })];
    expect(repeatedCreateRequests([], [one, two])).toEqual({ repeated: [], fresh: [] });
  });
});

describe('createsWindow (where a retry reads the activity log)', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  const sent = (minutesAgo: number | null, createdMinutesAgo = 60) =>
    ({
      progress: { mondayCreateRequest: { key: 'k', commandIds: [1], ...(minutesAgo === null ? {} : { firstSentAt: new Date(now.getTime() - minutesAgo * 60_000).toISOString() }) } },
      createdAt: new Date(now.getTime() - createdMinutesAgo * 60_000),
    }) as unknown as CreateItem;

  it('spans from the earliest first send (the command\'s creation when unrecorded) less 5 minutes to now plus 5 minutes', () => {
    expect(createsWindow([sent(40), sent(90)], now)).toEqual({ from: new Date('2026-12-07T10:25:00Z'), to: new Date('2026-12-07T12:05:00Z') });
    expect(createsWindow([sent(40), sent(null, 120)], now).from).toEqual(new Date('2026-12-07T09:55:00Z'));
  });
});
