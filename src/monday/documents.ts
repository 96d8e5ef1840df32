/**
 * Every GraphQL document the client can send, in one module so the conformance test can validate
 * them all against monday's SDL. The mutation batch is generated (see mutation-batch-document.ts).
 *
 * `complexity { ... }` rides along on every operation: it costs nothing extra and is how the client
 * learns its remaining budget (monday.md 3.5, 8.6). `$columnIds` is left out of the variables to
 * read every column (an absent variable means the argument is absent).
 */
export const COMPLEXITY_FIELDS = 'complexity { before after query reset_in_x_seconds }';

const ITEM_FIELDS = `fragment ItemFields on Item {
  id name state created_at updated_at
  board { id }
  group { id }
  column_values(ids: $columnIds) {
    id type text value
    ... on BoardRelationValue { linked_item_ids }
  }
}`;

export const ME_QUERY = `query Me {
  me { id name email }
  ${COMPLEXITY_FIELDS}
}`;

/** The account behind the token: its country is the default country of phone numbers. */
export const ACCOUNT_QUERY = `query Account {
  account { id country_code }
  ${COMPLEXITY_FIELDS}
}`;

export const USERS_QUERY = `query Users($limit: Int!, $page: Int!) {
  users(limit: $limit, page: $page) { id name email }
  ${COMPLEXITY_FIELDS}
}`;

export const BOARDS_QUERY = `query Boards($ids: [ID!]!, $limit: Int!) {
  boards(ids: $ids, limit: $limit) {
    id name
    columns { id title type settings_str archived }
    groups { id title }
  }
  ${COMPLEXITY_FIELDS}
}`;

export const ITEMS_BY_IDS_QUERY = `query ItemsByIds($ids: [ID!]!, $limit: Int!, $columnIds: [String!]) {
  items(ids: $ids, limit: $limit) { ...ItemFields }
  ${COMPLEXITY_FIELDS}
}
${ITEM_FIELDS}`;

/** First page: the filter goes here and only here (cursor and query_params never mix, monday.md 3.2). */
export const BOARD_ITEMS_FIRST_PAGE_QUERY = `query BoardItemsFirstPage($boardId: ID!, $limit: Int!, $queryParams: ItemsQuery, $columnIds: [String!]) {
  boards(ids: [$boardId]) {
    items_page(limit: $limit, query_params: $queryParams) { cursor items { ...ItemFields } }
  }
  ${COMPLEXITY_FIELDS}
}
${ITEM_FIELDS}`;

export const NEXT_ITEMS_PAGE_QUERY = `query NextItemsPage($cursor: String!, $limit: Int!, $columnIds: [String!]) {
  next_items_page(cursor: $cursor, limit: $limit) { cursor items { ...ItemFields } }
  ${COMPLEXITY_FIELDS}
}
${ITEM_FIELDS}`;

/** First page with `$columns`, later pages with `$cursor` only. */
export const ITEMS_BY_COLUMN_VALUES_QUERY = `query ItemsByColumnValues($boardId: ID!, $limit: Int!, $columns: [ItemsPageByColumnValuesQuery!], $cursor: String, $columnIds: [String!]) {
  items_page_by_column_values(board_id: $boardId, limit: $limit, columns: $columns, cursor: $cursor) { cursor items { ...ItemFields } }
  ${COMPLEXITY_FIELDS}
}
${ITEM_FIELDS}`;

export const WEBHOOKS_QUERY = `query Webhooks($boardId: ID!) {
  webhooks(board_id: $boardId) { id board_id event config }
  ${COMPLEXITY_FIELDS}
}`;

export const CREATE_WEBHOOK_MUTATION = `mutation CreateWebhook($boardId: ID!, $url: String!, $event: WebhookEventType!, $config: JSON) {
  create_webhook(board_id: $boardId, url: $url, event: $event, config: $config) { id board_id event config }
  ${COMPLEXITY_FIELDS}
}`;

