import { applyMutations } from './apply-mutations';
import { readItemsCreatedBy, readItemsRemoved } from './board-activity-log';
import {
  ACCOUNT_QUERY,
  BOARDS_QUERY,
  CREATE_COLUMN_MUTATION,
  CREATE_WEBHOOK_MUTATION,
  DELETE_WEBHOOK_MUTATION,
  ITEMS_BY_COLUMN_VALUES_QUERY,
  ITEMS_BY_IDS_QUERY,
  ME_QUERY,
  PLATFORM_API_QUERY,
  USERS_QUERY,
  WEBHOOKS_QUERY,
} from './documents';
import type {
  ApplyMutationsOptions,
  MondayAccount,
  MondayApiUsage,
  ColumnValuesFilter,
  MondayBoard,
  MondayColumn,
  MondayColumnWrites,
  MondayCreatedItems,
  MondayRemovedItems,
  MondayDailyCalls,
  MondayItem,
  MondayMutation,
  MondayPort,
  MondayUser,
  MondayWebhook,
  MondayWebhookEvent,
  MutationOutcome,
  StreamBoardItemsOptions,
  WriteOptions,
} from './monday.port';
import type { MondayBulkImport } from './bulk-import.port';
import type { MondayAnswer, MondayRequest, MondayRequester } from './monday-requester';
import { list, parseAccount, parseDailyCalls, parseBoard, parseColumn, parseItem, parseUser, parseWebhook, record } from './parse-monday-responses';
import { streamBoardItems } from './stream-board-items';

const IDS_PER_QUERY = 100;
const USERS_PER_PAGE = 200;
const MAX_USER_PAGES = 100;
const PAGE_LIMIT = 500;

/** The MondayPort over GraphQL: documents in documents.ts, transport in graphql-transport.ts. */
export class GraphqlMondayClient implements MondayPort {
  constructor(
    private readonly requester: MondayRequester,
    private readonly batchSize: number,
    readonly bulkImport?: MondayBulkImport,
  ) {}

  apiUsage(): MondayApiUsage {
    return this.requester.usage();
  }

  async me(): Promise<MondayUser> {
    const answer = await this.request({ operation: 'me', document: ME_QUERY, variables: {} }, 'me');
    return parseUser(answer.data.me);
  }

  async account(): Promise<MondayAccount> {
    const answer = await this.request({ operation: 'account', document: ACCOUNT_QUERY, variables: {} }, 'account');
    return parseAccount(answer.data.account);
  }

  async dailyCalls(): Promise<MondayDailyCalls> {
    const answer = await this.request({ operation: 'platform_api', document: PLATFORM_API_QUERY, variables: {} }, 'platform_api');
    return parseDailyCalls(answer.data.platform_api, new Date().toISOString().slice(0, 10));
  }

  async users(): Promise<MondayUser[]> {
    const users: MondayUser[] = [];
    for (let page = 1; page <= MAX_USER_PAGES; page++) {
      const answer = await this.request({ operation: 'users', document: USERS_QUERY, variables: { limit: USERS_PER_PAGE, page } }, 'users');
      const batch = list(answer.data.users).map(parseUser);
      users.push(...batch);
      if (batch.length < USERS_PER_PAGE) break;
    }
    return users;
  }

  async boards(boardIds: readonly string[]): Promise<MondayBoard[]> {
    const boards: MondayBoard[] = [];
    for (const ids of chunks(boardIds, IDS_PER_QUERY)) {
      const answer = await this.request(
        { operation: 'boards', document: BOARDS_QUERY, variables: { ids, limit: ids.length }, boardId: ids.length === 1 ? ids[0] : undefined },
        'boards',
      );
      boards.push(...list(answer.data.boards).map(parseBoard));
    }
    return boards;
  }

  async itemsByIds(itemIds: readonly string[], options: { columnIds?: readonly string[] } = {}): Promise<MondayItem[]> {
    const items: MondayItem[] = [];
    const columnIds = options.columnIds ? { columnIds: [...options.columnIds] } : {};
    for (const ids of chunks(itemIds, IDS_PER_QUERY)) {
      // `limit` defaults to 25 whatever the number of ids (monday.md 3.3).
      const answer = await this.request({ operation: 'items', document: ITEMS_BY_IDS_QUERY, variables: { ids, limit: ids.length, ...columnIds } }, 'items');
      items.push(...list(answer.data.items).map((item) => parseItem(item)));
    }
    return items;
  }

  streamBoardItems(boardId: string, options?: StreamBoardItemsOptions): AsyncIterable<MondayItem> {
    return streamBoardItems(this.requester, boardId, options);
  }

  findItemsByColumnValue(boardId: string, columnId: string, values: readonly string[]): Promise<MondayItem[]> {
    return this.findItemsByColumnValues(boardId, [{ columnId, values }]);
  }

