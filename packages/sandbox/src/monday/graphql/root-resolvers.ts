import { adminOnly } from '../bulk-import/bulk-import-errors';
import { invalidArgument, invalidBoardId } from '../errors';
import { currentVersion, listedVersions, versionKind } from '../http/api-version';
import { parseJsonArgument } from '../item-actions';
import type { BoardRecord, ItemRecord } from '../state/model';
import { columnDefaults } from './column-defaults';
import type { GraphqlContext } from './graphql-context';
import { itemsByColumnValues, pageItems } from './items-page';

type Args = Record<string, unknown>;
type RootResolver = (source: unknown, args: Args, ctx: GraphqlContext) => unknown;

const MAX_ITEM_IDS = 100;

function page<T>(list: T[], limit: number, pageNumber: number): T[] {
  const start = (Math.max(1, pageNumber) - 1) * limit;
  return list.slice(start, start + limit);
}

function complexity(_s: unknown, _a: Args, ctx: GraphqlContext): unknown {
  const c = ctx.complexity;
  return { before: c.before, query: c.query, after: c.after, reset_in_x_seconds: c.resetInSeconds };
}

function versionObject(value: string, now: number): { value: string; kind: string; display_name: string } {
  const kind = versionKind(value, now);
  const display = kind === 'current' ? `Current (${value})` : kind === 'release_candidate' ? `Release Candidate (${value})` : value;
  return { value, kind, display_name: display };
}

export const QUERY_RESOLVERS: Record<string, RootResolver> = {
  me: (_s, _a, ctx) => ctx.user,
  account: (_s, _a, ctx) => ctx.core.account,
  complexity,
  // API analytics are an admin's view (the dashboard is admin-only; the emulator assumes the query is too).
  platform_api: (_s, _a, ctx) => {
    if (!ctx.user.isAdmin) throw adminOnly();
    return ctx.platformApi();
  },
  users: (_s, args, ctx) => {
    let users = [...ctx.core.store.users.values()];
    const ids = args.ids as string[] | null | undefined;
    const emails = args.emails as string[] | null | undefined;
    const name = args.name as string | null | undefined;
    if (ids) users = users.filter((u) => ids.includes(String(u.id)));
    if (emails) users = users.filter((u) => emails.some((e) => e.toLowerCase() === u.email.toLowerCase()));
    if (name) users = users.filter((u) => u.name.toLowerCase().includes(name.toLowerCase()));
    if (args.newest_first) users.sort((a, b) => b.createdAt - a.createdAt);
    return page(users, Math.min(Number(args.limit ?? 200), 1000), Number(args.page ?? 1));
  },
  boards: (_s, args, ctx) => {
    const ids = args.ids as string[] | null | undefined;
    const state = (args.state as string | undefined) ?? 'active';
    let boards = [...ctx.core.store.boards.values()];
    if (ids) boards = boards.filter((b) => ids.includes(String(b.id)));
    if (state !== 'all') boards = boards.filter((b) => b.state === state);
    if (args.board_kind) boards = boards.filter((b) => b.kind === args.board_kind);
    if (args.order_by === 'created_at') boards.sort((a, b) => b.createdAt - a.createdAt);
    return page(boards, Number(args.limit ?? 25), Number(args.page ?? 1));
  },
  items: (_s, args, ctx) => {
    const ids = (args.ids as string[] | null | undefined) ?? [];
    if (ids.length > MAX_ITEM_IDS) throw invalidArgument(`items accepts at most ${MAX_ITEM_IDS} ids`, { ids_count: ids.length });
    let items = ids.map((id) => ctx.core.store.items.get(Number(id))).filter((i): i is ItemRecord => i !== undefined);
    if (args.exclude_nonactive) items = items.filter((i) => i.state === 'active');
    if (args.newest_first) items.sort((a, b) => b.createdAt - a.createdAt);
    return page(items, Number(args.limit ?? 25), Number(args.page ?? 1));
  },
  next_items_page: (_s, args, ctx) => pageItems(ctx.core.cursors.nextPage(String(args.cursor), Number(args.limit)), ctx),
  items_page_by_column_values: (_s, args, ctx) => {
    if (args.cursor) return pageItems(ctx.core.cursors.nextPage(String(args.cursor), Number(args.limit)), ctx);
    const board = ctx.core.store.boards.get(Number(args.board_id));
    if (!board) throw invalidBoardId(String(args.board_id));
    const columns = (args.columns as Array<{ column_id: string; column_values: Array<string | null> }> | null) ?? [];
    return itemsByColumnValues(board, columns, Number(args.limit), ctx);
  },
  webhooks: (_s, args, ctx) => ctx.core.store.webhooksOfBoard(Number(args.board_id)),
  version: (_s, _a, ctx) => versionObject(ctx.apiVersion === 'dev' ? currentVersion(ctx.core.clock.now()) : ctx.apiVersion, ctx.core.clock.now()),
  versions: (_s, _a, ctx) => listedVersions(ctx.core.clock.now()).map((v) => versionObject(v.value, ctx.core.clock.now())),
};

