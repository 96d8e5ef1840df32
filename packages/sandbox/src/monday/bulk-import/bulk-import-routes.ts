import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BulkImportService, UploadAnswer } from './bulk-import-service';

type Query = Record<string, string | undefined>;

function send(reply: FastifyReply, answer: UploadAnswer): FastifyReply {
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}

function headersOf(req: FastifyRequest): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(req.headers)) out[key] = Array.isArray(value) ? value[0] : value;
  return out;
}

/**
 * The pre-signed object-storage URLs of bulk import: PUT of the CSV, GET of the report. Any content
 * type reaches the handler so a wrong one gets S3's 403 rather than fastify's 415.
 */
export function registerBulkImportRoutes(app: FastifyInstance, service: BulkImportService): void {
  void app.register((scope, _opts, done) => {
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: service.options.maxFileBytes + 1024 * 1024 }, (_req, body, next) => next(null, body));
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, next) => next(null, body));
    scope.put('/__bulk-upload/:id', { bodyLimit: service.options.maxFileBytes + 1024 * 1024 }, (req, reply) => {
      const { id } = req.params as { id: string };
      const body = typeof req.body === 'string' ? req.body : '';
      return send(reply, service.upload(id, req.query as Query, headersOf(req), body));
    });
    scope.get('/__bulk-report/:id', (req, reply) => {
      const { id } = req.params as { id: string };
      return send(reply, service.report(id, req.query as Query));
    });
    done();
  });
}
