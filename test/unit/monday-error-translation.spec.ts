import type { GraphqlAnswer } from '../../src/monday/graphql-transport';
import { fromTransportFailure, interpretAnswer } from '../../src/monday/translate-monday-error';

const NOW = Date.parse('2026-11-20T22:00:00Z');

function answer(status: number, body: GraphqlAnswer['body'], headers: Partial<Pick<GraphqlAnswer, 'retryAfter' | 'rateLimit'>> = {}): GraphqlAnswer {
  return { status, body, retryAfter: headers.retryAfter ?? null, rateLimit: headers.rateLimit ?? null };
}

function requestError(a: GraphqlAnswer) {
  const interpreted = interpretAnswer(a, NOW);
  if (!interpreted.requestError) throw new Error('expected a request error');
  return interpreted.requestError;
}

describe('monday error translation', () => {
  describe('throttling becomes RATE_LIMITED with the wait time', () => {
    it('reads retry_in_seconds of the 2025-07 complexity error', () => {
      const error = requestError(
        answer(429, { errors: [{ message: 'Complexity budget exhausted', extensions: { code: 'COMPLEXITY_BUDGET_EXHAUSTED', retry_in_seconds: 42 } }] }),
      );
      expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 42_000, details: { limit: 'complexity', mondayCode: 'COMPLEXITY_BUDGET_EXHAUSTED' } });
    });

    it('reads the legacy ComplexityException that arrives as HTTP 200 with the reset in its message', () => {
      const message = 'Complexity budget exhausted, query cost 30001 budget remaining 19986 out of 1000000 reset in 3 seconds';
      const error = requestError(answer(200, { error_code: 'ComplexityException', status_code: 429, error_message: message, error_data: {}, errors: [message], account_id: 1 }));
      expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 3_000, details: { limit: 'complexity' } });
    });

    it('falls back to the Retry-After header when the body names no wait', () => {
      const error = requestError(answer(429, { errors: [{ message: 'Minute limit rate exceeded', extensions: { code: 'RATE_LIMIT_EXCEEDED' } }] }, { retryAfter: '17' }));
      expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 17_000, details: { limit: 'minute' } });
    });

    it('treats a bare HTTP 429 with a text body as throttling', () => {
      const error = requestError(answer(429, 'Rate Limit Exceeded', { retryAfter: '5' }));
      expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 5_000 });
    });

    it('waits for the next UTC midnight on a daily limit that names no wait', () => {
      const error = requestError(answer(429, { errors: [{ message: 'Daily limit exceeded', extensions: { code: 'DAILY_LIMIT_EXCEEDED' } }] }));
      expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 2 * 3_600_000, details: { limit: 'daily' } });
    });

    it('recognises the concurrency limit and the legacy field limit with error_data.retry_in_seconds', () => {
      expect(requestError(answer(429, { errors: [{ message: 'Max concurrency exceeded', extensions: { code: 'maxConcurrencyExceeded', retry_in_seconds: 1 } }] }))).toMatchObject({
        code: 'RATE_LIMITED',
        retryAfterMs: 1_000,
        details: { limit: 'concurrency' },
      });
      const legacy = requestError(
        answer(200, { error_message: 'Concurrency limit exceeded for the field', error_code: 'FIELD_LIMIT_EXCEEDED', error_data: { retry_in_seconds: 15, entity: 'boards' }, status_code: 429 }),
      );
      expect(legacy).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 15_000, details: { limit: 'field' } });
    });
  });

  it('keeps per-alias errors apart from the data of the aliases that succeeded', () => {
    const interpreted = interpretAnswer(
      answer(200, {
        data: { m0: { id: '1' }, m1: null, complexity: { before: 10, after: 5, query: 5, reset_in_x_seconds: 30 } },
        errors: [
          {
            message: 'invalid value - label does not exist in column',
            path: ['m1'],
            extensions: { code: 'ColumnValueException', status_code: 200, error_data: { column_type: 'color', column_value: 'Bogus' } },
          },
        ],
        extensions: { request_id: 'req-1' },
      }),
      NOW,
    );
    expect(interpreted.requestError).toBeNull();
    expect(interpreted.data).toMatchObject({ m0: { id: '1' } });
    expect(interpreted.fieldErrors.get('m1')).toMatchObject({
      code: 'VALIDATION',
      details: { mondayCode: 'ColumnValueException', columnType: 'color', rejectedValue: 'Bogus', requestId: 'req-1' },
    });
    expect(interpreted.fieldErrors.has('m0')).toBe(false);
  });

  it('names the column of an InvalidColumnIdException', () => {
    const interpreted = interpretAnswer(
      answer(200, {
        data: { m0: null },
        errors: [{ message: "This column ID doesn't exist for the board", path: ['m0'], extensions: { code: 'InvalidColumnIdException', error_data: { column_id: 'nope' } } }],
      }),
    );
    expect(interpreted.fieldErrors.get('m0')).toMatchObject({ code: 'VALIDATION', columnId: 'nope' });
  });

  it('reads a legacy application error (top-level error_code, no data)', () => {
    const error = requestError(answer(200, { error_code: 'ColumnValueException', status_code: 200, error_message: 'Link to item column value structure invalid', error_data: {}, account_id: 1 }));
    expect(error).toMatchObject({ code: 'VALIDATION', details: { mondayCode: 'ColumnValueException' } });
    expect(error.message).toContain('Link to item column value structure invalid');
  });

  it.each([
    ['an HTTP 401', answer(401, { errors: [{ message: 'Not Authenticated', extensions: { code: 'Unauthorized', status_code: 401 } }] }), 'UNAUTHORIZED'],
    ['a user who may not use the API', answer(403, { errors: [{ message: 'User access denied', extensions: { code: 'USER_ACCESS_DENIED' } }] }), 'UNAUTHORIZED'],
    ['a permission error sent as HTTP 200', answer(200, { data: null, errors: [{ message: 'no permission', extensions: { code: 'UserUnauthorizedException', status_code: 403 } }] }), 'UNAUTHORIZED'],
    ['an unknown item', answer(200, { data: null, errors: [{ message: 'Item not found in board', extensions: { code: 'ResourceNotFoundException', status_code: 404 } }] }), 'NOT_FOUND'],
    ['an unknown board on create_webhook', answer(200, { data: null, errors: [{ message: 'Board not found', extensions: { code: 'InvalidArgumentException', error_data: { board_id: 11 } } }] }), 'NOT_FOUND'],
    ['an ItemNotFoundException', answer(200, { data: null, errors: [{ message: 'Item not found', extensions: { code: 'ItemNotFoundException' } }] }), 'NOT_FOUND'],
    [
      'an expired cursor',
      answer(200, { data: null, errors: [{ message: 'The cursor provided is invalid or has expired. Cursors are valid for 60 minutes', extensions: { code: 'InvalidArgumentException' } }] }),
      'CURSOR_EXPIRED',
    ],
    ['an HTTP 500', answer(500, { errors: [{ message: 'Internal Server Error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }), 'TRANSIENT'],
    ['a 502 from a proxy with an HTML body', answer(502, '<html>Bad gateway</html>'), 'TRANSIENT'],
    ['a locked board', answer(423, { errors: [{ message: 'Resource is currently locked, please try again later' }] }), 'TRANSIENT'],
    ['an idempotency conflict', answer(409, { errors: [{ message: 'A request with this idempotency key is currently being processed', extensions: { code: 'IDEMPOTENCY_CONFLICT' } }] }), 'TRANSIENT'],
    ['a query monday rejects', answer(200, { errors: [{ message: 'Field "nope" does not exist', extensions: { code: 'undefinedField', typeName: 'Item', fieldName: 'nope' } }] }), 'PERMANENT'],
    ['a malformed API-Version', answer(200, { errors: [{ message: 'Invalid version', extensions: { code: 'InvalidVersionException' } }] }), 'PERMANENT'],
  ])('translates %s', (_name, raw, code) => {
    expect(requestError(raw).code).toBe(code);
  });

  it('gives a 423 the Retry-After wait', () => {
    expect(requestError(answer(423, { errors: [{ message: 'Resource is currently locked' }] }, { retryAfter: '2' })).retryAfterMs).toBe(2_000);
  });

  it('turns a network failure or timeout into TRANSIENT', () => {
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    expect(fromTransportFailure(timeout)).toMatchObject({ code: 'TRANSIENT', message: 'monday request timed out' });
    expect(fromTransportFailure(new TypeError('fetch failed')).code).toBe('TRANSIENT');
  });
});
