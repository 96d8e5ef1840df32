import { BULK_IMPORT_SDL } from '../bulk-import/bulk-import-resolvers';

/**
 * The emulated subset of monday's API schema, written by hand with the official names and types
 * (the official SDL is only read by the conformance test). Fields introduced in later versions are
 * switched on per served API version (reference 1.4).
 */
export interface SchemaFeatures {
  /** Column.settings and Column.revision (2025-10+). */
  typedColumnSettings: boolean;
  /** ColumnValue.is_leaf (2026-10 SDL). */
  isLeaf: boolean;
  /** ingest_items, backfill_items, fetch_job_status (2026-07+, addendum 1.1). */
  bulkImport: boolean;
}

const COLUMN_TYPES =
  'auto_number board_relation button checkbox color_picker country creation_log date dependency doc dropdown email file formula group hour integration item_assignees item_id last_updated link location long_text mirror numbers people phone progress rating status tags team text timeline time_tracking vote week world_clock unsupported name person direct_doc subtasks';

const WEBHOOK_EVENTS =
  'change_column_value change_name change_specific_column_value change_status_column_value change_subitem_column_value change_subitem_name create_column create_item create_subitem create_subitem_update create_update delete_update edit_update item_archived item_deleted item_moved_to_any_group item_moved_to_specific_group item_restored move_subitem subitem_archived subitem_deleted';

const VALUE_TYPES: Record<string, string> = {
  TextValue: '',
  LongTextValue: 'updated_at: Date',
  NumbersValue: 'number: Float symbol: String direction: NumberValueUnitDirection',
  StatusValue: 'index: Int is_done: Boolean label: String label_style: StatusLabelStyle update_id: ID updated_at: Date',
  DropdownValue: 'values: [DropdownValueOption!]!',
  DateValue: 'date: String time: String icon: String updated_at: Date',
  TimelineValue: 'from: Date to: Date visualization_type: String updated_at: Date',
  PeopleValue: 'persons_and_teams: [PeopleEntity!] updated_at: Date',
  EmailValue: 'email: String label: String updated_at: Date',
  PhoneValue: 'phone: String country_short_name: String updated_at: Date',
  LinkValue: 'url: String url_text: String updated_at: Date',
  CheckboxValue: 'checked: Boolean updated_at: Date',
  BoardRelationValue: 'display_value: String! linked_item_ids: [ID!]! linked_items: [Item!]! updated_at: Date',
  CountryValue: 'country: Country updated_at: Date',
};

