import { BOARD_ACTIVITY_LOGS_QUERY } from './documents';
import { MondayError } from './monday.error';
import type { MondayCreatedItem, MondayCreatedItems } from './monday.port';
import type { MondayAnswer, MondayRequest } from './monday-requester';
import { list } from './parse-monday-responses';

/** Entries asked for per page: a public client documents 100 as the maximum (monday documents none). */
export const ACTIVITY_LOG_PAGE_SIZE = 100;
/** monday serves "up to 10,000 logs" of one query. */
export const MAX_ACTIVITY_LOG_ENTRIES = 10_000;

/**
 * Reads the `create_pulse` entries of one user on a board in a window (MondayPort.itemsCreatedBy),
 * page by page (`limit`/`page`, newest first) until a page comes back short or `maxEntries` were read.
 * The field has no event filter, so every entry of the user is paged through.
 */
export async function readItemsCreatedBy(
  execute: (request: MondayRequest) => Promise<MondayAnswer>,
  boardId: string,
  userId: string,
  window: { from: Date; to: Date },
  maxEntries = MAX_ACTIVITY_LOG_ENTRIES,
): Promise<MondayCreatedItems> {
  const bound = Math.max(1, Math.min(maxEntries, MAX_ACTIVITY_LOG_ENTRIES));
  const limit = Math.min(ACTIVITY_LOG_PAGE_SIZE, bound);
  const items = new Map<string, MondayCreatedItem>();
  let complete = true;
  let read = 0;
  let requests = 0;
  for (let page = 1; ; page++) {
    const variables = { boardId, from: window.from.toISOString(), to: window.to.toISOString(), userIds: [userId], limit, page };
    requests += 1;
    const answer = await execute({ operation: 'activity_logs', document: BOARD_ACTIVITY_LOGS_QUERY, variables, boardId });
    const error = answer.fieldErrors.get('boards');
    if (error) throw error.withContext({ boardId });
    const board = list(answer.data.boards)[0] as { activity_logs?: unknown } | undefined;
    if (!board) throw new MondayError('NOT_FOUND', `board ${boardId} was not found (reading its activity log)`);
    const entries = list(board.activity_logs);
    read += entries.length;
    for (const entry of entries) {
      const created = createdItemOf(entry);
      if (created === 'unreadable') complete = false;
      else if (created && !items.has(created.itemId)) items.set(created.itemId, created);
    }
    if (entries.length < limit) break;
    if (read >= bound) {
      complete = false;
      break;
    }
  }
  return { items: [...items.values()], complete, requests };
}

/**
 * The item a log entry says was created (`create_pulse`, its `data` JSON naming `pulse_id` and
 * `pulse_name`); null for other entries; 'unreadable' for a `create_pulse` whose item cannot be read.
 */
export function createdItemOf(raw: unknown): MondayCreatedItem | null | 'unreadable' {
  if (typeof raw !== 'object' || raw === null) return null;
  const entry = raw as Record<string, unknown>;
  if (entry.event !== 'create_pulse') return null;
  let data: unknown;
  try {
    data = typeof entry.data === 'string' ? JSON.parse(entry.data) : entry.data;
  } catch {
    return 'unreadable';
  }
  if (typeof data !== 'object' || data === null) return 'unreadable';
  const { pulse_id: pulseId, pulse_name: pulseName } = data as Record<string, unknown>;
  const itemId = typeof pulseId === 'number' && Number.isSafeInteger(pulseId) ? String(pulseId) : typeof pulseId === 'string' && /^\d+$/.test(pulseId) ? pulseId : null;
  if (itemId === null) return 'unreadable';
  return { itemId, name: typeof pulseName === 'string' ? pulseName : '', createdAt: activityLogTime(entry.created_at) };
}

/** An activity log `created_at`: a 17-digit count of 10^-7 s since the epoch (an ISO string is read too). */
export function activityLogTime(raw: unknown): Date | null {
  if (typeof raw !== 'string') return null;
  if (/^\d{14,}$/.test(raw)) return new Date(Number(raw.slice(0, -4)));
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? null : new Date(ms);
}
