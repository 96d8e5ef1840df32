import { to18 } from '../../src/mapping/salesforce-id';
import type { MondayCreatedItems, MondayItem, MondayPort } from '../../src/monday/monday.port';
import type { Claimed, DispatchContext } from '../../src/outbox/handlers/handler-types';
import { traceLostCreates } from '../../src/outbox/handlers/monday-create-trace';

type CreateItem = Claimed<'monday.create_item'>;

const BOARD = '55';
const NOW = new Date('2026-12-07T12:00:00Z');
const create = (id: number, salesforceId: string): CreateItem =>
  ({
    id,
    createdAt: new Date('2026-12-07T09:00:00Z'),
    progress: { mondayCreateRequest: { key: 'k', commandIds: [1, 2], firstSentAt: '2026-12-07T10:00:00.000Z' } },
    command: { kind: 'monday.create_item', salesforceId, salesforceIdColumn: 'salesforce_id' },
  }) as unknown as CreateItem;
const item = (id: string, state: MondayItem['state'], salesforceId: string, boardId = BOARD): MondayItem => ({
  id,
  name: `item ${id}`,
  boardId,
  groupId: 'topics',
  state,
  createdAt: null,
  updatedAt: null,
  columnValues: [{ id: 'salesforce_id', type: 'text', value: JSON.stringify(salesforceId), text: salesforceId }],
});

/** A dispatch context whose monday log names `created`, whose items are `items`, and whose links are `linked`. */
function world(created: string[], items: MondayItem[], linked: string[] = []) {
  const asked: Array<{ what: string; args: unknown[] }> = [];
  let requests = 0;
  const monday = {
    itemsCreatedBy: async (...args: unknown[]): Promise<MondayCreatedItems> => {
      asked.push({ what: 'log', args });
      return { items: created.map((itemId) => ({ itemId, name: '', createdAt: null })), complete: true, requests: 1 };
    },
    itemsByIds: async (ids: readonly string[]) => {
      asked.push({ what: 'items', args: [ids] });
      return items.filter((i) => ids.includes(i.id));
    },
  } as unknown as MondayPort;
  const ctx = {
    monday,
    now: () => NOW,
    mondayUserId: async () => '7',
    countRequests: (_target: string, n: number) => {
      requests += n;
    },
    linkedItems: async (ids: readonly string[]) => new Map(ids.filter((id) => linked.includes(id)).map((id) => [id, '00Q000000000099AAA'])),
  } as unknown as DispatchContext;
  return { ctx, asked, requests: () => requests };
}

describe('traceLostCreates (the items a create whose key monday forgot made, from the activity log)', () => {
  const columnOf = () => 'salesforce_id';
  const a = to18('00Q000000000001');
  const b = to18('00Q000000000002');

  it('reads our user\'s creates in the window, reads the unlinked ones in any state and matches them by the Id column (15- or 18-char)', async () => {
    const { ctx, asked, requests } = world(['11', '12', '13'], [item('11', 'deleted', a.slice(0, 15)), item('12', 'active', b), item('13', 'deleted', b)], ['13']);
    const traced = await traceLostCreates(BOARD, [create(1, a), create(2, b)], columnOf, ctx);
    expect(traced.links).toEqual(
      new Map([
        [1, { itemId: '11', via: 'created_monday_item' }],
        [2, { itemId: '12', via: 'salesforce_id_column' }],
      ]),
    );
    expect(traced.failures.size).toBe(0);
    expect(asked[0]).toEqual({ what: 'log', args: [BOARD, '7', { from: new Date('2026-12-07T09:55:00Z'), to: new Date('2026-12-07T12:05:00Z') }, { maxEntries: 10_000 }] });
    expect(asked[1]).toEqual({ what: 'items', args: [['11', '12']] }); // 13 is linked to a record: not a candidate
    expect(requests()).toBe(2);
  });

  it('several items of ours holding one Id: an ambiguous match, never a guess; an item on another board is not one of them', async () => {
    const { ctx } = world(['11', '12', '14'], [item('11', 'deleted', a), item('12', 'deleted', a), item('14', 'deleted', b, '66')]);
    const traced = await traceLostCreates(BOARD, [create(1, a), create(2, b)], columnOf, ctx);
    expect(traced.links.size).toBe(0);
    expect(traced.failures.get(1)).toMatchObject({ ok: false, error: { code: 'AMBIGUOUS_MATCH' } });
    expect(traced.failures.has(2)).toBe(false);
  });

  it('a failed read fails every traced create (retried later), and no create means no request', async () => {
    const { ctx } = world([], []);
    (ctx.monday as unknown as { itemsCreatedBy: () => Promise<never> }).itemsCreatedBy = async () => {
      throw new Error('socket hang up');
    };
    const traced = await traceLostCreates(BOARD, [create(1, a), create(2, b)], columnOf, ctx);
    expect([...traced.failures.keys()]).toEqual([1, 2]);
    const idle = world([], []);
    expect((await traceLostCreates(BOARD, [], columnOf, idle.ctx)).links.size).toBe(0);
    expect(idle.asked).toEqual([]);
  });
});
