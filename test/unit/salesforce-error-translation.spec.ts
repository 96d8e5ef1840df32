import { redactSecrets, SalesforceError, toSalesforceError } from '../../src/salesforce';
import { recordErrorToSalesforceError } from '../../src/salesforce/to-salesforce-error';

/** What jsforce's HttpApiError looks like: name = errorCode, the parsed body in `data`. */
function httpApiError(errorCode: string, message: string, data: unknown): Error {
  const error = new Error(message) as Error & { errorCode: string; data: unknown };
  error.name = errorCode;
  error.errorCode = errorCode;
  error.data = data;
  return error;
}

function restError(errorCode: string, message: string, fields: string[] = []): Error {
  return httpApiError(errorCode, message, { errorCode, message, fields });
}

const context = { operation: 'update' as const, object: 'Lead', recordId: '00Q000000000001AAA' };

describe('toSalesforceError translation table', () => {
  it.each([
    ['INVALID_SESSION_ID', 'SESSION_EXPIRED'],
    ['REQUEST_LIMIT_EXCEEDED', 'RATE_LIMITED'],
    ['UNABLE_TO_LOCK_ROW', 'ROW_LOCKED'],
    ['REQUIRED_FIELD_MISSING', 'VALIDATION'],
    ['INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'VALIDATION'],
    ['STRING_TOO_LONG', 'VALIDATION'],
    ['INVALID_FIELD', 'VALIDATION'],
    ['FIELD_CUSTOM_VALIDATION_EXCEPTION', 'VALIDATION'],
    ['NOT_FOUND', 'NOT_FOUND'],
    ['ENTITY_IS_DELETED', 'DELETED'],
    ['DUPLICATE_VALUE', 'DUPLICATE'],
    ['DUPLICATES_DETECTED', 'DUPLICATE'],
    ['MULTIPLE_CHOICES', 'DUPLICATE'],
    ['SERVER_UNAVAILABLE', 'TRANSIENT'],
    ['UNKNOWN_EXCEPTION', 'TRANSIENT'],
    ['INSUFFICIENT_ACCESS_OR_READONLY', 'PERMANENT'],
    ['CANNOT_UPDATE_CONVERTED_LEAD', 'PERMANENT'],
  ])('Salesforce %s becomes %s', (sfCode, code) => {
    const translated = toSalesforceError(restError(sfCode, 'msg'), context);
    expect(translated).toBeInstanceOf(SalesforceError);
    expect(translated).toMatchObject({ code, sfCode, operation: 'update', object: 'Lead', recordId: context.recordId });
  });

  it('VALIDATION keeps the fields and Salesforce message', () => {
    const translated = toSalesforceError(restError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [LastName]', ['LastName']), context);
    expect(translated).toMatchObject({ code: 'VALIDATION', fields: ['LastName'], message: 'Required fields are missing: [LastName]' });
  });

  it('several errors (MULTIPLE_API_ERRORS) are classified by the first and keep every field', () => {
    const error = httpApiError('MULTIPLE_API_ERRORS', 'Multiple errors returned.', [
      { errorCode: 'STRING_TOO_LONG', message: 'Company: data value too large', fields: ['Company'] },
      { errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [LastName]', fields: ['LastName'] },
    ]);
    expect(toSalesforceError(error, context)).toMatchObject({ code: 'VALIDATION', sfCode: 'STRING_TOO_LONG', fields: ['Company', 'LastName'] });
  });

  it('a non-JSON 503 (ERROR_HTTP_503) is TRANSIENT', () => {
    const error = httpApiError('ERROR_HTTP_503', '<html>Service Unavailable</html>', { errorCode: 'ERROR_HTTP_503', message: '<html>' });
    expect(toSalesforceError(error, context)).toMatchObject({ code: 'TRANSIENT', httpStatus: 503 });
  });

  it('an unknown code is classified by the HTTP status the transport saw', () => {
    expect(toSalesforceError(restError('SOMETHING_NEW', 'x'), context, { httpStatus: 502 }).code).toBe('TRANSIENT');
    expect(toSalesforceError(restError('SOMETHING_NEW', 'x'), context, { httpStatus: 400 }).code).toBe('PERMANENT');
  });

  it('RATE_LIMITED carries retryAfterMs when the response said so', () => {
    const translated = toSalesforceError(restError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), context, { httpStatus: 403, retryAfterMs: 30_000 });
    expect(translated).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 30_000, retryable: true });
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE'])('network error %s is TRANSIENT', (errno) => {
    const error = Object.assign(new Error(`request to http://x failed, reason: ${errno}`), { name: 'FetchError', code: errno });
    expect(toSalesforceError(error, context)).toMatchObject({ code: 'TRANSIENT', sfCode: errno });
  });

  it('a request timeout (AbortError) is TRANSIENT', () => {
    const error = Object.assign(new Error('The user aborted a request. Request was aborted due to timeout'), { name: 'AbortError' });
    expect(toSalesforceError(error, context).code).toBe('TRANSIENT');
  });

  it.each(['invalid_grant', 'invalid_client_id', 'invalid_client'])('OAuth %s is AUTH_FAILED', (oauthError) => {
    const error = Object.assign(new Error('authentication failure'), { name: oauthError });
    expect(toSalesforceError(error, { operation: 'login' })).toMatchObject({ code: 'AUTH_FAILED', sfCode: oauthError });
  });

  it("jsforce's wrapped refresh failure is SESSION_EXPIRED", () => {
    const error = new Error('Unable to refresh session due to: expired access/refresh token');
    expect(toSalesforceError(error, context).code).toBe('SESSION_EXPIRED');
  });

  it('ROW_LOCKED, RATE_LIMITED and TRANSIENT are retryable; VALIDATION is not', () => {
    expect(toSalesforceError(restError('UNABLE_TO_LOCK_ROW', 'x'), context).retryable).toBe(true);
    expect(toSalesforceError(restError('REQUIRED_FIELD_MISSING', 'x'), context).retryable).toBe(false);
  });

  it('collection per-record errors use statusCode and keep their own code', () => {
    const translated = recordErrorToSalesforceError([{ statusCode: 'DUPLICATES_DETECTED', message: 'Use one of these records?', fields: [] }], {
      operation: 'createMany',
      object: 'Lead',
    });
    expect(translated).toMatchObject({ code: 'DUPLICATE', sfCode: 'DUPLICATES_DETECTED', message: 'Use one of these records?' });
  });
});

describe('SalesforceError never carries a token', () => {
  it('redacts session ids, Authorization values and token query parameters from messages', () => {
    const token = '00DHs0000001XyZ!AQ4AQMvbJxuSf3lDBCmKT2Dtoken';
    const text = `bad ${token} with Bearer ${token} at https://x/id?oauth_token=${token}&format=json and refresh 5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJrlk`;
    const redacted = redactSecrets(text);
    expect(redacted).not.toContain('AQ4AQMvbJxuSf3lDBCmKT2Dtoken');
    expect(redacted).not.toContain('5Aep861TSESvWeug');
    const error = toSalesforceError(new Error(text), context);
    expect(error.message).not.toContain('AQ4AQMvbJxuSf3lDBCmKT2Dtoken');
    expect(JSON.stringify(error)).not.toContain('AQ4AQMvbJxuSf3lDBCmKT2Dtoken');
  });
});
