/**
 * The monday client's only error type. Codes are stable; the failure policy acts on `code` and the
 * context fields, never on monday's message. Built by translate-monday-error.ts and nowhere else.
 * Messages and fields never carry the API token.
 */
export type MondayErrorCode =
  /** Throttled (complexity budget, minute limit, concurrency, daily, IP, field): retry after `retryAfterMs`. */
  | 'RATE_LIMITED'
  /** Token missing, invalid, or without permission for the action. */
  | 'UNAUTHORIZED'
  /** Board, item or resource does not exist (or is not visible to the token). */
  | 'NOT_FOUND'
  /** monday rejected the input: column value, column id, item name, status label, argument. */
  | 'VALIDATION'
  /** An items_page cursor expired (60 minutes) or is unknown: restart the query. */
  | 'CURSOR_EXPIRED'
  /** 5xx, network failure, timeout, locked board, idempotency conflict: retry later. */
  | 'TRANSIENT'
  /** Anything retrying cannot fix (bad request, unsupported API version, query rejected). */
  | 'PERMANENT';

/** Which limit throttled the call (RATE_LIMITED only). */
export type MondayLimit = 'complexity' | 'minute' | 'concurrency' | 'daily' | 'ip' | 'field' | 'resource' | 'unknown';

export interface MondayErrorDetails {
  /** monday's own code (`extensions.code` or legacy `error_code`), e.g. ColumnValueException. */
  mondayCode?: string;
  httpStatus?: number;
  /** RATE_LIMITED (and some TRANSIENT): how long to wait before retrying. */
  retryAfterMs?: number;
  limit?: MondayLimit;
  /** VALIDATION on a column value. */
  columnId?: string;
  columnType?: string;
  /** VALIDATION: the value monday says it rejected (`error_data.column_value`), when it says. */
  rejectedValue?: unknown;
  boardId?: string;
  itemId?: string;
  /** monday's `extensions.request_id`, for support tickets. */
  requestId?: string;
}

export class MondayError extends Error {
  override readonly name = 'MondayError';

  constructor(
    readonly code: MondayErrorCode,
    message: string,
    readonly details: MondayErrorDetails = {},
  ) {
    super(message);
  }

  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }

  get columnId(): string | undefined {
    return this.details.columnId;
  }

  /** The same error, with context the caller knows and monday did not say (board, item, column). */
  withContext(context: Pick<MondayErrorDetails, 'boardId' | 'itemId' | 'columnId'>): MondayError {
    const merged: MondayErrorDetails = { ...this.details };
    for (const [key, value] of Object.entries(context) as Array<[keyof MondayErrorDetails, string | undefined]>) {
      if (value !== undefined && merged[key] === undefined) (merged as Record<string, unknown>)[key] = value;
    }
    return new MondayError(this.code, this.message, merged);
  }
}

export function isMondayError(error: unknown): error is MondayError {
  return error instanceof MondayError;
}
