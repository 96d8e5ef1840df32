import { mondayItemSnapshotEvent } from '../monday/item-snapshot-event';
import type { Pool } from 'pg';
import { appendEvents, newestOccurredAt, type NewEvent } from '../event-store';
import type { Mapping } from '../mapping/mapping.types';
import type { MondayItem, MondayPort } from '../monday/monday.port';
import { itemsOfBusyRecords } from './records-in-flight';

export interface MondayCatchUpOptions {
  /** Re-read this much before the cursor: changes that committed on monday's side out of order. Default 5 min. */
  overlapMs?: number;
  /**
   * A board never read before starts at its last webhook event; with none, this far back from now
   * (default 0: the catch-up covers outages after the service started watching the board, and
   * history is the backfill's job).
   */
  initialLookbackMs?: number;
  /** items_page size (default 500, monday's maximum). */
  pageSize?: number;
  now?: () => number;
  signal?: AbortSignal;
}

export interface BoardCatchUp {
  boardId: string;
  /** Items updated since this instant were read. */
  since: string;
  read: number;
  /** Item versions the log did not hold yet. */
  appended: number;
  positions: number[];
  /** Items left for the next round: their record had a command in flight (records-in-flight.ts). */
  held: string[];
}

const APPEND_CHUNK = 500;
const DAY_MS = 86_400_000;

/**
 * monday retries a webhook for 30 minutes only (monday.md 7.6): after a longer outage the change
 * is lost unless we look. For every mapped board, reads the items updated since the last change it
 * saw (`__last_updated__` rule; monday compares whole days, so the exact instant is filtered here)
 * and appends each as a `monday.item_snapshot` keyed by board, item and updated_at: a version the
 * log already holds adds nothing, and the sync projector compares the rest with its state, so a
 * change a webhook already brought is a no-op and a lost one is synced now.
 */
export async function runMondayCatchUp(pool: Pool, monday: MondayPort, mapping: Mapping, options: MondayCatchUpOptions = {}): Promise<BoardCatchUp[]> {
  const overlapMs = options.overlapMs ?? 5 * 60_000;
  const boards = new Map<string, BoardObjects>();
  for (const object of mapping.objects) {
    const board = boards.get(object.monday.board) ?? { columns: new Set<string>(), objectKeys: [], idColumns: [] };
    for (const field of object.fields) board.columns.add(field.monday);
    board.columns.add(object.monday.salesforceIdColumn);
    board.objectKeys.push(object.key);
    board.idColumns.push(object.monday.salesforceIdColumn);
    boards.set(object.monday.board, board);
  }
  const results: BoardCatchUp[] = [];
  for (const [boardId, board] of boards) {
    if (options.signal?.aborted) break;
    const cursor = await startingPoint(pool, boardId, options);
    results.push(await catchUpBoard(pool, monday, boardId, board, cursor, cursor - overlapMs, options));
  }
  return results;
}

interface BoardObjects {
  columns: Set<string>;
  objectKeys: string[];
  idColumns: string[];
}

async function catchUpBoard(pool: Pool, monday: MondayPort, boardId: string, board: BoardObjects, cursor: number, since: number, options: MondayCatchUpOptions): Promise<BoardCatchUp> {
  const columnIds = [...board.columns];
  const day = new Date(Math.floor(since / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  const items = monday.streamBoardItems(boardId, {
    pageSize: options.pageSize,
    columnIds,
    queryParams: { rules: [{ column_id: '__last_updated__', compare_value: ['EXACT', day], operator: 'greater_than_or_equals', compare_attribute: 'UPDATED_AT' }] },
  });
  const result: BoardCatchUp = { boardId, since: new Date(since).toISOString(), read: 0, appended: 0, positions: [], held: [] };
  let latest: number | null = null;
  /** The oldest update of an item held back: the cursor stays before it, so the next round reads it again. */
  let heldFrom: number | null = null;
  let chunk: MondayItem[] = [];
  const flush = async () => {
    const held = await itemsOfBusyRecords(
      pool,
      board.objectKeys,
      chunk.map((item) => ({ itemId: item.id, salesforceIdText: item.columnValues.find((c) => board.idColumns.includes(c.id))?.text ?? null })),
    );
    const ready: NewEvent[] = [];
    for (const item of chunk) {
      if (!held.has(item.id)) {
        ready.push(snapshotEvent(boardId, item));
        continue;
      }
      result.held.push(item.id);
      const updatedAt = Date.parse(item.updatedAt as string);
      heldFrom = Math.min(heldFrom ?? updatedAt, updatedAt);
    }
    const appended = await appendEvents(pool, ready);
    for (const outcome of appended) if (outcome.appended) result.positions.push(outcome.position);
    result.appended = result.positions.length;
    chunk = [];
  };
  for await (const item of items) {
    const updatedAt = item.updatedAt ? Date.parse(item.updatedAt) : Number.NaN;
    if (Number.isNaN(updatedAt) || updatedAt < since) continue;
    result.read++;
    latest = Math.max(latest ?? updatedAt, updatedAt);
    chunk.push(item);
    if (chunk.length >= APPEND_CHUNK) await flush();
    if (options.signal?.aborted) break;
  }
  if (chunk.length > 0) await flush();
  // The cursor moves only after the board was read to the end: an interrupted read is read again.
  // With nothing newer, the starting point is stored, so the next run starts there too. An item held
  // back keeps the cursor at its update (the next run reads from there minus the overlap).
  if (heldFrom !== null) latest = Math.min(latest ?? heldFrom, heldFrom - 1);
  if (!options.signal?.aborted) {
    await pool.query(
      `INSERT INTO monday_catch_up_cursors (board_id, last_updated_at) VALUES ($1, $2)
       ON CONFLICT (board_id) DO UPDATE SET last_updated_at = GREATEST(monday_catch_up_cursors.last_updated_at, EXCLUDED.last_updated_at), updated_at = now()`,
      [boardId, new Date(Math.max(latest ?? cursor, cursor)).toISOString()],
    );
  }
  return result;
}

/** The board's cursor; for a board never read, its last webhook event (or a lookback from now). */
async function startingPoint(pool: Pool, boardId: string, options: MondayCatchUpOptions): Promise<number> {
  const { rows } = await pool.query<{ at: Date | null }>('SELECT last_updated_at AS at FROM monday_catch_up_cursors WHERE board_id = $1', [boardId]);
  if (rows[0]?.at) return rows[0].at.getTime();
  const seen = await newestOccurredAt(pool, 'monday', 'boardId', boardId);
  if (seen) return seen.getTime();
  return (options.now ?? Date.now)() - (options.initialLookbackMs ?? 0);
}

function snapshotEvent(boardId: string, item: MondayItem): NewEvent {
  return mondayItemSnapshotEvent(item, {
    reason: 'catch_up',
    sourceEventId: `catch_up:${boardId}:${item.id}:${item.updatedAt ?? ''}`,
    occurredAt: item.updatedAt ? new Date(item.updatedAt) : new Date(),
    boardId,
  });
}
