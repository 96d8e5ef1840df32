/**
 * Shared by the monday emulator tests: every GraphQL document they send (the conformance spec
 * validates each against the official SDL), a webhook receiver, and a polling helper.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const DOCS = {
  me: 'query Me { me { id name email } }',
  meWithComplexity: 'query MeComplexity { me { id } complexity { before after query reset_in_x_seconds } }',
  users: 'query Users($emails: [String!]) { users(emails: $emails) { id name email } }',
  boards: `query Boards($ids: [ID!]) { boards(ids: $ids) { id name state board_kind items_count
    columns { id title type settings_str } groups { id title color position } } }`,
  boardColumnsTyped: 'query Cols($ids: [ID!]) { boards(ids: $ids) { columns { id type settings_str settings revision } } }',
  itemsPage: `query Page($ids: [ID!], $limit: Int!, $qp: ItemsQuery) { boards(ids: $ids) { items_page(limit: $limit, query_params: $qp) {
    cursor items { id name state created_at updated_at group { id } } } } }`,
  itemsPageWithCursor: `query PageCursor($ids: [ID!], $cursor: String, $qp: ItemsQuery) { boards(ids: $ids) {
    items_page(limit: 5, cursor: $cursor, query_params: $qp) { cursor items { id } } } }`,
  groupItemsPage: `query GroupPage($ids: [ID!], $groups: [String]) { boards(ids: $ids) { groups(ids: $groups) { id items_page(limit: 100) { items { id name } } } } }`,
  nextPage: 'query Next($cursor: String!, $limit: Int!) { next_items_page(cursor: $cursor, limit: $limit) { cursor items { id name } } }',
  itemsByIds: `query Items($ids: [ID!], $limit: Int, $exclude: Boolean) { items(ids: $ids, limit: $limit, exclude_nonactive: $exclude) {
    id name state board { id } group { id } } }`,
  itemValues: `query ItemValues($ids: [ID!]) { items(ids: $ids) { id name column_values { id type text value
    ... on StatusValue { index label is_done label_style { color border } }
    ... on DropdownValue { values { id label } }
    ... on DateValue { date time }
    ... on TimelineValue { from to }
    ... on PeopleValue { persons_and_teams { id kind } }
    ... on EmailValue { email label }
    ... on PhoneValue { phone country_short_name }
    ... on LinkValue { url url_text }
    ... on CheckboxValue { checked }
    ... on NumbersValue { number }
    ... on BoardRelationValue { linked_item_ids display_value linked_items { id name } }
    ... on CountryValue { country { code name } } } } }`,
  byColumnValues: `query ByValues($board: ID!, $columns: [ItemsPageByColumnValuesQuery!]) {
    items_page_by_column_values(board_id: $board, columns: $columns, limit: 50) { cursor items { id name } } }`,
  webhooks: 'query Hooks($board: ID!) { webhooks(board_id: $board) { id board_id event config } }',
  version: 'query Version { version { kind value display_name } versions { kind value } }',
  createItem: `mutation CreateItem($board: ID!, $name: String!, $group: String, $cv: JSON, $labels: Boolean) {
    create_item(board_id: $board, item_name: $name, group_id: $group, column_values: $cv, create_labels_if_missing: $labels) { id name state group { id } } }`,
  changeMultiple: `mutation ChangeMultiple($board: ID!, $item: ID!, $cv: JSON!, $labels: Boolean) {
    change_multiple_column_values(board_id: $board, item_id: $item, column_values: $cv, create_labels_if_missing: $labels) { id name updated_at } }`,
  changeOne: `mutation ChangeOne($board: ID!, $item: ID!, $column: String!, $value: JSON!) {
    change_column_value(board_id: $board, item_id: $item, column_id: $column, value: $value) { id } }`,
  changeSimple: `mutation ChangeSimple($board: ID!, $item: ID!, $column: String!, $value: String) {
    change_simple_column_value(board_id: $board, item_id: $item, column_id: $column, value: $value) { id } }`,
  aliasedWrites: `mutation Batch($board: ID!, $a: JSON!, $b: JSON!, $item: ID!) {
    complexity { before after query }
    first: create_item(board_id: $board, item_name: "Aliased one", column_values: $a) { id name }
    second: change_multiple_column_values(board_id: $board, item_id: $item, column_values: $b) { id }
    third: create_item(board_id: $board, item_name: "Aliased three") { id } }`,
  activityLogs: `query Logs($ids: [ID!], $from: ISO8601DateTime, $to: ISO8601DateTime, $users: [ID!], $items: [ID!], $limit: Int, $page: Int) {
    boards(ids: $ids) { activity_logs(from: $from, to: $to, user_ids: $users, item_ids: $items, limit: $limit, page: $page) {
      id event entity user_id account_id created_at data } } }`,
  deleteItem: 'mutation Delete($item: ID!) { delete_item(item_id: $item) { id state } }',
  archiveItem: 'mutation Archive($item: ID!) { archive_item(item_id: $item) { id state } }',
  moveItem: 'mutation Move($item: ID!, $group: String!) { move_item_to_group(item_id: $item, group_id: $group) { id group { id } } }',
  createUpdate: 'mutation Update($item: ID!, $body: String!) { create_update(item_id: $item, body: $body) { id body text_body item_id creator_id } }',
  createWebhook: `mutation Hook($board: ID!, $url: String!, $event: WebhookEventType!, $config: JSON) {
    create_webhook(board_id: $board, url: $url, event: $event, config: $config) { id board_id event config } }`,
  deleteWebhook: 'mutation Unhook($id: ID!) { delete_webhook(id: $id) { id board_id } }',
  createColumn: `mutation Column($board: ID!, $title: String!, $type: ColumnType!, $id: String, $defaults: JSON) {
    create_column(board_id: $board, title: $title, column_type: $type, id: $id, defaults: $defaults) { id title type settings_str } }`,
  createBoard: `mutation Board($name: String!) { create_board(board_name: $name, board_kind: public) { id name
    columns { id title type } groups { id title } } }`,
  createGroup: 'mutation Group($board: ID!, $name: String!) { create_group(board_id: $board, group_name: $name) { id title } }',
  bigRead: `query Big { boards(limit: 100) { items_page(limit: 500) { items { id name
    column_values { id text value } updates(limit: 100) { id body } } } } }`,
} as const;

/** Polls `check` until it stops throwing (or returns true), up to `timeoutMs`. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5_000): Promise<Exclude<T, false>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== false) return result as Exclude<T, false>;
      lastError = new Error('condition still false');
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw lastError;
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  body: { event?: Record<string, unknown>; challenge?: string };
}

/** A loopback webhook receiver: echoes challenges, records deliveries, answers `respond()`'s status. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  respond: (hook: ReceivedWebhook) => number = () => 200;
  echoChallenge = true;
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const hook: ReceivedWebhook = { headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedWebhook['body'] };
      this.received.push(hook);
      if (hook.body.challenge !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(this.echoChallenge ? hook.body : { challenge: 'wrong' }));
        return;
      }
      res.writeHead(this.respond(hook), { 'content-type': 'application/json' });
      res.end('{}');
    });
  });

  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/monday`;
    return this;
  }

  events(type?: string): Array<Record<string, unknown>> {
    return this.received.flatMap((r) => (r.body.event && (!type || r.body.event.type === type) ? [r.body.event] : []));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
