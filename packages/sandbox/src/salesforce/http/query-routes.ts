import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EmulatorContext } from '../context';
import { SalesforceApiError } from '../errors';
import { executeSoql } from '../soql/soql-executor';
import { sendJson } from './json-reply';
import { requestInfo } from './request-info';

const DEFAULT_BATCH = 2000;
const MIN_BATCH = 200;

/**
 * `/query` and `/queryAll` with paging (reference 2.4): at most 2 000 records a page, fewer with
 * `Sforce-Query-Options: batchSize=N` (200..2000); `nextRecordsUrl` locators served under both
 * `/query/` and `/queryAll/` because jsforce always follows them under `/query/`.
 */
export function registerQueryRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  for (const resource of ['query', 'queryAll'] as const) {
    app.get(`/services/data/:version/${resource}`, async (request, reply) => {
      const q = (request.query as { q?: string }).q;
      if (!q) throw SalesforceApiError.of(400, 'MALFORMED_QUERY', 'A query string has to be specified');
      return sendJson(reply, 200, runQuery(ctx, request, q, resource === 'queryAll'));
    });
    app.get(`/services/data/:version/${resource}/:locator`, async (request, reply) => {
      const { locator } = request.params as { locator: string };
      const page = ctx.cursors.next(locator);
      if (!page) throw SalesforceApiError.of(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
      const version = requestInfo(request).apiVersion;
      return sendJson(reply, 200, {
        totalSize: page.totalSize,
        done: page.nextLocator === null,
        ...(page.nextLocator ? { nextRecordsUrl: `/services/data/v${version}/query/${page.nextLocator}` } : {}),
        records: page.records,
      });
    });
  }
}

export function runQuery(ctx: EmulatorContext, request: FastifyRequest, soql: string, includeDeleted: boolean): Record<string, unknown> {
  const version = requestInfo(request).apiVersion;
  const result = executeSoql(soql, {
    registry: ctx.org.registry,
    store: ctx.org.store,
    now: ctx.clock.now(),
    apiVersion: version,
    includeDeleted,
  });
  const batchSize = batchSizeOf(request.headers['sforce-query-options']);
  if (result.rows.length <= batchSize) {
    return { totalSize: result.totalSize, done: true, records: result.rows };
  }
  const locator = ctx.cursors.open(result.rows, batchSize, batchSize, result.totalSize);
  return {
    totalSize: result.totalSize,
    done: false,
    nextRecordsUrl: `/services/data/v${version}/query/${locator}`,
    records: result.rows.slice(0, batchSize),
  };
}

function batchSizeOf(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header.join(',') : header;
  const m = value ? /batchSize\s*=\s*(\d+)/i.exec(value) : null;
  if (!m) return DEFAULT_BATCH;
  return Math.min(DEFAULT_BATCH, Math.max(MIN_BATCH, Number(m[1])));
}
