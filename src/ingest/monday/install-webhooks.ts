import type { MondayPort, MondayWebhookEvent } from '../../monday';

/** The board events the sync needs (interface.md "Sync rules"). */
export const REQUIRED_WEBHOOK_EVENTS: readonly MondayWebhookEvent[] = [
  'create_item',
  'change_column_value',
  'change_name',
  'item_deleted',
  'item_archived',
  'item_restored',
];

export interface WebhookInstallResult {
  boardId: string;
  created: MondayWebhookEvent[];
  existing: MondayWebhookEvent[];
}

/**
 * Idempotent: lists each board's webhooks and creates only the missing ones. monday answers the
 * challenge against `url` while creating, so the service must already be reachable there.
 */
export async function installWebhooks(monday: MondayPort, boardIds: readonly string[], url: string): Promise<WebhookInstallResult[]> {
  const results: WebhookInstallResult[] = [];
  for (const boardId of boardIds) {
    const existing = new Set((await monday.webhooks(boardId)).map((w) => w.event));
    const result: WebhookInstallResult = { boardId, created: [], existing: [] };
    for (const event of REQUIRED_WEBHOOK_EVENTS) {
      if (existing.has(event)) {
        result.existing.push(event);
        continue;
      }
      await monday.createWebhook(boardId, url, event);
      result.created.push(event);
    }
    results.push(result);
  }
  return results;
}
