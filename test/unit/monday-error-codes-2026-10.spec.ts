import type { GraphqlAnswer } from '../../src/monday/graphql-transport';
import { interpretAnswer } from '../../src/monday/translate-monday-error';

const NOW = Date.parse('2026-11-20T22:00:00Z');

function answer(status: number, body: GraphqlAnswer['body']): GraphqlAnswer {
  return { status, body, retryAfter: null, rateLimit: null };
}

/** The bodies monday returns today (addendum 2.3, monday's own captured fixtures). */
describe('monday error codes as monday returns them (2025-07+)', () => {
  it.each([
    ['MINUTE_RATE_LIMIT_EXCEEDED', 'Minute rate limit exceeded', 58, 'minute'],
    ['MAX_CONCURRENCY_EXCEEDED', 'Too many concurrent requests', 15, 'concurrency'],
    ['DAILY_LIMIT_EXCEEDED', 'Daily limit exceeded', 3599, 'daily'],
  ])('HTTP 429 %s is RATE_LIMITED with its retry_in_seconds', (code, message, seconds, limit) => {
    const interpreted = interpretAnswer(answer(429, { errors: [{ message, extensions: { code, retry_in_seconds: seconds } }], extensions: { request_id: 'r-1' } }), NOW);
    expect(interpreted.requestError).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: seconds * 1000, details: { limit, mondayCode: code, requestId: 'r-1' } });
  });

  it('resource protection (HTTP 200, partial data, tooManyRequests on a field) fails the whole request as retryable', () => {
    const interpreted = interpretAnswer(
      answer(200, {
        data: { boards: [{ id: '151321135', name: 'Stam', columns: null }] },
        errors: [
          {
            message: 'Rate limit already blocked for board-columns-errors',
            path: ['boards', 0, 'columns'],
            extensions: { code: 'tooManyRequests', status_code: 400, service: 'data-structure' },
          },
        ],
        extensions: { request_id: '772de14b' },
      }),
      NOW,
    );
    expect(interpreted.fieldErrors.size).toBe(0);
    expect(interpreted.requestError).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'resource', mondayCode: 'tooManyRequests' } });
    expect(interpreted.requestError?.retryAfterMs).toBeGreaterThan(0);
  });
});
