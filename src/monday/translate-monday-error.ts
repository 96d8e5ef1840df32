import type { GraphqlAnswer } from './graphql-transport';
import { MondayError, type MondayErrorCode, type MondayErrorDetails, type MondayLimit } from './monday.error';

/**
 * Reads a monday answer in any of its error formats (monday.md 6.2: legacy top-level `error_code`
 * up to 2024-10, GraphQL `errors[]` with `extensions` from 2025-01, the slim complexity error from
 * 2025-07) and turns every failure into a MondayError. The only place monday's codes are read.
 */
export interface InterpretedAnswer {
  data: Record<string, unknown> | null;
  /** Errors naming a top-level field or alias (`path[0]`), e.g. `m3` of a mutation batch. */
  fieldErrors: Map<string, MondayError>;
  /** A failure of the whole request (throttling, auth, 5xx, a query monday rejected). */
  requestError: MondayError | null;
  /** `extensions.request_id`. */
  requestId?: string;
}

interface RawGraphqlError {
  message?: unknown;
  path?: unknown;
  extensions?: unknown;
}

const RATE_LIMIT_CODES: Record<string, MondayLimit> = {
  ComplexityException: 'complexity',
  COMPLEXITY_BUDGET_EXHAUSTED: 'complexity',
  complexityBudgetExhausted: 'complexity',
  maxConcurrencyExceeded: 'concurrency',
  MAX_CONCURRENCY_EXCEEDED: 'concurrency',
  IP_RATE_LIMIT_EXCEEDED: 'ip',
  DAILY_LIMIT_EXCEEDED: 'daily',
  FIELD_LIMIT_EXCEEDED: 'field',
  RATE_LIMIT_EXCEEDED: 'minute',
  RateLimitExceeded: 'minute',
  MINUTE_LIMIT_EXCEEDED: 'minute',
  MINUTE_RATE_LIMIT_EXCEEDED: 'minute',
  /** Resource protection (addendum 2.3): HTTP 200 with partial data, the affected field null. */
  tooManyRequests: 'resource',
};

/** Resource protection names no wait; a short pause before the retry (the request is retried whole). */
const RESOURCE_RETRY_MS = 5_000;

const CODE_BY_MONDAY_CODE: Record<string, MondayErrorCode> = {
  UserUnauthorizedException: 'UNAUTHORIZED',
  USER_ACCESS_DENIED: 'UNAUTHORIZED',
  missingRequiredPermissions: 'UNAUTHORIZED',
  Unauthorized: 'UNAUTHORIZED',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  ResourceNotFoundException: 'NOT_FOUND',
  InvalidItemIdException: 'NOT_FOUND',
  InvalidBoardIdException: 'NOT_FOUND',
  ItemNotFoundException: 'NOT_FOUND',
  BoardNotFoundException: 'NOT_FOUND',
  ColumnValueException: 'VALIDATION',
  CorrectedValueException: 'VALIDATION',
  InvalidColumnIdException: 'VALIDATION',
  InvalidUserIdException: 'VALIDATION',
  InvalidGroupIdException: 'VALIDATION',
  ItemNameTooLongException: 'VALIDATION',
  ItemsLimitationException: 'VALIDATION',
  InvalidArgumentException: 'VALIDATION',
  RecordInvalidException: 'VALIDATION',
  DeleteLastGroupException: 'VALIDATION',
  CreateBoardException: 'VALIDATION',
  API_TEMPORARILY_BLOCKED: 'TRANSIENT',
  IDEMPOTENCY_CONFLICT: 'TRANSIENT',
  INTERNAL_SERVER_ERROR: 'TRANSIENT',
};

