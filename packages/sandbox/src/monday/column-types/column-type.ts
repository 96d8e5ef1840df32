import type { BoardRecord, ColumnRecord, ColumnTypeName, ItemRecord, UserRecord } from '../state/model';

/** What a column type's rules may look at: the column (settings are mutable for label creation) and the account. */
export interface ColumnContext {
  column: ColumnRecord;
  users: ReadonlyMap<number, UserRecord>;
  items: ReadonlyMap<number, ItemRecord>;
  boards: ReadonlyMap<number, BoardRecord>;
  /** `create_labels_if_missing` of the mutation (status and dropdown only). */
  createLabelsIfMissing: boolean;
  /** API version served, for version-dependent reads (board_relation `value`, reference 1.4). */
  apiVersion: string;
}

/**
 * One column type's rules from reference section 5.1: how writes are parsed (JSON and simple string),
 * what `value` and `text` read back, the typed fragment fields, the webhook's internal value shape
 * (7.5) and what `items_page` rules compare against. `null` from a writer means "clear the cell".
 */
export interface ColumnTypeRules<D> {
  readonly type: ColumnTypeName;
  /** monday's internal type name: webhook `columnType` and `error_data.column_type` from 2025-04. */
  readonly internalType: string;
  /** `error_data.column_type` before 2025-04 (e.g. `ColorColumn`). */
  readonly legacyErrorType: string;
  defaultSettings(): Record<string, unknown>;
  writeJson(input: unknown, ctx: ColumnContext): D | null;
  /** Throws CorrectedValueException for types without a simple-string syntax. */
  writeSimple(input: string, ctx: ColumnContext): D | null;
  value(data: D, changedAt: string, ctx: ColumnContext): unknown;
  text(data: D | undefined, ctx: ColumnContext): string | null;
  typed(data: D | undefined, changedAt: string | null, ctx: ColumnContext): Record<string, unknown>;
  webhookValue(data: D, changedAt: string, ctx: ColumnContext): unknown;
  /** Values `any_of`/`not_any_of` compare with (status label ids, dropdown ids, `person-<id>`, the text...). */
  matchKeys(data: D | undefined, ctx: ColumnContext): Array<string | number>;
  /** Value used by order_by and greater_than/lower_than/between; null when empty. */
  sortKey(data: D | undefined, ctx: ColumnContext): string | number | null;
}

/** Erases a module's data type for the registry; each module's own code stays fully typed. */
export function defineColumnType<D>(rules: ColumnTypeRules<D>): ColumnTypeRules<unknown> {
  return rules as unknown as ColumnTypeRules<unknown>;
}
