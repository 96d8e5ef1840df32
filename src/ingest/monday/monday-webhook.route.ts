import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { histogram } from '../../observability/metrics-registry';
import type { MondayWebhookIngest, WebhookResponse } from './monday-webhook.ingest';

export const MONDAY_WEBHOOK_PATH = '/webhooks/monday';

const latency = histogram('crm_sync_webhook_duration_seconds', 'Time from receiving a monday webhook to answering it', ['status'], [
  0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1,
]);

const INTERNAL_ERROR: WebhookResponse = { status: 500, body: { statusCode: 500, message: 'Internal server error' } };

/**
 * POST /webhooks/monday as a plain Fastify route on the Nest app's Fastify instance (registered by
 * createHttpApp), not a Nest route: the webhook is the one hot path, and Nest's router context,
 * param decorators, exception zone and their garbage cost about 10-15% of the service's CPU per
 * webhook (bench/ingest: 148-174 -> 131-133 us per event at 100 connections, docs/benchmarks.md).
 * The rest of the HTTP API stays in Nest controllers.
 *
 * Thin edge: the raw body (createHttpApp keeps /webhooks/ bodies unparsed) goes to the ingest. An
 * unexpected failure answers 500 without its message, as Nest's default exception filter does.
 */
export function registerMondayWebhookRoute(app: NestFastifyApplication, ingest: MondayWebhookIngest, logger: Logger): void {
  // The Fastify that @nestjs/platform-fastify bundles (its types differ from a top-level fastify's).
  app.getHttpAdapter().getInstance().post(MONDAY_WEBHOOK_PATH, async (request, reply) => {
    const stop = latency.startTimer();
    const query = request.query as Record<string, unknown>;
    let response: WebhookResponse;
    try {
      response = await ingest.receive({
        rawBody: typeof request.body === 'string' ? request.body : request.body === undefined ? '' : JSON.stringify(request.body),
        headers: request.headers,
        queryToken: typeof query.token === 'string' ? query.token : undefined,
      });
    } catch (error) {
      logger.error({ err: error, reqId: request.id }, 'monday webhook failed');
      response = INTERNAL_ERROR;
    }
    stop({ status: String(response.status) });
    void reply.status(response.status);
    return response.body;
  });
}