export function interpretAnswer(answer: GraphqlAnswer, now: number = Date.now()): InterpretedAnswer {
  const fieldErrors = new Map<string, MondayError>();
  const { body, status } = answer;
  if (typeof body === 'string' || body === null) {
    return { data: null, fieldErrors, requestError: fromHttpStatus(status, typeof body === 'string' ? body : '', answer, now) };
  }
  const data = isRecord(body.data) ? body.data : null;
  const requestId = isRecord(body.extensions) && typeof body.extensions.request_id === 'string' ? body.extensions.request_id : undefined;
  const withRequestId = (e: MondayError): MondayError => (requestId ? new MondayError(e.code, e.message, { ...e.details, requestId }) : e);

  if (typeof body.error_code === 'string' || typeof body.error_message === 'string') {
    return { data, fieldErrors, requestError: withRequestId(fromLegacyBody(body, answer, now)), requestId };
  }

  let requestError: MondayError | null = null;
  const errors = Array.isArray(body.errors) ? body.errors : [];
  for (const raw of errors) {
    const entry: RawGraphqlError = isRecord(raw) ? raw : { message: String(raw) };
    const error = withRequestId(fromGraphqlError(entry, answer, now));
    const field = Array.isArray(entry.path) && typeof entry.path[0] === 'string' ? entry.path[0] : undefined;
    // A throttled field leaves partial data that must not be taken for the answer: retry it all.
    if (field !== undefined && data !== null && status < 400 && error.code !== 'RATE_LIMITED') {
      if (!fieldErrors.has(field)) fieldErrors.set(field, error);
    } else if (requestError === null || precedence(error) > precedence(requestError)) {
      requestError = error;
    }
  }
  if (requestError === null && (status < 200 || status >= 300)) requestError = withRequestId(fromHttpStatus(status, '', answer, now));
  if (requestError === null && data === null && fieldErrors.size === 0) {
    requestError = new MondayError('PERMANENT', 'monday answered without data or errors', { httpStatus: status, requestId });
  }
  return { data, fieldErrors, requestError, requestId };
}

/** Network failure, timeout, unparseable body: no answer came back. */
export function fromTransportFailure(cause: unknown): MondayError {
  const name = cause instanceof Error ? cause.name : '';
  const reason = name === 'TimeoutError' || name === 'AbortError' ? 'timed out' : `failed: ${cause instanceof Error ? cause.message : String(cause)}`;
  return new MondayError('TRANSIENT', `monday request ${reason}`.slice(0, 300));
}

function fromGraphqlError(entry: RawGraphqlError, answer: GraphqlAnswer, now: number): MondayError {
  const ext = isRecord(entry.extensions) ? entry.extensions : {};
  const errorData = isRecord(ext.error_data) ? ext.error_data : {};
  const mondayCode = typeof ext.code === 'string' ? ext.code : undefined;
  const statusCode = typeof ext.status_code === 'number' ? ext.status_code : answer.status;
  const message = typeof entry.message === 'string' ? entry.message : 'monday error';
  const retrySeconds = numberOf(ext.retry_in_seconds) ?? numberOf(errorData.retry_in_seconds);
  return classify({ mondayCode, statusCode, httpStatus: answer.status, message, errorData, retrySeconds }, answer, now);
}

function fromLegacyBody(body: Record<string, unknown>, answer: GraphqlAnswer, now: number): MondayError {
  const errorData = isRecord(body.error_data) ? body.error_data : {};
  return classify(
    {
      mondayCode: typeof body.error_code === 'string' ? body.error_code : undefined,
      statusCode: numberOf(body.status_code) ?? answer.status,
      httpStatus: answer.status,
      message: typeof body.error_message === 'string' ? body.error_message : 'monday error',
      errorData,
      retrySeconds: numberOf(errorData.retry_in_seconds),
    },
    answer,
    now,
  );
}

function fromHttpStatus(status: number, text: string, answer: GraphqlAnswer, now: number): MondayError {
  const message = text.trim() ? text.trim() : `HTTP ${status}`;
  return classify({ mondayCode: undefined, statusCode: status, httpStatus: status, message, errorData: {}, retrySeconds: undefined }, answer, now);
}

interface ErrorFacts {
  mondayCode: string | undefined;
  /** `extensions.status_code` (monday's own status, HTTP 200 travels with it from 2025-01). */
  statusCode: number;
  httpStatus: number;
  message: string;
  errorData: Record<string, unknown>;
  retrySeconds: number | undefined;
}

