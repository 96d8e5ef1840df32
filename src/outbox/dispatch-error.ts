import { isMondayError, type MondayErrorCode } from '../monday/monday.error';
import { isLeaseLost } from './claim-lease';
import { isSalesforceError, type SalesforceErrorCode } from '../salesforce/salesforce.error';

/** Failures the dispatcher itself finds (no CRM said them). */
export type DispatcherErrorCode =
  /** Several records match a create's match fields: never guess which one (invariant 6). */
  | 'AMBIGUOUS_MATCH'
  /** The stored command cannot be acted on (unknown kind, missing field): a bug or an old row. */
  | 'INVALID_COMMAND'
  /** An exception that is not a typed CRM error: treated as transient, with a bounded number of tries. */
  | 'UNEXPECTED'
  /** This dispatcher's claim may have been taken over: the write was not sent (never settled as a failure). */
  | 'LEASE_LOST'
  /**
   * crm-sync itself failed on the command (a TypeError, RangeError... from a handler, or a payload the
   * dispatcher cannot process): the same command fails the same way every time, so it is a dead letter
   * at once, never a retry loop.
   */
  | 'INTERNAL_ERROR';

export type DispatchErrorCode = SalesforceErrorCode | MondayErrorCode | DispatcherErrorCode;

/**
 * One failure of one command, whichever CRM (or the dispatcher) reported it: what the failure
 * policy acts on and what a dead letter shows. Never carries a token (both CRM error types redact).
 */
export interface DispatchError {
  code: DispatchErrorCode;
  target: 'salesforce' | 'monday' | 'dispatcher';
  message: string;
  /** The CRM's own code, e.g. INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST or ColumnValueException. */
  crmCode?: string;
  /** Salesforce field or monday column the CRM named. */
  field?: string;
  /** The value the CRM rejected, when it said. */
  value?: string;
  retryAfterMs?: number;
  /** INTERNAL_ERROR: where it was thrown (first frames), for the bug report. */
  stack?: string;
}

const RESTRICTED_PICKLIST_VALUE = /bad value for restricted picklist field:\s*(.*)$/i;

/** Translates anything a handler caught into a DispatchError (CRM errors keep their stable codes). */
export function toDispatchError(error: unknown): DispatchError {
  if (isSalesforceError(error)) {
    const value = error.sfCode === 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' ? RESTRICTED_PICKLIST_VALUE.exec(error.message)?.[1]?.trim() : undefined;
    return compact({
      code: error.code,
      target: 'salesforce',
      message: error.message,
      crmCode: error.sfCode,
      field: error.fields[0] ?? restrictedPicklistField(error.message),
      value,
      retryAfterMs: error.retryAfterMs,
    });
  }
  if (isMondayError(error)) {
    const rejected = error.details.rejectedValue;
    return compact({
      code: error.code,
      target: 'monday',
      message: error.message,
      crmCode: error.details.mondayCode,
      field: error.details.columnId,
      value: rejected === undefined ? undefined : rejectedText(rejected),
      retryAfterMs: error.retryAfterMs,
    });
  }
  if (isLeaseLost(error)) return dispatcherError('LEASE_LOST', error.message);
  if (isProgrammingError(error)) return internalError(error);
  return { code: 'UNEXPECTED', target: 'dispatcher', message: error instanceof Error ? error.message : String(error) };
}

/**
 * monday's ColumnValueException names the refused value (`error_data.column_value`) but not the
 * column. The one column of the write whose value carries that label is it: named, the dead letter's
 * hint points at the mapping line and its fix (a `values` entry or createLabelsIfMissing). Left as it
 * is when monday named the column, or when no column or several carry the value.
 */
export function withRefusedColumn(error: DispatchError, columnValues: Readonly<Record<string, unknown>>): DispatchError {
  if (error.target !== 'monday' || error.field !== undefined || error.value === undefined) return error;
  const refused = error.value;
  const columns = Object.entries(columnValues).filter(([, written]) => spellingsOf(written).includes(refused));
  return columns.length === 1 ? { ...error, field: columns[0]![0] } : error;
}

/** How rejectedText would spell a written value: `"Foo"`, `{"label":"Foo"}`, `{"labels":["Foo","Bar"]}` (each, and joined). */
function spellingsOf(written: unknown): string[] {
  if (typeof written === 'string') return [written];
  if (typeof written !== 'object' || written === null) return [];
  const { label, labels } = written as { label?: unknown; labels?: unknown };
  if (typeof label === 'string') return [label];
  if (Array.isArray(labels) && labels.every((l) => typeof l === 'string')) return [...labels, labels.join(', ')];
  return [];
}

/** JavaScript's own errors: a bug met by this command, not a condition that passes. */
function isProgrammingError(error: unknown): error is Error {
  return error instanceof TypeError || error instanceof ReferenceError || error instanceof RangeError || error instanceof SyntaxError || error instanceof EvalError || error instanceof URIError;
}

/** crm-sync failed on the command (see INTERNAL_ERROR), with the error's class and first stack frames. */
export function internalError(error: unknown, doing?: string): DispatchError {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const stack = error instanceof Error ? error.stack?.split('\n').slice(0, 8).join('\n') : undefined;
  return compact({ code: 'INTERNAL_ERROR', target: 'dispatcher', message: doing ? `${doing}: ${text}` : text, stack });
}

export function dispatcherError(code: DispatcherErrorCode, message: string): DispatchError {
  return { code, target: 'dispatcher', message };
}

/** "Status: bad value for restricted picklist field: Foo" names the field before the colon. */
function restrictedPicklistField(message: string): string | undefined {
  const match = /^([A-Za-z0-9_]+):\s*bad value for restricted picklist/i.exec(message);
  return match?.[1];
}

/** `"Foo"`, `{"label":"Foo"}` and `{"labels":["Foo"]}` all name the label Foo. */
function rejectedText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const { label, labels } = value as { label?: unknown; labels?: unknown };
    if (typeof label === 'string') return label;
    if (Array.isArray(labels) && labels.every((l) => typeof l === 'string')) return labels.join(', ');
  }
  return JSON.stringify(value);
}

function compact(error: DispatchError): DispatchError {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) if (value !== undefined) out[key] = value;
  return out as unknown as DispatchError;
}
