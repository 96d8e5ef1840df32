import type { OpenAPIObject } from '@nestjs/swagger';
import { MONDAY_WEBHOOK_PATH } from './monday-webhook.route';

type PathItem = OpenAPIObject['paths'][string];

/**
 * POST /webhooks/monday is a plain Fastify route (see monday-webhook.route.ts), which Nest's
 * OpenAPI scanner cannot see: its description lives here, next to the route, and createHttpApp adds
 * it to the generated document.
 */
export const MONDAY_WEBHOOK_OPENAPI: Record<string, PathItem> = {
  [MONDAY_WEBHOOK_PATH]: {
    post: {
      tags: ['webhooks'],
      operationId: 'receiveMondayWebhook',
      summary: 'Receive a monday.com board webhook',
      description:
        "monday's webhook deliveries (and the URL challenge when a webhook is created). Authenticated by the signing secret " +
        '(JWT in Authorization, MONDAY_SIGNING_SECRET) or MONDAY_WEBHOOK_TOKEN (?token=). Accepted events are appended to the event log before 200; ' +
        'a repeated delivery is a no-op. Bodies over 1 MiB answer 413 after authentication; refused bodies are kept for audit.',
      parameters: [{ name: 'token', in: 'query', required: false, schema: { type: 'string' }, description: 'MONDAY_WEBHOOK_TOKEN when not using the signing secret' }],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              oneOf: [
                { type: 'object', required: ['challenge'], properties: { challenge: { type: 'string' } } },
                { type: 'object', required: ['event'], properties: { event: { type: 'object', description: 'monday event: type, boardId, pulseId, columnId, value, triggerUuid, ...' } } },
              ],
            },
          },
        },
      },
      responses: {
        '200': { description: 'Challenge echoed, or the event appended (or already known)' },
        '400': { description: 'Invalid JSON or a payload the sync cannot use (the field is named); the body is kept' },
        '401': { description: 'Missing or wrong signature/token' },
        '413': { description: 'Body larger than 1 MiB' },
        '503': { description: 'The service is shutting down or the database is unreachable; monday retries' },
      },
    },
  },
};
