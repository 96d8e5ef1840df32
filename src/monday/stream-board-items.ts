import { BOARD_ITEMS_FIRST_PAGE_QUERY, NEXT_ITEMS_PAGE_QUERY } from './documents';
import { MondayError } from './monday.error';
import { mondayCursorRestarts } from './monday-metrics';
import type { MondayItem, MondayItemsQuery, MondayItemsQueryRule, StreamBoardItemsOptions } from './monday.port';
import type { MondayRequester } from './monday-requester';
import { list, parseItem, record } from './parse-monday-responses';

const CREATION = '__creation_log__';
const MAX_PAGE = 500;
/** Restarts in a row that yielded nothing new before the stream gives up. */
const MAX_FRUITLESS_RESTARTS = 3;

interface Page {
  cursor: string | null;
  items: MondayItem[];
}

/**
 * Every active item of a board exactly once. Pages with items_page then next_items_page. A cursor
 * lives 60 minutes from the first page (monday.md 3.2), so a long read can lose it mid-way; public
 * connectors then fail or start over and yield duplicates. Here the read is ordered by creation
 * (`__creation_log__`, unless the caller orders it), and on CURSOR_EXPIRED it restarts with a rule
 * `__creation_log__ >= the day of the last item seen`: monday has no rule on the item id, and date
 * rules compare whole days, so the restart re-reads at most that day, and ids already yielded are
 * skipped. With a caller's own order_by the restart re-reads from the start, still skipping ids.
 * The seen-ids set grows with the board (about 60 bytes per item).
 */
export async function* streamBoardItems(requester: MondayRequester, boardId: string, options: StreamBoardItemsOptions = {}): AsyncGenerator<MondayItem> {
  const limit = options.pageSize ?? MAX_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new MondayError('VALIDATION', `pageSize must be an integer from 1 to ${MAX_PAGE}, got ${limit}`);
  }
  const callerQuery = options.queryParams;
  const ordersByCreation = !callerQuery?.order_by?.length;
  const baseQuery: MondayItemsQuery = ordersByCreation ? { ...callerQuery, order_by: [{ column_id: CREATION, direction: 'asc' }] } : { ...callerQuery };
  const columnIds = options.columnIds ? { columnIds: [...options.columnIds] } : {};
  const seen = new Set<string>();
  let lastCreatedAt: string | null = null;
  let fruitlessRestarts = 0;
  let query = baseQuery;

  for (;;) {
    let page = await fetchPage(requester, boardId, () => ({
      operation: 'items_page',
      document: BOARD_ITEMS_FIRST_PAGE_QUERY,
      variables: { boardId, limit, queryParams: query, ...columnIds },
    }));
    let yieldedSinceRestart = 0;
    for (;;) {
      for (const item of page.items) {
        if (seen.has(item.id)) continue;
        seen.add(item.id);
        if (item.createdAt) lastCreatedAt = item.createdAt;
        yieldedSinceRestart++;
        yield item;
      }
      if (page.cursor === null) return;
      const cursor = page.cursor;
      try {
        page = await fetchPage(requester, boardId, () => ({
          operation: 'next_items_page',
          document: NEXT_ITEMS_PAGE_QUERY,
          variables: { cursor, limit, ...columnIds },
        }));
      } catch (error) {
        if (!(error instanceof MondayError) || error.code !== 'CURSOR_EXPIRED') throw error;
        break;
      }
    }
    // Only a CURSOR_EXPIRED leaves the page loop without returning.
    fruitlessRestarts = yieldedSinceRestart > 0 ? 0 : fruitlessRestarts + 1;
    if (fruitlessRestarts > MAX_FRUITLESS_RESTARTS) {
      throw new MondayError('CURSOR_EXPIRED', `items_page cursors of board ${boardId} kept expiring without progress`, { boardId });
    }
    mondayCursorRestarts.inc();
    query = ordersByCreation && lastCreatedAt ? resumeQuery(baseQuery, lastCreatedAt) : baseQuery;
  }
}

/** The caller's query AND `created on or after the day of lastCreatedAt`. */
export function resumeQuery(base: MondayItemsQuery, lastCreatedAt: string): MondayItemsQuery {
  const parsed = Date.parse(lastCreatedAt);
  const day = Number.isNaN(parsed) ? lastCreatedAt.slice(0, 10) : new Date(parsed).toISOString().slice(0, 10);
  const rule: MondayItemsQueryRule = { column_id: CREATION, compare_value: ['EXACT', day], operator: 'greater_than_or_equals' };
  const { ids, order_by, rules, groups, operator } = base;
  const resumed: MondayItemsQuery = { order_by, rules: [rule], operator: 'and' };
  if (ids) resumed.ids = ids;
  if (rules?.length || groups?.length) resumed.groups = [{ rules, groups, operator: operator ?? 'and' }];
  return resumed;
}

/** A page read; the requester retries a throttled or transiently failing read (MondayRequester.execute). */
async function fetchPage(
  requester: MondayRequester,
  boardId: string,
  request: () => { operation: string; document: string; variables: Record<string, unknown> },
): Promise<Page> {
  const answer = await requester.execute({ ...request(), boardId });
  const fieldError = answer.fieldErrors.get('boards') ?? answer.fieldErrors.get('next_items_page');
  if (fieldError) throw fieldError;
  return parsePage(answer.data, boardId);
}

function parsePage(data: Record<string, unknown>, boardId: string): Page {
  let response: unknown = data.next_items_page;
  if (response === undefined) {
    const boards = list(data.boards);
    if (boards.length === 0) throw new MondayError('NOT_FOUND', `board ${boardId} not found or not visible to the token`, { boardId });
    response = record(boards[0], 'board').items_page;
  }
  const r = record(response, 'items page');
  return {
    cursor: typeof r.cursor === 'string' && r.cursor !== '' ? r.cursor : null,
    items: list(r.items).map((item) => parseItem(item, boardId)),
  };
}
