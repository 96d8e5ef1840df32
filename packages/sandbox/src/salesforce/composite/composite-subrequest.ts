import { EmulatorContext } from '../context';
import { ApiErrorDetail, detail, restError, SalesforceApiError, statusForCode } from '../errors';
import { restRecord } from '../http/record-format';
import { parseVersionSegment } from '../http/request-info';
import { executeSoql } from '../soql/soql-executor';
import { SaveOutcome } from '../store/record-writer';
import { Transaction } from '../store/transaction';
import { collectionBody, createMany, deleteMany, updateMany, upsertMany } from './sobject-collections';

export interface SubrequestResult {
  httpStatusCode: number;
  body: unknown;
  httpHeaders: Record<string, string>;
}

/**
 * Executes one composite subrequest inside the composite's transaction (reference 3.2): sObject
 * create/retrieve/update/delete/upsert, query/queryAll and sObject Collections.
 */
export function runSubrequest(
  ctx: EmulatorContext,
  tx: Transaction,
  method: string,
  url: string,
  body: unknown,
): SubrequestResult {
  const parsed = new URL(url, 'http://composite.local');
  const segments = parsed.pathname.split('/').filter(Boolean);
  const version = segments[0] === 'services' && segments[1] === 'data' ? parseVersionSegment(segments[2]) : null;
  if (!version) return errorResult(404, detail('NOT_FOUND', 'The requested resource does not exist'));
  const [resource, ...rest] = segments.slice(3);
  try {
    switch (resource) {
      case 'sobjects':
        return sobject(ctx, tx, method, rest, body, version, parsed.searchParams);
      case 'query':
      case 'queryAll': {
        const q = parsed.searchParams.get('q');
        if (method !== 'GET' || !q) return errorResult(400, detail('MALFORMED_QUERY', 'A query string has to be specified'));
        const result = executeSoql(q, {
          registry: ctx.org.registry,
          store: ctx.org.store,
          now: ctx.clock.now(),
          apiVersion: version,
          includeDeleted: resource === 'queryAll',
        });
        return ok(200, { totalSize: result.totalSize, done: true, records: result.rows });
      }
      case 'composite':
        if (rest[0] === 'sobjects') return collections(ctx, tx, method, rest.slice(1), body, parsed.searchParams);
        break;
      default:
        break;
    }
  } catch (err) {
    if (err instanceof SalesforceApiError) return { httpStatusCode: err.status, body: err.restBody(), httpHeaders: {} };
    throw err;
  }
  return errorResult(400, detail('INVALID_URL', `${url} is not supported in a composite request`));
}

function sobject(
  ctx: EmulatorContext,
  tx: Transaction,
  method: string,
  rest: string[],
  body: unknown,
  version: string,
  query: URLSearchParams,
): SubrequestResult {
  const [type = '', idOrField, extValue] = rest;
  const fields = (body ?? {}) as Record<string, unknown>;
  const w = ctx.org.writer;
  if (method === 'POST' && idOrField === undefined) {
    return saved(w.create(tx, type, fields), 201, (id) => ({ Location: `/services/data/v${version}/sobjects/${type}/${id}` }));
  }
  if (idOrField !== undefined && extValue !== undefined && method === 'PATCH') {
    const outcome = w.upsert(tx, type, idOrField, decodeURIComponent(extValue), fields);
    if (!outcome.ok) return saved(outcome, 200);
    return ok(outcome.created ? 201 : 200, { id: outcome.id, success: true, errors: [], created: outcome.created });
  }
  if (idOrField === undefined) return errorResult(400, detail('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed`));
  switch (method) {
    case 'GET': {
      const found = w.findLive(type, idOrField);
      if ('errors' in found) return failed(found.errors);
      const list = query.get('fields')?.split(',').map((f) => f.trim()).filter(Boolean);
      return ok(200, restRecord(found.schema, found.record, version, list));
    }
    case 'PATCH':
      return saved(w.update(tx, type, idOrField, fields), 204);
    case 'DELETE':
      return saved(w.delete(tx, type, idOrField), 204);
    default:
      return errorResult(400, detail('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed`));
  }
}

function collections(
  ctx: EmulatorContext,
  tx: Transaction,
  method: string,
  rest: string[],
  body: unknown,
  query: URLSearchParams,
): SubrequestResult {
  if (method === 'POST' && rest.length === 0) return ok(200, createMany(ctx, tx, collectionBody(body)));
  if (method === 'PATCH' && rest.length === 0) return ok(200, updateMany(ctx, tx, collectionBody(body)));
  if (method === 'PATCH' && rest.length === 2) {
    return ok(200, upsertMany(ctx, tx, rest[0] as string, rest[1] as string, collectionBody(body)));
  }
  if (method === 'DELETE') {
    const ids = (query.get('ids') ?? '').split(',').filter(Boolean);
    return ok(200, deleteMany(ctx, tx, ids, query.get('allOrNone') === 'true'));
  }
  return errorResult(400, detail('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed`));
}

function saved(
  outcome: SaveOutcome,
  status: number,
  headers: (id: string) => Record<string, string> = () => ({}),
): SubrequestResult {
  if (!outcome.ok) return failed(outcome.errors);
  if (status === 204) return { httpStatusCode: 204, body: null, httpHeaders: {} };
  return { httpStatusCode: status, body: { id: outcome.id, success: true, errors: [] }, httpHeaders: headers(outcome.id) };
}

function failed(errors: ApiErrorDetail[]): SubrequestResult {
  return { httpStatusCode: statusForCode(errors[0]?.errorCode ?? ''), body: errors.map(restError), httpHeaders: {} };
}

function ok(status: number, body: unknown): SubrequestResult {
  return { httpStatusCode: status, body, httpHeaders: {} };
}

function errorResult(status: number, d: ApiErrorDetail): SubrequestResult {
  return { httpStatusCode: status, body: [restError(d)], httpHeaders: {} };
}
