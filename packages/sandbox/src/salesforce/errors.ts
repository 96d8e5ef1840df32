/**
 * Salesforce API errors (reference 2.5). REST answers an array of `{message, errorCode, fields}`;
 * sObject Collections and composite tree report per-record errors with `statusCode` instead.
 */
export interface ApiErrorDetail {
  errorCode: string;
  message: string;
  fields: string[];
  /** DUPLICATES_DETECTED only: the rule and the records it matched (REST key `duplicateResut`, sic). */
  duplicateResult?: Record<string, unknown>;
}

export class SalesforceApiError extends Error {
  constructor(
    readonly status: number,
    readonly details: ApiErrorDetail[],
  ) {
    super(details.map((d) => `${d.errorCode}: ${d.message}`).join('; '));
  }

  static of(status: number, errorCode: string, message: string, fields: string[] = []): SalesforceApiError {
    return new SalesforceApiError(status, [{ errorCode, message, fields }]);
  }

  restBody(): Array<Record<string, unknown>> {
    return this.details.map(restError);
  }
}

export function restError(d: ApiErrorDetail): Record<string, unknown> {
  if (d.duplicateResult) return { duplicateResut: d.duplicateResult, errorCode: d.errorCode, message: d.message };
  return d.fields.length > 0
    ? { message: d.message, errorCode: d.errorCode, fields: d.fields }
    : { message: d.message, errorCode: d.errorCode };
}

export function collectionError(d: ApiErrorDetail): Record<string, unknown> {
  return { statusCode: d.errorCode, message: d.message, fields: d.fields };
}

export const detail = (errorCode: string, message: string, fields: string[] = []): ApiErrorDetail => ({
  errorCode,
  message,
  fields,
});

/** HTTP status Salesforce uses for a record-level error code on single-record REST calls. */
export function statusForCode(code: string): number {
  switch (code) {
    case 'NOT_FOUND':
    case 'ENTITY_IS_DELETED':
      return 404;
    case 'INVALID_SESSION_ID':
      return 401;
    case 'REQUEST_LIMIT_EXCEEDED':
    case 'INSUFFICIENT_ACCESS':
      return 403;
    case 'PRECONDITION_FAILED':
      return 412;
    default:
      return 400;
  }
}

export const notFound = () => detail('NOT_FOUND', 'The requested resource does not exist');
export const entityIsDeleted = () => detail('ENTITY_IS_DELETED', 'entity is deleted');
export const invalidType = (name: string) => detail('INVALID_TYPE', `sObject type '${name}' is not supported.`);