  async findItemsByColumnValues(boardId: string, columns: readonly ColumnValuesFilter[], options: { columnIds?: readonly string[] } = {}): Promise<MondayItem[]> {
    if (columns.length === 0 || columns.some((c) => c.values.length === 0)) return [];
    const items: MondayItem[] = [];
    const columnIds = options.columnIds ? { columnIds: [...options.columnIds] } : {};
    const filter = columns.map((c) => ({ column_id: c.columnId, column_values: [...c.values] }));
    let variables: Record<string, unknown> = { boardId, limit: PAGE_LIMIT, columns: filter, ...columnIds };
    for (;;) {
      const answer = await this.request(
        { operation: 'items_page_by_column_values', document: ITEMS_BY_COLUMN_VALUES_QUERY, variables, boardId },
        'items_page_by_column_values',
      );
      const page = record(answer.data.items_page_by_column_values, 'items page');
      items.push(...list(page.items).map((item) => parseItem(item, boardId)));
      if (typeof page.cursor !== 'string' || page.cursor === '') return items;
      // The filter is baked into the cursor: later pages carry the cursor only (monday.md 3.2).
      variables = { boardId, limit: PAGE_LIMIT, cursor: page.cursor, ...columnIds };
    }
  }

  itemsCreatedBy(boardId: string, userId: string, window: { from: Date; to: Date }, options: { maxEntries?: number } = {}): Promise<MondayCreatedItems> {
    return readItemsCreatedBy((request) => this.requester.execute(request), boardId, userId, window, options.maxEntries);
  }

  itemsRemoved(boardId: string, window: { from: Date; to?: Date }, options: { maxEntries?: number } = {}): Promise<MondayRemovedItems> {
    return readItemsRemoved((request) => this.requester.execute(request), boardId, window, options.maxEntries);
  }

  createItem(boardId: string, groupId: string | null, name: string, columnValues: MondayColumnWrites, options: WriteOptions = {}): Promise<{ id: string }> {
    return this.one(boardId, { kind: 'create_item', groupId, name, columnValues, createLabelsIfMissing: options.createLabelsIfMissing });
  }

  changeColumnValues(boardId: string, itemId: string, columnValues: MondayColumnWrites, options: WriteOptions = {}): Promise<{ id: string }> {
    return this.one(boardId, { kind: 'change_column_values', itemId, columnValues, createLabelsIfMissing: options.createLabelsIfMissing });
  }

  renameItem(boardId: string, itemId: string, name: string): Promise<{ id: string }> {
    return this.one(boardId, { kind: 'rename_item', itemId, name });
  }

  deleteItem(boardId: string, itemId: string): Promise<{ id: string }> {
    return this.one(boardId, { kind: 'delete_item', itemId });
  }

  archiveItem(boardId: string, itemId: string): Promise<{ id: string }> {
    return this.one(boardId, { kind: 'archive_item', itemId });
  }

  applyMutations(boardId: string, mutations: readonly MondayMutation[], options?: ApplyMutationsOptions): Promise<MutationOutcome[]> {
    return applyMutations(this.requester, boardId, mutations, this.batchSize, options);
  }

  async createWebhook(boardId: string, url: string, event: MondayWebhookEvent, config?: Record<string, unknown>): Promise<MondayWebhook> {
    const variables: Record<string, unknown> = { boardId, url, event };
    if (config !== undefined) variables.config = JSON.stringify(config);
    const answer = await this.request({ operation: 'create_webhook', document: CREATE_WEBHOOK_MUTATION, variables, boardId }, 'create_webhook');
    return parseWebhook(answer.data.create_webhook);
  }

  async deleteWebhook(boardId: string, webhookId: string): Promise<void> {
    await this.request({ operation: 'delete_webhook', document: DELETE_WEBHOOK_MUTATION, variables: { id: webhookId }, boardId }, 'delete_webhook');
  }

  async webhooks(boardId: string): Promise<MondayWebhook[]> {
    const answer = await this.request({ operation: 'webhooks', document: WEBHOOKS_QUERY, variables: { boardId }, boardId }, 'webhooks');
    return list(answer.data.webhooks).map(parseWebhook);
  }

  async createColumn(boardId: string, title: string, type: string): Promise<MondayColumn> {
    const answer = await this.request({ operation: 'create_column', document: CREATE_COLUMN_MUTATION, variables: { boardId, title, type }, boardId }, 'create_column');
    return parseColumn(answer.data.create_column);
  }

  /** A single-field request: that field's error is the call's error. */
  private async request(request: MondayRequest, field: string): Promise<MondayAnswer> {
    const answer = await this.requester.execute(request);
    const fieldError = answer.fieldErrors.get(field);
    if (fieldError) throw fieldError.withContext({ boardId: request.boardId });
    return answer;
  }

  private async one(boardId: string, mutation: MondayMutation): Promise<{ id: string }> {
    const [outcome] = await applyMutations(this.requester, boardId, [mutation], 1);
    if (!outcome.ok) throw outcome.error;
    return { id: outcome.itemId };
  }
}

function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}
