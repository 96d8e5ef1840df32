import type { Clock } from '../clock';
import type { BoardEvent } from './board-events';
import { invalidArgument } from './errors';
import { SeededRandom } from './random';
import type { ActivityLogRecord, BoardRecord, ItemRecord } from './state/model';
import type { MondayStore } from './state/store';

/** Arguments of board `activity_logs` (2026-10 SDL). */
export interface ActivityLogsArgs {
  from?: string | null;
  to?: string | null;
  user_ids?: readonly string[] | null;
  item_ids?: readonly string[] | null;
  column_ids?: ReadonlyArray<string | null> | null;
  group_ids?: ReadonlyArray<string | null> | null;
  limit?: number | null;
  page?: number | null;
}

/** monday documents "up to 10,000 logs" per query; a public client documents at most 100 per page (strict reading, README). */
export const MAX_ACTIVITY_LOGS = 10_000;
export const MAX_ACTIVITY_LOGS_PER_PAGE = 100;

/** Entries kept per board (the oldest go first): bounds the emulator's memory and saved state. */
export const KEPT_ACTIVITY_LOGS_PER_BOARD = 10_000;
/** How long entries are served: one week, the shortest retention of monday's plans (strict reading). */
export const ACTIVITY_LOG_RETENTION_MS = 7 * 24 * 60 * 60_000;

/** 17-digit time of monday's activity log: 10^-7 s units. */
const UNITS_PER_MS = 10_000;

/**
 * Each board's activity log (monday.md 9; addendum 1.9), written from board events by whoever acted:
 * `create_pulse`, `delete_pulse`, `archive_pulse`, `update_name`, `update_column_value`. Seeding and
 * backfill_items run silently and log nothing (backfill does not log item creation, addendum 1.9).
 */
export class ActivityLog {
  private readonly random: SeededRandom;
  private lastStamp = 0;

  constructor(
    private readonly store: MondayStore,
    private readonly clock: Clock,
    private readonly accountId: number,
    seed: number,
  ) {
    this.random = new SeededRandom(seed);
  }

  record(event: BoardEvent): void {
    const entry = entryOf(event);
    if (!entry) return;
    // Strictly increasing 17-digit stamps: entries of one millisecond keep their order.
    const stamp = Math.max(this.clock.now() * UNITS_PER_MS, this.lastStamp + 1);
    this.lastStamp = stamp;
    this.store.addActivityLog({
      id: this.uuid(),
      boardId: event.board.id,
      event: entry.event,
      entity: 'pulse',
      userId: event.actorId,
      accountId: this.accountId,
      createdAt: String(stamp),
      data: JSON.stringify(entry.data),
    }, KEPT_ACTIVITY_LOGS_PER_BOARD);
  }

  /** One page of a board's log, newest first, filtered as `args` say. */
  query(board: BoardRecord, args: ActivityLogsArgs): ActivityLogRecord[] {
    const oldest = this.clock.now() - ACTIVITY_LOG_RETENTION_MS;
    const from = Math.max(timeArgument(args.from, 'from') ?? oldest, oldest);
    const to = timeArgument(args.to, 'to');
    const users = args.user_ids ? new Set(args.user_ids.map(String)) : null;
    const items = args.item_ids ? new Set(args.item_ids.map(String)) : null;
    const columns = args.column_ids ? new Set(args.column_ids.filter((c): c is string => c !== null)) : null;
    const groups = args.group_ids ? new Set(args.group_ids.filter((g): g is string => g !== null)) : null;
    const limit = Math.min(Math.max(1, Number(args.limit ?? 25)), MAX_ACTIVITY_LOGS_PER_PAGE);
    const page = Math.max(1, Number(args.page ?? 1));
    const matching: ActivityLogRecord[] = [];
    const log = this.store.activityLogsOfBoard(board.id);
    for (let i = log.length - 1; i >= 0 && matching.length < MAX_ACTIVITY_LOGS; i--) {
      const entry = log[i] as ActivityLogRecord;
      const ms = Math.floor(Number(entry.createdAt) / UNITS_PER_MS);
      if (ms < from) break; // older still from here on
      if (to !== null && ms > to) continue;
      if (users && !users.has(String(entry.userId))) continue;
      if (items || columns || groups) {
        const data = JSON.parse(entry.data) as { pulse_id?: number; column_id?: string; group_id?: string };
        if (items && !items.has(String(data.pulse_id))) continue;
        if (columns && (data.column_id === undefined || !columns.has(data.column_id))) continue;
        if (groups && (data.group_id === undefined || !groups.has(data.group_id))) continue;
      }
      matching.push(entry);
    }
    return matching.slice((page - 1) * limit, page * limit);
  }

  private uuid(): string {
    const h = (n: number): string => this.random.hex(n);
    return `${h(8)}-${h(4)}-4${h(3)}-a${h(3)}-${h(12)}`;
  }
}

/** Epoch milliseconds of an ISO8601DateTime argument; null when absent. */
function timeArgument(value: string | null | undefined, name: string): number | null {
  if (value === null || value === undefined) return null;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms)) throw invalidArgument(`${name} is not an ISO8601 date-time`, { [name]: value });
  return ms;
}

function pulseData(board: BoardRecord, item: ItemRecord): Record<string, unknown> {
  const group = board.groups.find((g) => g.id === item.groupId);
  return { board_id: board.id, group_id: item.groupId, group_name: group?.title ?? null, group_color: group?.color ?? null, pulse_id: item.id, pulse_name: item.name };
}

function entryOf(event: BoardEvent): { event: string; data: Record<string, unknown> } | undefined {
  switch (event.type) {
    case 'item_created':
      return { event: 'create_pulse', data: pulseData(event.board, event.item) };
    case 'item_deleted':
      return { event: 'delete_pulse', data: pulseData(event.board, event.item) };
    case 'item_archived':
      return { event: 'archive_pulse', data: pulseData(event.board, event.item) };
    case 'item_renamed':
      return { event: 'update_name', data: { ...pulseData(event.board, event.item), previous_name: event.previousName } };
    case 'column_value_changed':
      return {
        event: 'update_column_value',
        data: { ...pulseData(event.board, event.item), column_id: event.column.id, column_type: event.column.type, column_title: event.column.title },
      };
    default:
      return undefined;
  }
}
