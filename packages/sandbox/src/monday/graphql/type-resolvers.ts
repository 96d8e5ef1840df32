import type { GraphQLFieldResolver } from 'graphql';
import type { ActivityLogsArgs } from '../activity-log';
import { readStatusSettings } from '../column-types/status-labels';
import type { ActivityLogRecord, BoardRecord, ColumnRecord, GroupRecord, ItemRecord, UpdateRecord, UserRecord, WebhookRecord } from '../state/model';
import { isoSeconds } from '../time-format';
import { ColumnValueView } from './column-value-view';
import type { GraphqlContext } from './graphql-context';
import type { ItemsPageArgs } from './items-page';
import { itemsPage } from './items-page';

type Resolver<S> = GraphQLFieldResolver<S, GraphqlContext, Record<string, unknown>>;
export type TypeResolvers = Record<string, Record<string, Resolver<never>>>;

function accountUrl(ctx: GraphqlContext): string {
  return `https://${ctx.core.account.slug}.monday.com`;
}

/** Column.settings (2025-10+): typed JSON; status labels carry stable ids and display positions (3.1). */
function typedSettings(column: ColumnRecord): unknown {
  if (column.type === 'status') {
    const s = readStatusSettings(column);
    return {
      type: 'status',
      labels: Object.entries(s.labels).map(([id, label]) => ({
        id: Number(id),
        label,
        color: s.labels_colors[id]?.var_name ?? 'grey',
        index: s.labels_positions_v2[id] ?? 0,
        is_done: s.done_colors.includes(Number(id)),
      })),
    };
  }
  return { type: column.type, ...column.settings };
}

const user: Record<string, Resolver<UserRecord>> = {
  created_at: (u) => new Date(u.createdAt).toISOString(),
  url: (u, _a, ctx) => `${accountUrl(ctx)}/users/${u.id}`,
  kind: (u) => (u.isAdmin ? 'admin' : 'member'),
  account: (_u, _a, ctx) => ctx.core.account,
};

const board: Record<string, Resolver<BoardRecord>> = {
  board_kind: (b) => b.kind,
  items_count: (b, _a, ctx) => ctx.core.store.itemsOfBoard(b.id).length,
  workspace_id: (b) => b.workspaceId,
  updated_at: (b) => new Date(b.updatedAt).toISOString(),
  url: (b, _a, ctx) => `${accountUrl(ctx)}/boards/${b.id}`,
  permissions: () => 'everyone',
  owners: (b, _a, ctx) => [ctx.core.store.users.get(b.ownerId)].filter(Boolean),
  columns: (b, args) => {
    const ids = args.ids as string[] | null | undefined;
    const types = args.types as string[] | null | undefined;
    return b.columns.filter((c) => !c.archived && (!ids || ids.includes(c.id)) && (!types || types.includes(c.type)));
  },
  groups: (b, args) => {
    const ids = args.ids as string[] | null | undefined;
    return b.groups.filter((g) => !g.deleted && (!ids || ids.includes(g.id))).sort((x, y) => x.position - y.position);
  },
  items_page: (b, args, ctx) => itemsPage(b, undefined, args as unknown as ItemsPageArgs, ctx),
  activity_logs: (b, args, ctx) => ctx.core.activityLog.query(b, args as ActivityLogsArgs),
};

const activityLog: Record<string, Resolver<ActivityLogRecord>> = {
  account_id: (a) => String(a.accountId),
  created_at: (a) => a.createdAt,
  user_id: (a) => String(a.userId),
};

const column: Record<string, Resolver<ColumnRecord>> = {
  settings_str: (c) => JSON.stringify(c.settings),
  settings: (c) => typedSettings(c),
  revision: (c) => String(c.revision),
};

const group: Record<string, Resolver<GroupRecord & { boardId?: number }>> = {
  position: (g) => g.position.toFixed(1),
  items_page: (g, args, ctx) => {
    const owner = [...ctx.core.store.boards.values()].find((b) => b.groups.includes(g));
    if (!owner) return { cursor: null, items: [] };
    return itemsPage(owner, g.id, args as unknown as ItemsPageArgs, ctx);
  },
};

const item: Record<string, Resolver<ItemRecord>> = {
  group: (i, _a, ctx) => ctx.core.store.boards.get(i.boardId)?.groups.find((g) => g.id === i.groupId) ?? null,
  board: (i, _a, ctx) => ctx.core.store.boards.get(i.boardId) ?? null,
  created_at: (i) => isoSeconds(i.createdAt),
  updated_at: (i) => isoSeconds(i.updatedAt),
  creator_id: (i) => String(i.creatorId),
  creator: (i, _a, ctx) => ctx.core.store.users.get(i.creatorId) ?? null,
  url: (i, _a, ctx) => `${accountUrl(ctx)}/boards/${i.boardId}/pulses/${i.id}`,
  relative_link: (i) => `/boards/${i.boardId}/pulses/${i.id}`,
  email: (i, _a, ctx) => `${ctx.core.account.slug}-pulse-${i.id}@use1.mx.monday.com`,
  parent_item: () => null,
  subitems: () => [],
  column_values: (i, args, ctx) => {
    const b = ctx.core.store.boards.get(i.boardId);
    if (!b) return [];
    const ids = args.ids as string[] | null | undefined;
    const types = args.types as string[] | null | undefined;
    return b.columns
      .filter((c) => c.type !== 'name' && !c.archived && (!ids || ids.includes(c.id)) && (!types || types.includes(c.type)))
      .map((c) => new ColumnValueView(i, c, ctx));
  },
  updates: (i, args, ctx) => {
    const limit = (args.limit as number | undefined) ?? 25;
    const page = (args.page as number | undefined) ?? 1;
    return ctx.core.store.updatesOfItem(i.id).slice((page - 1) * limit, page * limit);
  },
};

const update: Record<string, Resolver<UpdateRecord>> = {
  text_body: (u) => u.textBody,
  item_id: (u) => String(u.itemId),
  creator_id: (u) => String(u.creatorId),
  creator: (u, _a, ctx) => ctx.core.store.users.get(u.creatorId) ?? null,
  created_at: (u) => isoSeconds(u.createdAt),
  updated_at: (u) => isoSeconds(u.createdAt),
};

const webhook: Record<string, Resolver<WebhookRecord>> = {
  board_id: (w) => w.boardId,
  config: (w) => (w.config ? JSON.stringify(w.config) : null),
};

export const TYPE_RESOLVERS = { User: user, Board: board, ActivityLogType: activityLog, Column: column, Group: group, Item: item, Update: update, Webhook: webhook } as unknown as TypeResolvers;
