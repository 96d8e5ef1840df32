import { BOARD_ACTIVITY_LOGS_QUERY } from './documents';
import { MondayError } from './monday.error';
import type { MondayCreatedItem, MondayCreatedItems, MondayRemovedItem, MondayRemovedItems } from './monday.port';
import type { MondayAnswer, MondayRequest } from './monday-requester';
import { list } from './parse-monday-responses';

/** Entries asked for per page: a public client documents 100 as the maximum (monday documents none). */
export const ACTIVITY_LOG_PAGE_SIZE = 100;
/** monday serves "up to 10,000 logs" of one query. */
export const MAX_ACTIVITY_LOG_ENTRIES = 10_000;

/**
 * Reads the `create_pulse` entries of one user on a board in a window (MondayPort.itemsCreatedBy).
 * The field has no event filter, so every entry of the user is paged through.
 */
export async function readItemsCreatedBy(
  execute: (request: MondayRequest) => Promise<MondayAnswer>,
  boardId: string,
  userId: string,
  window: { from: Date; to: Date },
  maxEntries = MAX_ACTIVITY_LOG_ENTRIES,
): Promise<MondayCreatedItems> {
  const items = new Map<string, MondayCreatedItem>();
  const read = await readActivityLog(execute, boardId, window, [userId], maxEntries, (entry) => {
    const created = createdItemOf(entry);
    if (created === 'unreadable') return false;
    if (created && !items.has(created.itemId)) items.set(created.itemId, created);
    return true;
  });
  return { items: [...items.values()], ...read };
}

/**
 * Reads the `delete_pulse` and `archive_pulse` entries of every user on a board in a window
 * (MondayPort.itemsRemoved): deletions never show in items_page (monday.md, incremental reads).
 */
export async function readItemsRemoved(
  execute: (request: MondayRequest) => Promise<MondayAnswer>,
  boardId: string,
  window: { from: Date; to?: Date },
  maxEntries = MAX_ACTIVITY_LOG_ENTRIES,
): Promise<MondayRemovedItems> {
  const items = new Map<string, MondayRemovedItem>();
  const read = await readActivityLog(execute, boardId, window, undefined, maxEntries, (entry) => {
    const removed = removedItemOf(entry);
    if (removed === 'unreadable') return false;
    // Newest first: the first entry of an item is its latest removal.
    if (removed && !items.has(removed.itemId)) items.set(removed.itemId, removed);
    return true;
  });
  return { items: [...items.values()], ...read };
}

/**
 * Pages through a board's activity log (`limit`/`page`, newest first) until a page comes back
 * short or `maxEntries` were read, handing each entry to `take` (false: an entry it could not read).
 */
async function readActivityLog(
  execute: (request: MondayRequest) => Promise<MondayAnswer>,
  boardId: string,
  window: { from: Date; to?: Date },
  userIds: readonly string[] | undefined,
  maxEntries: number,
  take: (entry: unknown) => boolean,
): Promise<{ complete: boolean; requests: number }> {
  const bound = Math.max(1, Math.min(maxEntries, MAX_ACTIVITY_LOG_ENTRIES));
  const limit = Math.min(ACTIVITY_LOG_PAGE_SIZE, bound);
  let complete = true;
  let read = 0;
  let requests = 0;
  for (let page = 1; ; page++) {
    const variables = { boardId, from: window.from.toISOString(), ...(window.to ? { to: window.to.toISOString() } : {}), ...(userIds ? { userIds: [...userIds] } : {}), limit, page };
    requests += 1;
    const answer = await execute({ operation: 'activity_logs', document: BOARD_ACTIVITY_LOGS_QUERY, variables, boardId });
    const error = answer.fieldErrors.get('boards');
    if (error) throw error.withContext({ boardId });
    const board = list(answer.data.boards)[0] as { activity_logs?: unknown } | undefined;
    if (!board) throw new MondayError('NOT_FOUND', `board ${boardId} was not found (reading its activity log)`);
    const entries = list(board.activity_logs);
    read += entries.length;
    for (const entry of entries) if (!take(entry)) complete = false;
    if (entries.length < limit) break;
    if (read >= bound) {
      complete = false;
      break;
    }
  }
  return { complete, requests };
}

/**
 * The item a log entry says was created (`create_pulse`, its `data` JSON naming `pulse_id` and
 * `pulse_name`); null for other entries; 'unreadable' for a `create_pulse` whose item cannot be read.
 */
export function createdItemOf(raw: unknown): MondayCreatedItem | null | 'unreadable' {
  const pulse = pulseOf(raw, ['create_pulse']);
  if (pulse === null || pulse === 'unreadable') return pulse;
  return { itemId: pulse.itemId, name: pulse.name, createdAt: pulse.at };
}

/** The item a `delete_pulse` or `archive_pulse` entry names; null for other entries. */
export function removedItemOf(raw: unknown): MondayRemovedItem | null | 'unreadable' {
  const pulse = pulseOf(raw, ['delete_pulse', 'archive_pulse']);
  if (pulse === null || pulse === 'unreadable') return pulse;
  return { itemId: pulse.itemId, name: pulse.name, removal: pulse.event === 'delete_pulse' ? 'deleted' : 'archived', userId: pulse.userId, at: pulse.at };
}

interface PulseEntry {
  event: string;
  itemId: string;
  name: string;
  userId: string | null;
  at: Date | null;
}

/** An entry of one of `events`, its `data` JSON naming `pulse_id` and `pulse_name`. */
function pulseOf(raw: unknown, events: readonly string[]): PulseEntry | null | 'unreadable' {
  if (typeof raw !== 'object' || raw === null) return null;
  const entry = raw as Record<string, unknown>;
  if (typeof entry.event !== 'string' || !events.includes(entry.event)) return null;
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
  const userId = typeof entry.user_id === 'string' || typeof entry.user_id === 'number' ? String(entry.user_id) : null;
  return { event: entry.event, itemId, name: typeof pulseName === 'string' ? pulseName : '', userId, at: activityLogTime(entry.created_at) };
}

/** An activity log `created_at`: a 17-digit count of 10^-7 s since the epoch (an ISO string is read too). */
export function activityLogTime(raw: unknown): Date | null {
  if (typeof raw !== 'string') return null;
  if (/^\d{14,}$/.test(raw)) return new Date(Number(raw.slice(0, -4)));
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? null : new Date(ms);
}
