import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EmulatorContext } from '../context';
import { SalesforceApiError } from '../errors';
import { sendJson } from '../http/json-reply';
import { requestInfo } from '../http/request-info';
import { executeSoql } from '../soql/soql-executor';
import { csvFormatOf, toCsv } from './bulk2-csv';
import { processIngestJob } from './bulk2-ingest';
import { Bulk2Job, IngestJob, QueryJob } from './bulk2-jobs';
import { QueryRows } from './bulk2-query-rows';

const BASE = '/services/data/:version/jobs';
const INGEST_OPERATIONS = new Set(['insert', 'update', 'upsert', 'delete', 'hardDelete']);
type Body = Record<string, unknown>;

/**
 * Bulk API 2.0 (reference 4): query jobs with CSV result pages (`Sforce-Locator`, `null` on the
 * last page; `Sforce-NumberOfRecords`; `maxRecords` or the emulator's page size) and ingest jobs.
 */
export function registerBulk2Routes(app: FastifyInstance, ctx: EmulatorContext): void {
  const { bulk } = ctx;
  const jobOf = (request: FastifyRequest, kind: Bulk2Job['kind']): Bulk2Job => {
    const job = bulk.get((request.params as { id: string }).id, kind);
    if (!job) throw SalesforceApiError.of(404, 'NOT_FOUND', 'The requested resource does not exist');
    return job;
  };

  app.post(`${BASE}/query`, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const info = requestInfo(request);
    const operation = body.operation === 'queryAll' ? 'queryAll' : 'query';
    if (typeof body.query !== 'string') throw SalesforceApiError.of(400, 'INVALIDJOB', 'query is required');
    if (/\b(COUNT\s*\(|OFFSET\b|GROUP\s+BY\b|TYPEOF\b)/i.test(body.query)) {
      throw SalesforceApiError.of(400, 'INVALIDJOB', 'The query contains a feature Bulk API 2.0 does not support (aggregates, OFFSET, GROUP BY, TYPEOF)');
    }
    const result = executeSoql(body.query, {
      registry: ctx.org.registry,
      store: ctx.org.store,
      now: ctx.clock.now(),
      apiVersion: info.apiVersion,
      includeDeleted: operation === 'queryAll',
    });
    const rows = new QueryRows(result.columns.map((c) => c.text), result.rows);
    const now = bulk.now();
    const job: QueryJob = {
      kind: 'query', id: bulk.newId(), object: result.object.name, operation, query: body.query, state: 'UploadComplete',
      createdById: info.userId, createdDate: now, systemModstamp: now, apiVersion: info.apiVersion, format: csvFormatOf(body),
      client: info.client, errorMessage: null, polls: 0, rows,
    };
    bulk.add(job);
    return sendJson(reply, 200, bulk.info(job));
  });

  app.post(`${BASE}/ingest`, async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const info = requestInfo(request);
    const operation = String(body.operation ?? '');
    if (!INGEST_OPERATIONS.has(operation)) throw SalesforceApiError.of(400, 'INVALIDJOB', `Invalid operation: ${operation}`);
    const schema = ctx.org.registry.get(String(body.object ?? ''));
    if (!schema) throw SalesforceApiError.of(400, 'INVALIDJOB', `Unable to find object: ${String(body.object)}`);
    if (operation === 'upsert' && typeof body.externalIdFieldName !== 'string') {
      throw SalesforceApiError.of(400, 'INVALIDJOB', 'External ID was blank for upsert');
    }
    const now = bulk.now();
    const empty = { header: [], rows: [] };
    const job: IngestJob = {
      kind: 'ingest', id: bulk.newId(), object: schema.name, operation: operation as IngestJob['operation'],
      externalIdFieldName: typeof body.externalIdFieldName === 'string' ? body.externalIdFieldName : null,
      state: 'Open', createdById: info.userId, createdDate: now, systemModstamp: now, apiVersion: info.apiVersion,
      format: csvFormatOf(body), client: info.client, errorMessage: null, polls: 0, upload: null,
      successful: empty, failed: empty, unprocessed: empty, processed: 0,
    };
    bulk.add(job);
    return sendJson(reply, 200, bulk.info(job));
  });

  app.put(`${BASE}/ingest/:id/batches`, async (request, reply) => {
    const job = jobOf(request, 'ingest') as IngestJob;
    if (job.state !== 'Open') throw SalesforceApiError.of(409, 'INVALIDJOBSTATE', 'Job is not open for uploads');
    if (job.upload !== null) throw SalesforceApiError.of(400, 'INVALIDJOB', 'Found multiple uploads for this job; upload once per job');
    job.upload = typeof request.body === 'string' ? request.body : '';
    return reply.code(201).send();
  });

  for (const kind of ['query', 'ingest'] as const) {
    app.get(`${BASE}/${kind}`, async (_request, reply) =>
      sendJson(reply, 200, { done: true, records: bulk.list(kind).map((j) => bulk.info(j)), nextRecordsUrl: null }),
    );
    app.get(`${BASE}/${kind}/:id`, async (request, reply) => {
      const job = jobOf(request, kind);
      bulk.advance(job);
      return sendJson(reply, 200, bulk.info(job));
    });
    app.patch(`${BASE}/${kind}/:id`, async (request, reply) => {
      const job = jobOf(request, kind);
      const state = ((request.body ?? {}) as Body).state;
      if (state === 'Aborted') {
        if (job.state === 'JobComplete' || job.state === 'Failed') {
          throw SalesforceApiError.of(400, 'INVALIDJOBSTATE', `Job is already ${job.state}`);
        }
        job.state = 'Aborted';
        if (job.kind === 'ingest' && job.upload) job.unprocessed = { header: [], rows: [] };
      } else if (state === 'UploadComplete' && job.kind === 'ingest') {
        if (job.state !== 'Open') throw SalesforceApiError.of(409, 'INVALIDJOBSTATE', 'Job is not open');
        processIngestJob(ctx, job);
      } else {
        throw SalesforceApiError.of(400, 'INVALIDJOBSTATE', `Invalid state change to ${String(state)}`);
      }
      return sendJson(reply, 200, bulk.info(job));
    });
    app.delete(`${BASE}/${kind}/:id`, async (request, reply) => {
      const job = jobOf(request, kind);
      bulk.remove(job.id);
      return reply.code(204).send();
    });
  }

  app.get(`${BASE}/query/:id/results`, async (request, reply) => {
    const job = jobOf(request, 'query') as QueryJob;
    if (job.state !== 'JobComplete') throw SalesforceApiError.of(400, 'INVALIDJOBSTATE', `Job is in state ${job.state}`);
    const q = request.query as { locator?: string; maxRecords?: string };
    const start = q.locator ? Number(Buffer.from(q.locator, 'base64').toString('utf8')) : 0;
    if (!Number.isInteger(start) || start < 0 || start > job.rows.length) {
      throw SalesforceApiError.of(400, 'INVALIDLOCATOR', 'Invalid locator');
    }
    const max = q.maxRecords === undefined ? bulk.pageSize : Number(q.maxRecords);
    if (q.maxRecords !== undefined && (!Number.isInteger(max) || max < 1)) throw SalesforceApiError.of(400, 'INVALIDREQUEST', `maxRecords must be a positive integer: ${q.maxRecords}`);
    const end = Math.min(job.rows.length, start + max);
    const locator = end < job.rows.length ? Buffer.from(String(end)).toString('base64').replace(/=+$/, '') : 'null';
    reply.header('Sforce-Locator', locator).header('Sforce-NumberOfRecords', String(end - start));
    return sendCsv(reply, toCsv(job.rows.header, job.rows.cells(start, end), job.format));
  });

  const resultEndpoint = (path: string, pick: (job: IngestJob) => { header: string[]; rows: string[][] }) =>
    app.get(`${BASE}/ingest/:id/${path}`, async (request, reply) => {
      const job = jobOf(request, 'ingest') as IngestJob;
      const { header, rows } = pick(job);
      if (header.length === 0) return sendCsv(reply, '');
      return sendCsv(reply, toCsv(header, rows, job.format));
    });
  resultEndpoint('successfulResults', (j) => j.successful);
  resultEndpoint('failedResults', (j) => j.failed);
  resultEndpoint('unprocessedrecords', (j) => j.unprocessed);
}

function sendCsv(reply: FastifyReply, body: string): FastifyReply {
  return reply.code(200).header('content-type', 'text/csv').send(body);
}
