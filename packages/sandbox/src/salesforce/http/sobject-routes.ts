import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EmulatorContext } from '../context';
import { detail, invalidType, SalesforceApiError, statusForCode } from '../errors';
import { describeGlobal, describeObject } from '../schema/describe';
import { SObjectSchema } from '../schema/schema-registry';
import { parseDateTime } from '../store/field-values';
import { SaveOutcome } from '../store/record-writer';
import { sendJson, sendNoContent } from './json-reply';
import { attributesOf, restRecord } from './record-format';
import { requestInfo, restWriteContext } from './request-info';

const BASE = '/services/data/:version';
type Params = { sobject: string; id: string; field: string; value: string };

/** sObject REST resources (reference 2.1): versions, describe, CRUD, upsert by external id, limits. */
export function registerSObjectRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const { org } = ctx;
  const schemaOf = (name: string): SObjectSchema => {
    const s = org.registry.get(name);
    if (!s) throw new SalesforceApiError(404, [invalidType(name)]);
    return s;
  };
  const version = (request: FastifyRequest) => requestInfo(request).apiVersion;

  app.get('/services/data', async (_request, reply) => sendJson(reply, 200, versions(ctx)));
  app.get('/services/data/', async (_request, reply) => sendJson(reply, 200, versions(ctx)));

  app.get(BASE, async (request, reply) => {
    const v = `/services/data/v${version(request)}`;
    return sendJson(reply, 200, {
      tooling: `${v}/tooling`,
      composite: `${v}/composite`,
      query: `${v}/query`,
      queryAll: `${v}/queryAll`,
      sobjects: `${v}/sobjects`,
      limits: `${v}/limits`,
      jobs: `${v}/jobs`,
      identity: `${ctx.baseUrl()}/id/${ctx.orgId}/${requestInfo(request).userId}`,
    });
  });

  app.get(`${BASE}/sobjects`, async (request, reply) => sendJson(reply, 200, describeGlobal(org.registry, version(request))));

  app.get(`${BASE}/sobjects/:sobject`, async (request, reply) => {
    const schema = schemaOf((request.params as Params).sobject);
    const global = describeGlobal(org.registry, version(request)).sobjects as Array<{ name: string }>;
    return sendJson(reply, 200, {
      objectDescribe: global.find((s) => s.name === schema.name),
      recentItems: [],
    });
  });

  app.get(`${BASE}/sobjects/:sobject/describe`, async (request, reply) => {
    const schema = schemaOf((request.params as Params).sobject);
    return sendJson(reply, 200, describeObject(schema, org.registry, version(request)));
  });

  app.post(`${BASE}/sobjects/:sobject`, async (request, reply) => {
    const schema = schemaOf((request.params as Params).sobject);
    const body = objectBody(request.body);
    const outcome = org.transact(restWriteContext(request), (tx) => org.writer.create(tx, schema.name, body));
    const id = throwOnFailure(outcome);
    reply.header('Location', attributesOf(schema, id, version(request)).url);
    return sendJson(reply, 201, { id, success: true, errors: [] });
  });

  app.post(`${BASE}/sobjects/:sobject/Id`, async (request, reply) => {
    const schema = schemaOf((request.params as Params).sobject);
    const outcome = org.transact(restWriteContext(request), (tx) => org.writer.create(tx, schema.name, objectBody(request.body)));
    return sendJson(reply, 201, { id: throwOnFailure(outcome), success: true, errors: [], created: true });
  });

  app.get(`${BASE}/sobjects/:sobject/:id`, async (request, reply) => {
    const { sobject, id } = request.params as Params;
    const found = org.writer.findLive(sobject, id);
    if ('errors' in found) throw errorOf(found.errors);
    const fields = fieldsParam(request, found.schema);
    return sendJson(reply, 200, restRecord(found.schema, found.record, version(request), fields));
  });

  app.patch(`${BASE}/sobjects/:sobject/:id`, async (request, reply) => {
    const { sobject, id } = request.params as Params;
    checkUnmodifiedSince(ctx, request, sobject, id);
    const body = objectBody(request.body);
    const outcome = org.transact(restWriteContext(request), (tx) => org.writer.update(tx, sobject, id, body));
    throwOnFailure(outcome);
    return sendNoContent(reply);
  });

  app.delete(`${BASE}/sobjects/:sobject/:id`, async (request, reply) => {
    const { sobject, id } = request.params as Params;
    const outcome = org.transact(restWriteContext(request), (tx) => org.writer.delete(tx, sobject, id));
    throwOnFailure(outcome);
    return sendNoContent(reply);
  });

  app.get(`${BASE}/sobjects/:sobject/:field/:value`, async (request, reply) => {
    const { sobject, field, value } = request.params as Params;
    const schema = schemaOf(sobject);
    const f = schema.field(field);
    if (!f || !f.externalId) {
      throw SalesforceApiError.of(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${field}`);
    }
    const ids = org.store.findAllByUnique(schema, f.name, value);
    if (ids.length > 1) return sendJson(reply, 300, ids.map((id) => attributesOf(schema, id, version(request)).url));
    const record = ids[0] ? org.store.get(ids[0])?.record : undefined;
    if (!record) throw SalesforceApiError.of(404, 'NOT_FOUND', 'The requested resource does not exist');
    return sendJson(reply, 200, restRecord(schema, record, version(request), fieldsParam(request, schema)));
  });

  app.patch(`${BASE}/sobjects/:sobject/:field/:value`, async (request, reply) => {
    const { sobject, field, value } = request.params as Params;
    const schema = schemaOf(sobject);
    const query = request.query as { updateOnly?: string };
    const body = objectBody(request.body);
    const f = schema.field(field);
    const matches = f?.externalId ? org.store.findAllByUnique(schema, f.name, value) : [];
    // Several records share a non-unique external id: 300 with their URLs, nothing written (reference 2.3).
    if (matches.length > 1) return sendJson(reply, 300, matches.map((id) => attributesOf(schema, id, version(request)).url));
    if (query.updateOnly === 'true' && f && matches.length === 0) {
      throw SalesforceApiError.of(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    const outcome = org.transact(restWriteContext(request), (tx) => org.writer.upsert(tx, schema.name, field, value, body));
    const id = throwOnFailure(outcome);
    const created = outcome.ok && outcome.created;
    return sendJson(reply, created ? 201 : 200, { id, success: true, errors: [], created });
  });

  app.get(`${BASE}/limits`, async (_request, reply) => sendJson(reply, 200, limitsBody(ctx)));
}

function versions(ctx: EmulatorContext): Array<Record<string, string>> {
  const newest = Math.floor(Number(ctx.apiVersion));
  const out: Array<Record<string, string>> = [];
  for (let v = 47; v <= newest; v++) {
    out.push({ label: `Version ${v}`, url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return out;
}

function limitsBody(ctx: EmulatorContext): Record<string, { Max: number; Remaining: number }> {
  const full = (max: number) => ({ Max: max, Remaining: max });
  return {
    DailyApiRequests: { Max: ctx.usage.max, Remaining: ctx.usage.remaining() },
    DailyBulkApiBatches: full(15000),
    DailyBulkV2QueryJobs: full(10000),
    DailyBulkV2QueryFileStorageMB: full(976562),
    DailyDeliveredPlatformEvents: full(10000),
    DailyDurableStreamingApiEvents: full(10000),
    DurableStreamingApiConcurrentClients: {
      Max: 20,
      Remaining: 20 - (ctx.cometd?.connectedClients() ?? 0),
    },
    DataStorageMB: full(5),
    FileStorageMB: full(20),
  };
}

export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw SalesforceApiError.of(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function fieldsParam(request: FastifyRequest, schema: SObjectSchema): string[] | undefined {
  const raw = (request.query as { fields?: string }).fields;
  if (!raw) return undefined;
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.find((n) => !schema.field(n));
  if (unknown) {
    throw SalesforceApiError.of(400, 'INVALID_FIELD', `No such column '${unknown}' on entity '${schema.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
  }
  return names;
}

/** If-Unmodified-Since: 412 when the record changed after the given date (reference 2.6). */
function checkUnmodifiedSince(ctx: EmulatorContext, request: FastifyRequest, sobject: string, id: string): void {
  const header = request.headers['if-unmodified-since'];
  if (typeof header !== 'string') return;
  const found = ctx.org.writer.findLive(sobject, id);
  if ('errors' in found) return;
  const since = Date.parse(header);
  const modified = parseDateTime(String(found.record.LastModifiedDate)) ?? 0;
  if (!Number.isNaN(since) && Math.floor(modified / 1000) * 1000 > since) {
    throw SalesforceApiError.of(412, 'PRECONDITION_FAILED', 'The entity has been modified since the specified date');
  }
}

export function throwOnFailure(outcome: SaveOutcome): string {
  if (outcome.ok) return outcome.id;
  throw errorOf(outcome.errors);
}

function errorOf(errors: ReturnType<typeof detail>[]): SalesforceApiError {
  return new SalesforceApiError(statusForCode(errors[0]?.errorCode ?? ''), errors);
}
