import type { FastifyInstance } from 'fastify';
import { runComposite } from '../composite/composite-request';
import {
  collectionBody, createMany, deleteMany, retrieveMany, updateMany, upsertMany,
} from '../composite/sobject-collections';
import { EmulatorContext } from '../context';
import { SalesforceApiError } from '../errors';
import { sendJson } from './json-reply';
import { requestInfo, restWriteContext } from './request-info';

const BASE = '/services/data/:version/composite';

/** sObject Collections and Composite (reference 3.1, 3.2); each call is one transaction. */
export function registerCompositeRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const { org } = ctx;

  app.post(`${BASE}/sobjects`, async (request, reply) => {
    const body = collectionBody(request.body);
    return sendJson(reply, 200, org.transact(restWriteContext(request), (tx) => createMany(ctx, tx, body)));
  });

  app.patch(`${BASE}/sobjects`, async (request, reply) => {
    const body = collectionBody(request.body);
    return sendJson(reply, 200, org.transact(restWriteContext(request), (tx) => updateMany(ctx, tx, body)));
  });

  app.patch(`${BASE}/sobjects/:sobject/:field`, async (request, reply) => {
    const { sobject, field } = request.params as { sobject: string; field: string };
    const body = collectionBody(request.body);
    return sendJson(reply, 200, org.transact(restWriteContext(request), (tx) => upsertMany(ctx, tx, sobject, field, body)));
  });

  app.delete(`${BASE}/sobjects`, async (request, reply) => {
    const query = request.query as { ids?: string; allOrNone?: string };
    const ids = (query.ids ?? '').split(',').filter(Boolean);
    return sendJson(reply, 200, org.transact(restWriteContext(request), (tx) => deleteMany(ctx, tx, ids, query.allOrNone === 'true')));
  });

  app.get(`${BASE}/sobjects/:sobject`, async (request, reply) => {
    const { sobject } = request.params as { sobject: string };
    const query = request.query as { ids?: string; fields?: string };
    const ids = (query.ids ?? '').split(',').filter(Boolean);
    const fields = (query.fields ?? 'Id').split(',').filter(Boolean);
    return sendJson(reply, 200, retrieveMany(ctx, sobject, ids, fields, requestInfo(request).apiVersion));
  });

  app.post(`${BASE}/sobjects/:sobject`, async (request, reply) => {
    const { sobject } = request.params as { sobject: string };
    const body = (request.body ?? {}) as { ids?: unknown; fields?: unknown };
    if (!Array.isArray(body.ids) || !Array.isArray(body.fields)) {
      throw SalesforceApiError.of(400, 'JSON_PARSER_ERROR', 'ids and fields must be arrays');
    }
    return sendJson(reply, 200, retrieveMany(ctx, sobject, body.ids.map(String), body.fields.map(String), requestInfo(request).apiVersion));
  });

  app.post(BASE, async (request, reply) =>
    sendJson(reply, 200, org.transact(restWriteContext(request), (tx) => runComposite(ctx, tx, request.body))),
  );
}
