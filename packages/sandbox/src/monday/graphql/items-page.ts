import { invalidArgument, invalidColumnId } from '../errors';
import type { ItemsQuery } from '../items-query/item-filter';
import { applyItemsQuery } from '../items-query/item-filter';
import type { Page } from '../items-query/cursor-store';
import { cellTexts } from '../state/column-text-index';
import type { BoardRecord, ItemRecord } from '../state/model';
import type { GraphqlContext } from './graphql-context';

export interface ItemsPageArgs {
  limit: number;
  cursor?: string | null;
  query_params?: ItemsQuery | null;
}

export interface ItemsResponse {
  cursor: string | null;
  items: ItemRecord[];
}

/** Items of a page that are still active (the cached ids may point at items deleted since). */
export function pageItems(page: Page, ctx: GraphqlContext): ItemsResponse {
  const items: ItemRecord[] = [];
  for (const id of page.itemIds) {
    const item = ctx.core.store.items.get(id);
    if (item && item.state === 'active') items.push(item);
  }
  return { cursor: page.cursor, items };
}

/** Board.items_page / Group.items_page (reference 3.2): `cursor` and `query_params` are exclusive. */
export function itemsPage(board: BoardRecord, groupId: string | undefined, args: ItemsPageArgs, ctx: GraphqlContext): ItemsResponse {
  const { core } = ctx;
  if (args.cursor && args.query_params) {
    throw invalidArgument('cursor and query_params cannot be used together: filter on the first page, then follow the cursor');
  }
  if (args.cursor) return pageItems(core.cursors.nextPage(args.cursor, args.limit), ctx);
  let items = core.store.itemsOfBoard(board.id);
  if (groupId !== undefined) items = items.filter((i) => i.groupId === groupId);
  const selected = applyItemsQuery(items, args.query_params, {
    board,
    now: core.clock.now(),
    context: (column) => core.columnContext(column, ctx.apiVersion),
  });
  return pageItems(
    core.cursors.firstPage(
      board.id,
      selected.map((i) => i.id),
      args.limit,
    ),
    ctx,
  );
}

/**
 * items_page_by_column_values: values of one column OR-ed, columns AND-ed, compared with the cell
 * text and its ", " parts (3.4); active items in creation order. The first column whose type the
 * store indexes narrows the board to its matches (MondayStore.itemsWithCellText); every condition is
 * then checked on those as on a full scan, which is what a column with no index gets.
 */
export function itemsByColumnValues(
  board: BoardRecord,
  columns: Array<{ column_id: string; column_values: Array<string | null> }>,
  limit: number,
  ctx: GraphqlContext,
): ItemsResponse {
  const { core } = ctx;
  const resolved = columns.map((c) => {
    const column = board.columns.find((col) => col.id === c.column_id);
    if (!column) throw invalidColumnId(c.column_id);
    return { column, wanted: c.column_values.map((v) => v ?? '') };
  });
  let candidates: ItemRecord[] | undefined;
  for (const { column, wanted } of resolved) {
    candidates = core.store.itemsWithCellText(board, column, wanted);
    if (candidates) break;
  }
  const items = (candidates ?? core.store.itemsOfBoard(board.id)).filter(
    (item) =>
      item.state === 'active' &&
      resolved.every(({ column, wanted }) => {
        const texts = cellTexts(item, column, core.columnContext(column, ctx.apiVersion));
        return wanted.some((v) => texts.includes(v));
      }),
  );
  return pageItems(
    core.cursors.firstPage(
      board.id,
      items.map((i) => i.id),
      limit,
    ),
    ctx,
  );
}
