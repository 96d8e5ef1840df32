import type { GraphQLError } from 'graphql';
import { legacyErrorType } from '../column-types/registry';
import { MondayApiError } from '../errors';
import { versionAtLeast } from './api-version';

export type ErrorBody = Record<string, unknown>;

/** ≤2024-10 answered application errors with top-level fields and no `data` (reference 6.2a). */
export function isLegacyFormat(apiVersion: string): boolean {
  return !versionAtLeast(apiVersion, '2025-01');
}

function errorData(error: MondayApiError, apiVersion: string): Record<string, unknown> {
  const data = { ...error.errorData };
  if (typeof data.column_type === 'string' && !versionAtLeast(apiVersion, '2025-04')) data.column_type = legacyErrorType(data.column_type);
  return data;
}

/**
 * graphql-js validation messages rewritten to monday's (graphql-ruby) wording for unknown fields:
 * `Field 'x' doesn't exist on type 'Board'`, `extensions.code: undefinedField` (reference 1.4).
 */
function validationError(error: GraphQLError): ErrorBody {
  const unknownField = /^Cannot query field "([^"]+)" on type "([^"]+)"/.exec(error.message);
  const base = { locations: error.locations };
  if (unknownField) {
    const [, fieldName, typeName] = unknownField;
    return { message: `Field '${fieldName}' doesn't exist on type '${typeName}'`, ...base, extensions: { code: 'undefinedField', typeName, fieldName } };
  }
  const unknownArg = /^Unknown argument "([^"]+)" on field "([^".]+)\.([^"]+)"/.exec(error.message);
  if (unknownArg) {
    const [, argumentName, , fieldName] = unknownArg;
    return {
      message: `Field '${fieldName}' doesn't accept argument '${argumentName}'`,
      ...base,
      extensions: { code: 'argumentNotAccepted', name: fieldName, typeName: 'Field', argumentName },
    };
  }
  return { message: error.message, ...base, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
}

export function parseErrorBody(error: GraphQLError): ErrorBody {
  return { message: `Parse error on ${error.message.replace(/^Syntax Error: /, '')}`, locations: error.locations, extensions: { code: 'PARSE_ERROR' } };
}

export function documentErrors(errors: readonly GraphQLError[], phase: 'parse' | 'validate'): ErrorBody[] {
  return errors.map((e) => (phase === 'parse' ? parseErrorBody(e) : validationError(e)));
}

/** An execution error in the 2025-01+ format: message, locations, path, extensions {code, status_code, error_data}. */
export function executionError(error: GraphQLError, apiVersion: string): { body: ErrorBody; internal: boolean } {
  const original = error.originalError;
  if (original instanceof MondayApiError) {
    return {
      internal: false,
      body: {
        message: original.message,
        locations: error.locations,
        path: error.path,
        extensions: { code: original.code, status_code: original.statusCode, error_data: errorData(original, apiVersion) },
      },
    };
  }
  if (!original) return { internal: false, body: validationError(error) };
  return {
    internal: true,
    body: { message: 'Internal server error', locations: error.locations, path: error.path, extensions: { code: 'INTERNAL_SERVER_ERROR', status_code: 500 } },
  };
}

/** ≤2024-10: the first application error as top-level fields (reference 6.2a). */
export function legacyApplicationError(error: GraphQLError, apiVersion: string, accountId: number): ErrorBody {
  const original = error.originalError;
  if (original instanceof MondayApiError) {
    return {
      error_code: original.code,
      status_code: original.statusCode,
      error_message: original.message,
      error_data: errorData(original, apiVersion),
      account_id: accountId,
    };
  }
  return { error_message: 'Internal server error', status_code: 500, account_id: accountId };
}

export function standaloneError(error: MondayApiError, apiVersion: string, accountId: number): ErrorBody {
  if (isLegacyFormat(apiVersion)) {
    return { error_code: error.code, status_code: error.statusCode, error_message: error.message, error_data: error.errorData, account_id: accountId };
  }
  return { errors: [{ message: error.message, extensions: { code: error.code, status_code: error.statusCode, error_data: error.errorData } }] };
}
