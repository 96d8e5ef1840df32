import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../clock';
import type { BoardEvent } from '../board-events';
import type { ColumnContext } from '../column-types/column-type';
import { invalidArgument } from '../errors';
import { parseJsonArgument } from '../item-actions';
import type { ColumnRecord, WebhookRecord } from '../state/model';
import type { MondayStore } from '../state/store';
import type { DeliveryQueue } from './delivery-queue';
import { postJson } from './http-post';
import { signWebhookJwt } from './webhook-jwt';
import { configMatches, payloadBody, subscriptionEventsFor } from './webhook-payloads';

const MAX_URL = 255;
const NEEDS_COLUMN = new Set(['change_specific_column_value', 'change_status_column_value']);

/** Webhook subscriptions: create (with the challenge, reference 7.2), list, delete, and fan-out of board events. */
export class WebhookService {
  private lastChangeMicros = 0;

  constructor(
    private readonly store: MondayStore,
    private readonly clock: Clock,
    private readonly queue: DeliveryQueue,
    private readonly accountId: number,
    private readonly signingSecret: string,
    private readonly challengeTimeoutMs: number,
    private readonly context: (column: ColumnRecord) => ColumnContext,
  ) {}

  async create(input: { boardId: string | number; url: string; event: string; config?: unknown }, actorId: number): Promise<WebhookRecord> {
    const board = this.store.boards.get(Number(input.boardId));
    if (!board || board.state === 'deleted') throw invalidArgument('Board not found', { board_id: Number(input.boardId) });
    if (input.url.length > MAX_URL) throw invalidArgument(`url must be at most ${MAX_URL} characters`, { url_length: input.url.length });
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw invalidArgument('url is not a valid URL', { url: input.url });
    }
    const rawConfig = input.config === undefined || input.config === null ? null : parseJsonArgument(input.config, 'config');
    const config = rawConfig && typeof rawConfig === 'object' && !Array.isArray(rawConfig) ? (rawConfig as Record<string, unknown>) : null;
    if (NEEDS_COLUMN.has(input.event) && !board.columns.some((c) => c.id === config?.columnId)) {
      throw invalidArgument(`config.columnId must name a column of the board for ${input.event}`, { config: rawConfig });
    }
    if (input.event === 'item_moved_to_specific_group' && !board.groups.some((g) => g.id === config?.groupId)) {
      throw invalidArgument('config.groupId must name a group of the board', { config: rawConfig });
    }
    await this.challenge(url, actorId);
    const webhook: WebhookRecord = {
      id: this.store.nextId('webhook'),
      boardId: board.id,
      url: input.url,
      event: input.event,
      config,
      createdAt: this.clock.now(),
    };
    this.store.addWebhook(webhook);
    return webhook;
  }

  delete(id: string | number): WebhookRecord {
    const webhook = this.store.webhooks.get(Number(id));
    if (!webhook) throw invalidArgument('Webhook not found', { webhook_id: Number(id) });
    this.store.webhooks.delete(webhook.id);
    return webhook;
  }

  /**
   * monday stamps a change to the microsecond (`changedAt` 1738777972.386279 in the captured samples),
   * so two changes of one column are never equal: the emulator's millisecond clock makes each stamp
   * one microsecond later than the last when they fall in one millisecond.
   */
  private changeStamp(now: number): number {
    this.lastChangeMicros = Math.max(Math.floor(now * 1000), this.lastChangeMicros + 1);
    return this.lastChangeMicros / 1e6;
  }

  /** Fans one board event out to every matching subscription, each with its own triggerUuid. */
  onBoardEvent(event: BoardEvent): void {
    const events = subscriptionEventsFor(event);
    let built: ReturnType<typeof payloadBody> | undefined;
    const now = this.clock.now();
    const changedAt = this.changeStamp(now);
    for (const webhook of this.store.webhooks.values()) {
      if (webhook.boardId !== event.board.id || !events.includes(webhook.event) || !configMatches(webhook, event)) continue;
      built ??= payloadBody(event, { accountId: this.accountId, now, changedAt, context: this.context });
      this.queue.enqueue({
        webhookId: webhook.id,
        url: webhook.url,
        attempts: 0,
        firstAttemptAt: null,
        nextAttemptAt: now,
        fields: {
          type: built.type,
          triggerTime: now,
          subscriptionId: webhook.id,
          userId: event.actorId,
          triggerUuid: randomUUID().replace(/-/g, ''),
          body: built.body,
        },
      });
    }
  }

  /** POSTs `{"challenge": ...}` and requires HTTP 200 with the same challenge echoed in a JSON body. */
  private async challenge(url: URL, actorId: number): Promise<void> {
    const challenge = randomBytes(39).toString('base64url');
    const token = signWebhookJwt(this.signingSecret, { accountId: this.accountId, userId: actorId, aud: url.toString() }, this.clock.now(), 300);
    let echoed: unknown;
    try {
      const res = await postJson(url, JSON.stringify({ challenge }), { authorization: token }, this.challengeTimeoutMs);
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      echoed = (JSON.parse(res.body) as { challenge?: unknown }).challenge;
    } catch {
      echoed = undefined;
    }
    if (echoed !== challenge) throw invalidArgument('Failed to communicate with URL provided.', { url: url.toString() });
  }
}
