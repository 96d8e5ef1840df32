import { MondayApiError } from '../errors';

/**
 * 101st ingest/backfill call within an hour (addendum 1.5a): HTTP 429, code RATE_LIMIT_EXCEEDED,
 * `extensions.retryAfterMs`. The endpoint turns this resolver error into the whole answer.
 */
export class BulkJobsRateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super('Bulk import job limit exceeded');
    this.name = 'BulkJobsRateLimited';
  }

  body(): Record<string, unknown> {
    return { errors: [{ message: this.message, extensions: { code: 'RATE_LIMIT_EXCEEDED', retryAfterMs: this.retryAfterMs } }] };
  }
}

export function adminOnly(): MondayApiError {
  return new MondayApiError('UserUnauthorizedException', 'Only admin users can perform this operation.', {}, 403);
}
