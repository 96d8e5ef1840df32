import { redactSecrets } from '../observability/redact-secrets';

export { redactSecrets };

/**
 * The one error type that leaves src/salesforce (style lesson 5). Every jsforce, faye, fetch or OAuth
 * failure is translated at this edge by `toSalesforceError`; callers act on `code` only (one failure
 * policy elsewhere maps code -> retry / re-auth / dead-letter / resync).
 *
 * Never carries a token: messages are passed through `redactSecrets` before they are stored.
 */
export type SalesforceErrorCode =
  /** The session is gone and refreshing it failed (or gave up after the bounded attempts). Re-auth. */
  | 'SESSION_EXPIRED'
  /** The token endpoint rejected the configured credentials (invalid_grant, invalid_client ...). Fix config. */
  | 'AUTH_FAILED'
  /** REQUEST_LIMIT_EXCEEDED (daily allocation or concurrent long requests). Back off; `retryAfterMs` when known. */
  | 'RATE_LIMITED'
  /** Our own floor on the daily allocation was reached: non-urgent work pauses (see api-usage-tracker.ts). */
  | 'BUDGET_FLOOR_REACHED'
  /** UNABLE_TO_LOCK_ROW: another transaction holds the record. Retry soon. */
  | 'ROW_LOCKED'
  /** The data was refused: required field, restricted picklist, too long, unknown field, validation rule ... */
  | 'VALIDATION'
  | 'NOT_FOUND'
  /** ENTITY_IS_DELETED: the record is in the recycle bin. */
  | 'DELETED'
  /** DUPLICATE_VALUE (unique field), DUPLICATES_DETECTED (duplicate rule), several external id matches. */
  | 'DUPLICATE'
  /** 5xx, timeouts, connection resets, rolled back because a sibling failed. Retry with backoff. */
  | 'TRANSIENT'
  /** Anything else: permissions, converted lead, malformed request. Do not retry. */
  | 'PERMANENT';

export type SalesforceOperation =
  | 'login'
  | 'refresh'
  | 'describe'
  | 'describeGlobal'
  | 'get'
  | 'create'
  | 'update'
  | 'upsert'
  | 'delete'
  | 'query'
  | 'queryAll'
  | 'createMany'
  | 'updateMany'
  | 'upsertMany'
  | 'deleteMany'
  | 'bulkQuery'
  | 'convertLead'
  | 'merge'
  | 'limits'
  | 'identity'
  | 'findUsersByEmail'
  | 'streaming';

export interface SalesforceErrorContext {
  operation: SalesforceOperation;
  object?: string;
  recordId?: string;
}

export interface SalesforceErrorDetails extends SalesforceErrorContext {
  code: SalesforceErrorCode;
  /** Salesforce's own code (errorCode / statusCode / OAuth `error`), e.g. REQUIRED_FIELD_MISSING. */
  sfCode?: string;
  message: string;
  /** Fields Salesforce named (VALIDATION, DUPLICATE). */
  fields?: string[];
  /** HTTP status when the failure came with a response. */
  httpStatus?: number;
  retryAfterMs?: number;
  /** DUPLICATES_DETECTED: the records the org's duplicate rule matched (when Salesforce named them). */
  duplicates?: DuplicateMatch;
}

/** What a duplicate rule refusal said (`duplicateResut`, sic, in real responses; `duplicateResult` elsewhere). */
export interface DuplicateMatch {
  rule: string | null;
  /** False for a rule whose action is Block: Sforce-Duplicate-Rule-Header cannot pass it. */
  allowSave: boolean;
  /** 18-character ids as Salesforce gave them, in its order. */
  recordIds: string[];
}

const RETRYABLE: ReadonlySet<SalesforceErrorCode> = new Set(['RATE_LIMITED', 'ROW_LOCKED', 'TRANSIENT', 'BUDGET_FLOOR_REACHED']);

export class SalesforceError extends Error {
  override readonly name = 'SalesforceError';
  readonly code: SalesforceErrorCode;
  readonly sfCode: string | undefined;
  readonly operation: SalesforceOperation;
  readonly object: string | undefined;
  readonly recordId: string | undefined;
  readonly fields: string[];
  readonly httpStatus: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly duplicates: DuplicateMatch | undefined;

  constructor(details: SalesforceErrorDetails) {
    super(redactSecrets(details.message));
    this.code = details.code;
    this.sfCode = details.sfCode;
    this.operation = details.operation;
    this.object = details.object;
    this.recordId = details.recordId;
    this.fields = details.fields ?? [];
    this.httpStatus = details.httpStatus;
    this.retryAfterMs = details.retryAfterMs;
    this.duplicates = details.duplicates;
  }

  /** Whether trying the same call again later can succeed without anyone changing data or config. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }

  /** A log-safe plain object (no stack, no token). */
  toJSON(): SalesforceErrorDetails {
    return {
      code: this.code,
      sfCode: this.sfCode,
      message: this.message,
      operation: this.operation,
      object: this.object,
      recordId: this.recordId,
      fields: this.fields,
      httpStatus: this.httpStatus,
      retryAfterMs: this.retryAfterMs,
      ...(this.duplicates ? { duplicates: this.duplicates } : {}),
    };
  }
}

export function isSalesforceError(value: unknown): value is SalesforceError {
  return value instanceof SalesforceError;
}
