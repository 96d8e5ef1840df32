import { rulesFor } from '../column-types/registry';
import { invalidArgument, invalidColumnId } from '../errors';
import type { ItemsQuery } from '../items-query/item-filter';
import { applyItemsQuery } from '../items-query/item-filter';
import type { Page } from '../items-query/cursor-store';
import type { BoardRecord, ColumnRecord, ItemRecord } from '../state/model';
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

/** items_page_by_column_values: values of one column OR-ed, columns AND-ed, compared with the cell text (3.4). */
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
  const items = core.store.itemsOfBoard(board.id).filter((item) =>
    resolved.every(({ column, wanted }) => {
      const texts = cellTexts(item, column, ctx);
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

/** The cell text and, for multi-valued cells ("A, B"), each part. */
function cellTexts(item: ItemRecord, column: ColumnRecord, ctx: GraphqlContext): string[] {
  if (column.type === 'name') return [item.name];
  const stored = item.values[column.id]?.data;
  if (stored === undefined) return [''];
  const text = rulesFor(column.type).text(stored, ctx.core.columnContext(column, ctx.apiVersion)) ?? '';
  return [text, ...text.split(', ')];
}
