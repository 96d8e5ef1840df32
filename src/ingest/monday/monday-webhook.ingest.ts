import type { Logger } from 'pino';
import type { OwnIdentity } from '../own-identity';
import type { ServiceLifecycle } from '../service-lifecycle';
import type { BatchingAppender, Queryable } from '../../event-store';
import { counter } from '../../observability/metrics-registry';
import { recordRejection } from './ingest-rejections';
import { storabilityProblems } from './monday-webhook.storable';
import { mondayWebhookToEvent } from './monday-webhook.to-event';
import { validateWebhookEvent } from './monday-webhook.validate';
import { verifyMondayWebhook, type WebhookAuthSettings } from './monday-webhook.verify';

export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

export interface WebhookRequest {
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
  queryToken: string | undefined;
}

export interface WebhookResponse {
  status: number;
  body: Record<string, unknown>;
}

const appended = counter('crm_sync_events_appended_total', 'Events appended to the event store', ['source', 'type']);
const duplicates = counter('crm_sync_events_duplicate_total', 'Redelivered events recognised as duplicates', ['source']);
const rejections = counter('crm_sync_ingest_rejections_total', 'Webhooks refused, by reason', ['source', 'reason']);

/**
 * POST /webhooks/monday, in the order interface.md section 3 fixes: challenge echo, authentication,
 * size, parse and validation, then a durable append before the 200 (invariant 2).
 */
export class MondayWebhookIngest {
  constructor(
    private readonly appender: BatchingAppender,
    private readonly db: Queryable,
    private readonly auth: WebhookAuthSettings,
    private readonly identity: OwnIdentity,
    private readonly lifecycle: ServiceLifecycle,
    private readonly logger: Logger,
  ) {}

  async receive(request: WebhookRequest): Promise<WebhookResponse> {
    if (!this.lifecycle.acceptingWork) return { status: 503, body: { ok: false, error: 'shutting down; monday will retry' } };
    const parsed = parseJson(request.rawBody);
    if (parsed.ok && isChallenge(parsed.value)) return { status: 200, body: { challenge: parsed.value.challenge } };

    const authorization = headerValue(request.headers.authorization);
    const auth = verifyMondayWebhook(authorization, request.queryToken, this.auth);
    if (!auth.authenticated) {
      rejections.inc({ source: 'monday', reason: auth.reason });
      this.logger.warn({ reason: auth.reason }, 'monday webhook refused: not authenticated');
      return { status: 401, body: { ok: false, error: 'unauthenticated' } };
    }
    if (Buffer.byteLength(request.rawBody) > MAX_WEBHOOK_BODY_BYTES) {
      return this.reject(request, 413, 'body_too_large', `body is larger than ${MAX_WEBHOOK_BODY_BYTES} bytes`);
    }
    if (!parsed.ok) return this.reject(request, 400, 'invalid_json', `body is not valid JSON: ${parsed.error}`);
    const event = (parsed.value as { event?: unknown } | null)?.event;
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      return this.reject(request, 400, 'missing_event', 'body must be an object with an "event" object');
    }
    const unstorable = storabilityProblems(event as Record<string, unknown>);
    if (unstorable.length > 0) return this.reject(request, 400, 'unstorable_payload', unstorable.join('; '));
    const problems = validateWebhookEvent(event as Record<string, unknown>);
    if (problems.length > 0) return this.reject(request, 400, 'invalid_payload', problems.join('; '));

    const newEvent = mondayWebhookToEvent(event as Record<string, unknown>, this.identity.mondayUserId);
    const result = await this.appender.append(newEvent);
    if (!result.appended) {
      duplicates.inc({ source: 'monday' });
      return { status: 200, body: { ok: true, event: null, duplicate: true } };
    }
    appended.inc({ source: 'monday', type: newEvent.type });
    this.logger.debug({ position: result.position, type: newEvent.type, stream: newEvent.stream, origin: newEvent.origin }, 'monday event appended');
    return { status: 200, body: { ok: true, event: result.position, duplicate: false } };
  }

  private async reject(request: WebhookRequest, status: number, reason: string, message: string): Promise<WebhookResponse> {
    rejections.inc({ source: 'monday', reason });
    this.logger.warn({ reason, status }, `monday webhook rejected: ${message}`);
    await recordRejection(this.db, { source: 'monday', reason: `${reason}: ${message}`, headers: request.headers, body: request.rawBody });
    return { status, body: { ok: false, error: message } };
  }
}

function parseJson(raw: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

function isChallenge(value: unknown): value is { challenge: string } {
  return typeof value === 'object' && value !== null && typeof (value as { challenge?: unknown }).challenge === 'string';
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