function classify(facts: ErrorFacts, answer: GraphqlAnswer, now: number): MondayError {
  const { mondayCode, statusCode, httpStatus, errorData } = facts;
  const message = facts.message.slice(0, 500);
  const details: MondayErrorDetails = { httpStatus };
  if (mondayCode) details.mondayCode = mondayCode;
  const text = `${mondayCode ? `${mondayCode}: ` : ''}${message}`;

  const limit = rateLimitOf(mondayCode, message, statusCode, httpStatus);
  if (limit) {
    const retryAfterMs = retryAfter(facts, answer, limit, now);
    return new MondayError('RATE_LIMITED', `monday throttled the request (${limit} limit): ${text}`, { ...details, limit, retryAfterMs });
  }
  if (/cursor/i.test(message) && /expired|invalid/i.test(message)) {
    return new MondayError('CURSOR_EXPIRED', `monday cursor expired: ${text}`, details);
  }
  if (typeof errorData.error_reason === 'string' && /cursor/i.test(errorData.error_reason)) {
    return new MondayError('CURSOR_EXPIRED', `monday cursor expired: ${text}`, details);
  }
  const known = mondayCode ? CODE_BY_MONDAY_CODE[mondayCode] : undefined;
  if (known === 'VALIDATION' || (!known && statusCode === 422)) {
    if (mondayCode === 'InvalidArgumentException' && /not found/i.test(message)) return new MondayError('NOT_FOUND', text, { ...details, ...ids(errorData) });
    return new MondayError('VALIDATION', text, { ...details, ...ids(errorData), ...columnOf(errorData) });
  }
  if (known === 'TRANSIENT' || statusCode === 423 || /currently locked/i.test(message)) {
    const retryAfterMs = facts.retrySeconds !== undefined ? facts.retrySeconds * 1000 : headerRetryMs(answer.retryAfter, now);
    return new MondayError('TRANSIENT', text, retryAfterMs !== undefined ? { ...details, retryAfterMs } : details);
  }
  if (known) return new MondayError(known, text, { ...details, ...ids(errorData) });
  if (statusCode === 401 || statusCode === 403 || httpStatus === 401 || httpStatus === 403 || /not authenticated|unauthori[sz]ed|ip is restricted/i.test(message)) {
    return new MondayError('UNAUTHORIZED', text, details);
  }
  if (statusCode === 404 || httpStatus === 404) return new MondayError('NOT_FOUND', text, { ...details, ...ids(errorData) });
  if (statusCode >= 500 || httpStatus >= 500 || /internal server error/i.test(message)) return new MondayError('TRANSIENT', text, details);
  return new MondayError('PERMANENT', text, details);
}

function rateLimitOf(code: string | undefined, message: string, statusCode: number, httpStatus: number): MondayLimit | undefined {
  if (code && RATE_LIMIT_CODES[code]) return RATE_LIMIT_CODES[code];
  if (/complexity budget/i.test(message)) return 'complexity';
  if (/minute limit|rate limit exceeded/i.test(message)) return 'minute';
  if (/concurrency limit/i.test(message)) return 'concurrency';
  if (/daily limit/i.test(message)) return 'daily';
  if (statusCode === 429 || httpStatus === 429) return 'unknown';
  return undefined;
}

function retryAfter(facts: ErrorFacts, answer: GraphqlAnswer, limit: MondayLimit, now: number): number {
  if (facts.retrySeconds !== undefined) return Math.max(0, facts.retrySeconds * 1000);
  if (limit === 'resource') return RESOURCE_RETRY_MS;
  const header = headerRetryMs(answer.retryAfter, now);
  if (header !== undefined) return header;
  const legacy = /reset in (\d+) seconds?/i.exec(facts.message);
  if (legacy) return Number(legacy[1]) * 1000;
  if (limit === 'daily') {
    const midnight = new Date(now);
    midnight.setUTCHours(24, 0, 0, 0);
    return midnight.getTime() - now;
  }
  return 60_000;
}

function headerRetryMs(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function columnOf(errorData: Record<string, unknown>): Pick<MondayErrorDetails, 'columnId' | 'columnType' | 'rejectedValue'> {
  const out: Pick<MondayErrorDetails, 'columnId' | 'columnType' | 'rejectedValue'> = {};
  const columnId = errorData.column_id ?? errorData.columnId;
  if (typeof columnId === 'string' || typeof columnId === 'number') out.columnId = String(columnId);
  if (typeof errorData.column_type === 'string') out.columnType = errorData.column_type;
  if (errorData.column_value !== undefined) out.rejectedValue = errorData.column_value;
  return out;
}

function ids(errorData: Record<string, unknown>): Pick<MondayErrorDetails, 'boardId' | 'itemId'> {
  const out: Pick<MondayErrorDetails, 'boardId' | 'itemId'> = {};
  if (typeof errorData.board_id === 'string' || typeof errorData.board_id === 'number') out.boardId = String(errorData.board_id);
  if (typeof errorData.item_id === 'string' || typeof errorData.item_id === 'number') out.itemId = String(errorData.item_id);
  return out;
}

/** When a request carries several errors, the one that decides what to do next wins. */
function precedence(error: MondayError): number {
  const order: MondayErrorCode[] = ['PERMANENT', 'VALIDATION', 'NOT_FOUND', 'CURSOR_EXPIRED', 'TRANSIENT', 'UNAUTHORIZED', 'RATE_LIMITED'];
  return order.indexOf(error.code);
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
