/** Why a value could not be converted. Stable codes; the message names field, column and fix. */
export type ConversionErrorCode =
  | 'WRONG_TYPE'
  | 'INVALID_FORMAT'
  | 'TOO_LONG'
  | 'NOT_AN_INTEGER'
  | 'NOT_FINITE'
  | 'MULTIPLE_VALUES'
  | 'UNKNOWN_LABEL_ID'
  | 'UNKNOWN_COUNTRY'
  | 'INCOMPLETE_RANGE'
  | 'INVALID_RANGE'
  | 'REQUIRED_VALUE'
  | 'UNSUPPORTED_VALUE'
  | 'UNREADABLE_VALUE';

/**
 * A value that cannot be converted without inventing or losing data. Converters return it inside
 * `{ kind: 'invalid' }`; callers that want an exception can throw it.
 */
export class ConversionError extends Error {
  constructor(
    readonly code: ConversionErrorCode,
    /** Salesforce field name (or `Start__c,End__c` for a timeline pair). */
    readonly field: string,
    /** monday column id. */
    readonly column: string,
    readonly value: unknown,
    readonly hint: string,
  ) {
    super(`${field} <-> ${column}: ${describe(value)} ${hint}`);
    this.name = 'ConversionError';
  }
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