export function schemaSdl(features: SchemaFeatures): string {
  const common = `column: Column! id: ID! text: String type: ColumnType! value: JSON${features.isLeaf ? ' is_leaf: Boolean!' : ''}`;
  const valueTypes = Object.entries(VALUE_TYPES)
    .map(([name, extra]) => `type ${name} implements ColumnValue { ${common} ${extra} }`)
    .join('\n');
  const columnExtra = features.typedColumnSettings ? 'settings: JSON revision: String!' : '';
  return `
scalar JSON
scalar Date
scalar ISO8601DateTime
scalar CompareValue

enum State { active all archived deleted }
enum BoardKind { private public share }
enum BoardsOrderBy { created_at used_at }
enum ColumnType { ${COLUMN_TYPES} }
enum ItemsQueryOperator { or and }
enum ItemsQueryRuleOperator { any_of not_any_of is_empty is_not_empty greater_than greater_than_or_equals lower_than lower_than_or_equal between not_contains_text contains_text contains_terms starts_with ends_with within_the_next within_the_last }
enum ItemsOrderByDirection { asc desc }
enum WebhookEventType { ${WEBHOOK_EVENTS} }
enum VersionKind { current deprecated dev maintenance old__maintenance old_previous_maintenance previous_maintenance release_candidate }
enum PositionRelative { after_at before_at }
enum UserKind { all guests non_guests non_pending }
enum Kind { agent person team }
enum NumberValueUnitDirection { left right }

type Query {
  me: User
  users(ids: [ID!], name: String, emails: [String!], limit: Int = 200, page: Int = 1, kind: UserKind, non_active: Boolean, newest_first: Boolean): [User!]
  boards(board_kind: BoardKind, ids: [ID!], latest: Boolean, limit: Int = 25, order_by: BoardsOrderBy, page: Int = 1, state: State = active, workspace_ids: [ID]): [Board]
  items(exclude_nonactive: Boolean, ids: [ID!], limit: Int = 25, newest_first: Boolean, page: Int = 1): [Item]
  items_page_by_column_values(board_id: ID!, columns: [ItemsPageByColumnValuesQuery!], cursor: String, limit: Int! = 25): ItemsResponse!
  next_items_page(cursor: String!, limit: Int! = 25): ItemsResponse!
  complexity: Complexity
  webhooks(app_webhooks_only: Boolean, board_id: ID!): [Webhook]
  version: Version!
  versions: [Version!]
  account: Account
  platform_api: PlatformApi
}

type Mutation {
  complexity: Complexity
  create_item(board_id: ID!, column_values: JSON, create_labels_if_missing: Boolean, group_id: String, item_name: String!, position_relative_method: PositionRelative, relative_to: ID): Item
  change_multiple_column_values(board_id: ID!, column_values: JSON!, create_labels_if_missing: Boolean, item_id: ID): Item
  change_simple_column_value(board_id: ID!, column_id: String!, create_labels_if_missing: Boolean, item_id: ID, value: String): Item
  change_column_value(board_id: ID!, column_id: String!, create_labels_if_missing: Boolean, item_id: ID, value: JSON!): Item
  delete_item(item_id: ID): Item
  archive_item(item_id: ID): Item
  move_item_to_group(group_id: String!, item_id: ID): Item
  create_update(body: String!, item_id: ID, parent_id: ID): Update
  create_webhook(board_id: ID!, config: JSON, event: WebhookEventType!, url: String!): Webhook
  delete_webhook(id: ID!): Webhook
  create_column(board_id: ID!, id: String, title: String!, description: String, after_column_id: ID, defaults: JSON, column_type: ColumnType!): Column
  create_board(board_kind: BoardKind!, board_name: String!, description: String, empty: Boolean = false, folder_id: ID, template_id: ID, workspace_id: ID): Board
  create_group(board_id: ID!, group_color: String, group_name: String!, position: String, position_relative_method: PositionRelative, relative_to: String): Group
}

type Account { id: ID! name: String! slug: String! tier: String country_code: String }
type PlatformApi { daily_limit: DailyLimit daily_analytics: DailyAnalytics }
type DailyLimit { base: Int total: Int addon: DailyLimitAddon }
type DailyLimitAddon { is_active: Boolean! quantity: Int! }
type DailyAnalytics { last_updated: ISO8601DateTime by_day: [PlatformApiDailyAnalyticsByDay!] }
type PlatformApiDailyAnalyticsByDay { day: String! usage: Int! }
type User { id: ID! name: String! email: String! created_at: ISO8601DateTime! title: String! url: String! kind: String! account: Account! }
type Complexity { after: Int! before: Int! query: Int! reset_in_x_seconds: Int! }
type Version { display_name: String! kind: VersionKind! value: String! }
type Webhook { board_id: ID! config: String event: WebhookEventType! id: ID! }

type Board {
  id: ID! name: String! state: State! board_kind: BoardKind! items_count: Int description: String workspace_id: ID
  updated_at: ISO8601DateTime url: String! permissions: String! owners: [User]!
  columns(ids: [String], types: [ColumnType!]): [Column]
  groups(ids: [String]): [Group]
  items_page(cursor: String, limit: Int! = 25, query_params: ItemsQuery): ItemsResponse!
  activity_logs(column_ids: [String], from: ISO8601DateTime, group_ids: [String], item_ids: [ID!], limit: Int = 25, page: Int = 1, to: ISO8601DateTime, user_ids: [ID!]): [ActivityLogType]
}
type ActivityLogType { account_id: String! created_at: String! data: String! entity: String! event: String! id: String! user_id: String! }
type Column { id: ID! title: String! type: ColumnType! description: String width: Int archived: Boolean!
  settings_str: String! ${columnExtra} }
type Group { id: ID! title: String! color: String! position: String! archived: Boolean deleted: Boolean
  items_page(cursor: String, limit: Int! = 25, query_params: ItemsQuery): ItemsResponse! }
type Item {
  id: ID! name: String! state: State group: Group board: Board created_at: Date updated_at: Date creator_id: String!
  creator: User url: String! relative_link: String email: String! parent_item: Item subitems: [Item]
  column_values(ids: [String!], types: [ColumnType!]): [ColumnValue!]!
  updates(limit: Int = 25, page: Int = 1, ids: [ID!]): [Update!]
}
type Update { id: ID! body: String! text_body: String item_id: String creator_id: String creator: User created_at: Date updated_at: Date }
type ItemsResponse { cursor: String items: [Item!]! }

input ItemsQuery { groups: [ItemsQueryGroup!] ids: [ID!] operator: ItemsQueryOperator = and order_by: [ItemsQueryOrderBy!] rules: [ItemsQueryRule!] }
input ItemsQueryRule { column_id: ID! compare_value: CompareValue! compare_attribute: String operator: ItemsQueryRuleOperator = any_of }
input ItemsQueryGroup { rules: [ItemsQueryRule!] groups: [ItemsQueryGroup!] operator: ItemsQueryOperator = and }
input ItemsQueryOrderBy { column_id: String! direction: ItemsOrderByDirection = asc }
input ItemsPageByColumnValuesQuery { column_id: String! column_values: [String]! }

interface ColumnValue { ${common} }
type StatusLabelStyle { border: String! color: String! }
type DropdownValueOption { id: ID! label: String! }
type PeopleEntity { id: ID! kind: Kind }
type Country { code: String! name: String! }
${valueTypes}
${features.bulkImport ? BULK_IMPORT_SDL : ''}
`;
}

/** Concrete ColumnValue type per column type. */
export const VALUE_TYPE_OF: Record<string, string> = {
  text: 'TextValue',
  long_text: 'LongTextValue',
  numbers: 'NumbersValue',
  status: 'StatusValue',
  dropdown: 'DropdownValue',
  date: 'DateValue',
  timeline: 'TimelineValue',
  people: 'PeopleValue',
  email: 'EmailValue',
  phone: 'PhoneValue',
  link: 'LinkValue',
  checkbox: 'CheckboxValue',
  board_relation: 'BoardRelationValue',
  country: 'CountryValue',
};
