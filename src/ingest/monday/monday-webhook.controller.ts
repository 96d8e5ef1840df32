import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { histogram } from '../../observability/metrics-registry';
import { MondayWebhookIngest } from './monday-webhook.ingest';

const latency = histogram('crm_sync_webhook_duration_seconds', 'Time from receiving a monday webhook to answering it', ['status'], [
  0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1,
]);

/** Thin HTTP edge: the raw body (see create-app.ts: the webhook route keeps it unparsed) goes to the ingest. */
@Controller('webhooks')
export class MondayWebhookController {
  constructor(@Inject(MondayWebhookIngest) private readonly ingest: MondayWebhookIngest) {}

  @Post('monday')
  async receive(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const stop = latency.startTimer();
    const query = request.query as Record<string, unknown>;
    const response = await this.ingest.receive({
      rawBody: typeof request.body === 'string' ? request.body : request.body === undefined ? '' : JSON.stringify(request.body),
      headers: request.headers,
      queryToken: typeof query.token === 'string' ? query.token : undefined,
    });
    stop({ status: String(response.status) });
    await reply.status(response.status).send(response.body);
  }
}