export const DELETE_WEBHOOK_MUTATION = `mutation DeleteWebhook($id: ID!) {
  delete_webhook(id: $id) { id board_id }
  ${COMPLEXITY_FIELDS}
}`;

export const CREATE_COLUMN_MUTATION = `mutation CreateColumn($boardId: ID!, $title: String!, $type: ColumnType!) {
  create_column(board_id: $boardId, title: $title, column_type: $type) { id title type settings_str }
  ${COMPLEXITY_FIELDS}
}`;

/**
 * The account's daily call limit and today's usage by every app and user (developer docs "Optimizing
 * API usage"; refreshed by monday about every 10 minutes). Readable by account admins only.
 */
export const PLATFORM_API_QUERY = `query PlatformApi {
  platform_api {
    daily_limit { total }
    daily_analytics { last_updated by_day { day usage } }
  }
  ${COMPLEXITY_FIELDS}
}`;

/**
 * One page of a board's activity log by one user in a time window, newest first (`created_at`: a
 * 17-digit time in 10^-7 s units; `data`: a JSON string). The board `activity_logs` field has no event
 * filter: every kind of entry of that user comes back.
 */
export const BOARD_ACTIVITY_LOGS_QUERY = `query BoardActivityLogs($boardId: ID!, $from: ISO8601DateTime!, $to: ISO8601DateTime, $userIds: [ID!], $limit: Int!, $page: Int!) {
  boards(ids: [$boardId]) {
    activity_logs(from: $from, to: $to, user_ids: $userIds, limit: $limit, page: $page) { id event user_id created_at data }
  }
  ${COMPLEXITY_FIELDS}
}`;

/** The fixed documents by name (the conformance test walks this). */
export const STATIC_DOCUMENTS: Readonly<Record<string, string>> = {
  ME_QUERY,
  ACCOUNT_QUERY,
  USERS_QUERY,
  BOARDS_QUERY,
  ITEMS_BY_IDS_QUERY,
  BOARD_ITEMS_FIRST_PAGE_QUERY,
  NEXT_ITEMS_PAGE_QUERY,
  ITEMS_BY_COLUMN_VALUES_QUERY,
  WEBHOOKS_QUERY,
  CREATE_WEBHOOK_MUTATION,
  DELETE_WEBHOOK_MUTATION,
  CREATE_COLUMN_MUTATION,
  PLATFORM_API_QUERY,
  BOARD_ACTIVITY_LOGS_QUERY,
};

/** The token's user; `kind` is `admin` for account admins (2026-07+: `is_admin` is gone, addendum 2.2). */
export const ME_KIND_QUERY = `query MeKind {
  me { id kind }
  ${COMPLEXITY_FIELDS}
}`;

/** Bulk import (API 2026-07+, addendum 1.2): a job and its pre-signed upload URL. */
export const INGEST_ITEMS_MUTATION = `mutation IngestItems($boardId: ID!, $groupId: ID!) {
  ingest_items(board_id: $boardId, group_id: $groupId) { job_id upload_url }
  ${COMPLEXITY_FIELDS}
}`;

export const BACKFILL_ITEMS_MUTATION = `mutation BackfillItems($boardId: ID!, $groupId: ID!) {
  backfill_items(board_id: $boardId, group_id: $groupId) { job_id upload_url }
  ${COMPLEXITY_FIELDS}
}`;

export const FETCH_JOB_STATUS_QUERY = `query FetchJobStatus($jobId: ID!) {
  fetch_job_status(job_id: $jobId) {
    ... on ItemsJobStatus {
      status progress_percentage fully_imported failure_reason failure_message report_created report_url
      counts { submitted invalid skipped created updated failed }
    }
  }
  ${COMPLEXITY_FIELDS}
}`;

/** Documents only sent with API 2026-07 or later (the conformance test validates them against 2026-10). */
export const BULK_IMPORT_DOCUMENTS: Readonly<Record<string, string>> = {
  ME_KIND_QUERY,
  INGEST_ITEMS_MUTATION,
  BACKFILL_ITEMS_MUTATION,
  FETCH_JOB_STATUS_QUERY,
};
