import type { SalesforceDateRange, SalesforceScalar, SalesforceValue } from '../../event-store/payloads/salesforce-values';
import type { ConversionError } from './conversion-error';

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export type { SalesforceDateRange, SalesforceScalar, SalesforceValue };

/**
 * One column's entry in `column_values` of create_item / change_multiple_column_values (the API
 * WRITE format, monday.md 5.1), before the whole object is JSON-encoded. `null` clears the column.
 */
export type MondayWriteValue = JsonValue;

/** A column value as the API reads it: `value` is a JSON string (or null when empty), `text` the display text. */
export interface MondayColumnRead {
  readonly value: string | null;
  readonly text: string | null;
  /** board_relation only: `linked_item_ids` (from API 2025-04 the relation's `value` is null). */
  readonly linkedItemIds?: readonly string[];
}

/** Links of the sync between Salesforce records and monday items, per object key of the mapping. */
export interface RecordLinks {
  itemIdForRecord(objectKey: string, salesforceId18: string): string | undefined;
  recordIdForItem(objectKey: string, itemId: string): string | undefined;
}

/** Users of both sides, matched by e-mail. E-mails are passed lower-cased. */
export interface UserDirectory {
  salesforceUserEmail(salesforceUserId18: string): string | undefined;
  salesforceUserIdByEmail(email: string): string | undefined;
  mondayUserEmail(mondayUserId: string): string | undefined;
  mondayUserIdByEmail(email: string): string | undefined;
}

/** What a converter may look up at call time (reference and people converters need it). */
export interface ConvertContext {
  readonly links?: RecordLinks;
  readonly users?: UserDirectory;
}

export type UnresolvedReason =
  /** The referenced record/item has no link yet (e.g. not synced yet): retry after it is linked. */
  | 'not_linked'
  /** No user with that e-mail on the other side. */
  | 'unknown_user'
  /** The webhook payload's shape was not understood: re-read the item through the API. */
  | 'needs_api_read';

/** The outcome of one conversion. Only `value` may be written. */
export type Converted<T> =
  | { readonly kind: 'value'; readonly value: T }
  | { readonly kind: 'unresolved'; readonly reason: UnresolvedReason; readonly detail: string }
  | { readonly kind: 'invalid'; readonly error: ConversionError };

/**
 * Converts one mapped field both ways. Built by `converterFor()` for a (Salesforce field, monday
 * column) pair; pure: the only outside knowledge comes through ConvertContext lookups.
 */
export interface FieldConverter {
  /** e.g. `picklist<->status`. */
  readonly pair: string;
  /** Salesforce value -> the column's entry in column_values. */
  toMonday(value: SalesforceValue, context?: ConvertContext): Converted<MondayWriteValue>;
  /** A column value read through the API (`value` JSON string and `text`) -> Salesforce value. */
  fromMondayApi(read: MondayColumnRead, context?: ConvertContext): Converted<SalesforceValue>;
  /** `event.value` of an update_column_value webhook (monday's internal shape, monday.md 7.5) -> Salesforce value. */
  fromMondayWebhook(internal: unknown, context?: ConvertContext): Converted<SalesforceValue>;
  /**
   * Whether two Salesforce values mean the same thing for this pair (a write that would not change
   * the target is never sent): compare the target's current value, converted to the Salesforce
   * side, with the value to write.
   */
  equals(a: SalesforceValue, b: SalesforceValue): boolean;
}
