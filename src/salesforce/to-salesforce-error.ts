import { duplicateMatchOf } from './duplicate-result';
import { SalesforceError, SalesforceErrorCode, SalesforceErrorContext } from './salesforce.error';

/**
 * The translation table from what Salesforce (and jsforce, node-fetch, the OAuth endpoint) report to
 * our stable codes. Reference salesforce.md 1.3 (OAuth errors), 2.5 (REST error codes), 3.1
 * (collections use `statusCode`), 9.3 (transport errors).
 */
const BY_SF_CODE: Readonly<Record<string, SalesforceErrorCode>> = {
  INVALID_SESSION_ID: 'SESSION_EXPIRED',
  REQUEST_LIMIT_EXCEEDED: 'RATE_LIMITED',
  UNABLE_TO_LOCK_ROW: 'ROW_LOCKED',
  NOT_FOUND: 'NOT_FOUND',
  ENTITY_IS_DELETED: 'DELETED',
  DUPLICATE_VALUE: 'DUPLICATE',
  DUPLICATES_DETECTED: 'DUPLICATE',
  DUPLICATE_EXTERNAL_ID: 'DUPLICATE',
  MULTIPLE_CHOICES: 'DUPLICATE',
  REQUIRED_FIELD_MISSING: 'VALIDATION',
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 'VALIDATION',
  STRING_TOO_LONG: 'VALIDATION',
  INVALID_FIELD: 'VALIDATION',
  INVALID_FIELD_FOR_INSERT_UPDATE: 'VALIDATION',
  FIELD_CUSTOM_VALIDATION_EXCEPTION: 'VALIDATION',
  FIELD_INTEGRITY_EXCEPTION: 'VALIDATION',
  INVALID_EMAIL_ADDRESS: 'VALIDATION',
  INVALID_TYPE_ON_FIELD_IN_RECORD: 'VALIDATION',
  INVALID_CROSS_REFERENCE_KEY: 'VALIDATION',
  NUMBER_OUTSIDE_VALID_RANGE: 'VALIDATION',
  TOO_MANY_ENUM_VALUE: 'VALIDATION',
  MALFORMED_ID: 'VALIDATION',
  JSON_PARSER_ERROR: 'VALIDATION',
  SERVER_UNAVAILABLE: 'TRANSIENT',
  UNKNOWN_EXCEPTION: 'TRANSIENT',
  QUERY_TIMEOUT: 'TRANSIENT',
  ALL_OR_NONE_OPERATION_ROLLED_BACK: 'TRANSIENT',
  PROCESSING_HALTED: 'TRANSIENT',
  INVALID_QUERY_LOCATOR: 'TRANSIENT',
};

/** Network failures node-fetch (and faye) report by `code` (reference 9.3). */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'ETIMEDOUT',
  'EPIPE',
]);

/** OAuth token endpoint `error` values (reference 1.3): the configured credentials were refused. */
const OAUTH_ERRORS = new Set([
  'invalid_grant',
  'invalid_client_id',
  'invalid_client',
  'invalid_app_access',
  'unsupported_grant_type',
  'invalid_request',
  'inactive_user',
  'inactive_org',
  'unauthorized_client',
]);

/** What the HTTP layer saw for the failing call (the transport wrapper records it; jsforce errors lack it). */
export interface ResponseFacts {
  httpStatus?: number;
  retryAfterMs?: number;
}

/** One Salesforce error object: REST uses `errorCode`, collections and tree use `statusCode`. */
export interface SalesforceApiErrorBody {
  errorCode?: string;
  statusCode?: string;
  message?: string;
  fields?: string[];
  /** DUPLICATES_DETECTED on REST: real responses spell it `duplicateResut`; read both. */
  duplicateResut?: unknown;
  duplicateResult?: unknown;
}