function writeOptions(args: Args, ctx: GraphqlContext): { createLabelsIfMissing: boolean; apiVersion: string } {
  return { createLabelsIfMissing: args.create_labels_if_missing === true, apiVersion: ctx.apiVersion };
}

function changed(ctx: GraphqlContext): void {
  ctx.core.notifyChanged();
}

export const MUTATION_RESOLVERS: Record<string, RootResolver> = {
  complexity,
  create_item: (_s, args, ctx) => {
    const item = ctx.core.items.createItem(
      { boardId: String(args.board_id), name: String(args.item_name), groupId: args.group_id as string | null, columnValues: args.column_values },
      ctx.user.id,
      writeOptions(args, ctx),
    );
    changed(ctx);
    return item;
  },
  change_multiple_column_values: (_s, args, ctx) => {
    const values = parseJsonArgument(args.column_values, 'column_values') as Record<string, unknown>;
    const item = ctx.core.items.changeValues(
      { boardId: String(args.board_id), itemId: args.item_id as string, values, syntax: 'json' },
      ctx.user.id,
      writeOptions(args, ctx),
    );
    changed(ctx);
    return item;
  },
  change_column_value: (_s, args, ctx) => {
    const value = parseJsonArgument(args.value, 'value');
    const item = ctx.core.items.changeValues(
      { boardId: String(args.board_id), itemId: args.item_id as string, values: { [String(args.column_id)]: value }, syntax: 'json' },
      ctx.user.id,
      writeOptions(args, ctx),
    );
    changed(ctx);
    return item;
  },
  change_simple_column_value: (_s, args, ctx) => {
    const item = ctx.core.items.changeValues(
      { boardId: String(args.board_id), itemId: args.item_id as string, values: { [String(args.column_id)]: args.value ?? null }, syntax: 'simple' },
      ctx.user.id,
      writeOptions(args, ctx),
    );
    changed(ctx);
    return item;
  },
  delete_item: (_s, args, ctx) => ctx.core.items.setState(String(args.item_id ?? ''), 'deleted', ctx.user.id),
  archive_item: (_s, args, ctx) => ctx.core.items.setState(String(args.item_id ?? ''), 'archived', ctx.user.id),
  move_item_to_group: (_s, args, ctx) => ctx.core.items.moveToGroup(String(args.item_id ?? ''), String(args.group_id), ctx.user.id),
  create_update: (_s, args, ctx) => ctx.core.items.createUpdate(args.item_id as string, String(args.body), ctx.user.id),
  create_webhook: async (_s, args, ctx) => {
    const webhook = await ctx.core.webhooks.create(
      { boardId: String(args.board_id), url: String(args.url), event: String(args.event), config: args.config },
      ctx.user.id,
    );
    changed(ctx);
    return webhook;
  },
  delete_webhook: (_s, args, ctx) => {
    const webhook = ctx.core.webhooks.delete(String(args.id));
    changed(ctx);
    return webhook;
  },
  create_column: (_s, args, ctx) => {
    const type = String(args.column_type);
    const column = ctx.core.boards.createColumn(
      {
        boardId: Number(args.board_id),
        id: args.id as string | null,
        title: String(args.title),
        type,
        description: args.description as string | null,
        defaults: columnDefaults(type, args.defaults === undefined || args.defaults === null ? null : parseJsonArgument(args.defaults, 'defaults')),
      },
      ctx.user.id,
    );
    changed(ctx);
    return column;
  },
  create_board: (_s, args, ctx): BoardRecord => {
    const board = ctx.core.boards.createBoard(
      { name: String(args.board_name), kind: args.board_kind as BoardRecord['kind'], description: args.description as string | null },
      ctx.user.id,
    );
    changed(ctx);
    return board;
  },
  create_group: (_s, args, ctx) => {
    const group = ctx.core.boards.createGroup({ boardId: Number(args.board_id), title: String(args.group_name), color: args.group_color as string | null });
    changed(ctx);
    return group;
  },
};
