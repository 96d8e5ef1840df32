import { versionAtLeast } from './api-version';
import { isLegacyFormat } from './error-format';

export type ThrottleCode = 'COMPLEXITY_BUDGET_EXHAUSTED' | 'RATE_LIMIT_EXCEEDED' | 'maxConcurrencyExceeded' | 'DAILY_LIMIT_EXCEEDED';

export interface Throttle {
  code: ThrottleCode;
  retryInSeconds: number;
  /** complexity details (complexity errors only) */
  complexity?: { cost: number; left: number; limit: number };
}

const MESSAGES: Record<ThrottleCode, string> = {
  COMPLEXITY_BUDGET_EXHAUSTED: 'Complexity budget exhausted',
  RATE_LIMIT_EXCEEDED: 'Minute limit rate exceeded',
  maxConcurrencyExceeded: 'Max concurrency exceeded',
  DAILY_LIMIT_EXCEEDED: 'Daily limit exceeded',
};

/**
 * Throttling answer per API version (reference 6.2): HTTP 429 + Retry-After, body by era. The legacy
 * ComplexityException travelled as HTTP 200 (reference 6.2a: the Python SDK checks it after raise_for_status).
 */
export function throttleResponse(t: Throttle, apiVersion: string, accountId: number): { status: number; body: Record<string, unknown> } {
  if (isLegacyFormat(apiVersion)) {
    if (t.code === 'COMPLEXITY_BUDGET_EXHAUSTED' && t.complexity) {
      const message = `Complexity budget exhausted, query cost ${t.complexity.cost} budget remaining ${t.complexity.left} out of ${t.complexity.limit} reset in ${t.retryInSeconds} seconds`;
      return {
        status: 200,
        body: { error_code: 'ComplexityException', status_code: 429, error_message: message, error_data: {}, errors: [message], account_id: accountId },
      };
    }
    return {
      status: 429,
      body: {
        error_message: t.code === 'RATE_LIMIT_EXCEEDED' ? 'Rate Limit Exceeded' : MESSAGES[t.code],
        error_code: t.code,
        error_data: { retry_in_seconds: t.retryInSeconds },
        status_code: 429,
        account_id: accountId,
      },
    };
  }
  if (t.code === 'COMPLEXITY_BUDGET_EXHAUSTED' && t.complexity && !versionAtLeast(apiVersion, '2025-07')) {
    return {
      status: 429,
      body: {
        errors: [
          {
            message: MESSAGES[t.code],
            extensions: {
              code: t.code,
              complexity: t.complexity.cost,
              complexity_budget_left: t.complexity.left,
              complexity_budget_limit: t.complexity.limit,
              retry_in_seconds: t.retryInSeconds,
              status_code: 429,
            },
          },
        ],
      },
    };
  }
  if (versionAtLeast(apiVersion, '2025-07')) {
    const today = TODAYS_CODES[t.code];
    return { status: 429, body: { errors: [{ message: today.message, extensions: { code: today.code, retry_in_seconds: t.retryInSeconds } }] } };
  }
  return { status: 429, body: { errors: [{ message: MESSAGES[t.code], extensions: { code: t.code, retry_in_seconds: t.retryInSeconds } }] } };
}

/**
 * The codes and messages monday returns today (2025-07+), from its own captured fixtures (addendum
 * 2.3): the docs' `maxConcurrencyExceeded` and the guessed `RATE_LIMIT_EXCEEDED` are not what arrives.
 */
const TODAYS_CODES: Record<ThrottleCode, { code: string; message: string }> = {
  COMPLEXITY_BUDGET_EXHAUSTED: { code: 'COMPLEXITY_BUDGET_EXHAUSTED', message: 'Complexity budget exhausted' },
  RATE_LIMIT_EXCEEDED: { code: 'MINUTE_RATE_LIMIT_EXCEEDED', message: 'Minute rate limit exceeded' },
  maxConcurrencyExceeded: { code: 'MAX_CONCURRENCY_EXCEEDED', message: 'Too many concurrent requests' },
  DAILY_LIMIT_EXCEEDED: { code: 'DAILY_LIMIT_EXCEEDED', message: 'Daily limit exceeded' },
};

/**
 * Resource protection (addendum 2.3): HTTP 200, the affected field null in otherwise normal data,
 * and an error on that field with code `tooManyRequests` (no retry time).
 */
export function resourceProtectionError(field: string): Record<string, unknown> {
  return {
    message: `Rate limit already blocked for ${field}-errors`,
    path: [field],
    extensions: { code: 'tooManyRequests', status_code: 400, service: 'data-structure' },
  };
}