/** The single translation point: anything thrown below this edge becomes a SalesforceError. */
export function toSalesforceError(error: unknown, context: SalesforceErrorContext, facts: ResponseFacts = {}): SalesforceError {
  if (error instanceof SalesforceError) return error;
  const status = facts.httpStatus;
  const base = { ...context, httpStatus: status };
  if (!(error instanceof Error)) {
    return new SalesforceError({ ...base, code: codeForStatus(status) ?? 'PERMANENT', message: String(error) });
  }

  // jsforce's SessionRefreshDelegate wraps every refresh failure in a plain Error (reference 1.5).
  if (error.message.startsWith('Unable to refresh session due to:')) {
    return new SalesforceError({ ...base, code: 'SESSION_EXPIRED', sfCode: 'REFRESH_FAILED', message: error.message });
  }

  const networkCode = errnoCode(error);
  if (networkCode !== undefined && NETWORK_CODES.has(networkCode)) {
    return new SalesforceError({ ...base, code: 'TRANSIENT', sfCode: networkCode, message: error.message });
  }
  if (error.name === 'AbortError' || error.name === 'FetchError' || /timed? ?out/i.test(error.message)) {
    return new SalesforceError({ ...base, code: 'TRANSIENT', sfCode: error.name, message: error.message });
  }

  if (OAUTH_ERRORS.has(error.name)) {
    return new SalesforceError({ ...base, code: 'AUTH_FAILED', sfCode: error.name, message: error.message });
  }

  const bodies = apiErrorBodies(error);
  const first = bodies[0];
  const sfCode = first ? (first.errorCode ?? first.statusCode) : errorCodeProperty(error);
  const httpCode = /^ERROR_HTTP_(\d{3})$/.exec(sfCode ?? '');
  const effectiveStatus = status ?? (httpCode ? Number(httpCode[1]) : undefined);
  const code = (sfCode !== undefined ? BY_SF_CODE[sfCode] : undefined) ?? codeForStatus(effectiveStatus) ?? 'PERMANENT';
  const fields = [...new Set(bodies.flatMap((b) => b.fields ?? []))];
  const message = bodies.length > 1 ? bodies.map((b) => b.message ?? '').join('; ') : (first?.message ?? error.message);
  return new SalesforceError({
    ...base,
    httpStatus: effectiveStatus,
    code,
    sfCode,
    message,
    fields,
    retryAfterMs: code === 'RATE_LIMITED' ? facts.retryAfterMs : undefined,
    duplicates: duplicateMatchOf(bodies),
  });
}

/** A per-record error from sObject Collections (kept per record, never thrown for the batch). */
export function recordErrorToSalesforceError(errors: SalesforceApiErrorBody[], context: SalesforceErrorContext): SalesforceError {
  const first = errors[0] ?? {};
  const sfCode = first.statusCode ?? first.errorCode ?? 'UNKNOWN_EXCEPTION';
  return new SalesforceError({
    ...context,
    code: BY_SF_CODE[sfCode] ?? 'PERMANENT',
    sfCode,
    message: errors.map((e) => e.message ?? sfCode).join('; '),
    fields: [...new Set(errors.flatMap((e) => e.fields ?? []))],
    duplicates: duplicateMatchOf(errors),
  });
}

function codeForStatus(status: number | undefined): SalesforceErrorCode | undefined {
  if (status === undefined) return undefined;
  if (status === 401) return 'SESSION_EXPIRED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 408 || status >= 500) return 'TRANSIENT';
  return undefined;
}

/** jsforce HttpApiError keeps the parsed body in `data`: one error object, or an array for MULTIPLE_API_ERRORS. */
function apiErrorBodies(error: Error): SalesforceApiErrorBody[] {
  const data = (error as { data?: unknown }).data;
  const list = Array.isArray(data) ? data : data !== undefined ? [data] : [];
  return list.filter(isErrorBody);
}

function isErrorBody(value: unknown): value is SalesforceApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.errorCode === 'string' || typeof v.statusCode === 'string';
}

function errorCodeProperty(error: Error): string | undefined {
  const code = (error as { errorCode?: unknown }).errorCode;
  if (typeof code === 'string') return code;
  return error.name !== 'Error' ? error.name : undefined;
}

function errnoCode(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) return errnoCode(cause);
  return undefined;
}
