import { mondayItemRemovedEvent } from '../monday/item-removed-event';
import { mondayItemSnapshotEvent } from '../monday/item-snapshot-event';
import type { Pool } from 'pg';
import { appendEvents, newestEvent, newestOccurredAt, type NewEvent } from '../event-store';
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
  /** Deletions and archives the board's activity log showed since `since` that the log did not hold yet. */
  removed: number;
  /** False when the activity log could not be read whole (more entries than monday serves, or one unreadable): a removal may be missing. */
  removalsComplete: boolean;
}

const APPEND_CHUNK = 500;
const DAY_MS = 86_400_000;

/**
 * monday retries a webhook for 30 minutes only (monday.md 7.6): after a longer outage the change
 * is lost unless we look. For every mapped board, reads the items updated since the last change it
 * saw (`__last_updated__` rule; monday compares whole days, so the exact instant is filtered here)
 * and appends each as a `monday.item_snapshot` keyed by board, item and updated_at: a version the
 * log already holds adds nothing, and the sync projector compares the rest with its state, so a
 * change a webhook already brought is a no-op and a lost one is synced now. Deletions and archives
 * never show in items_page: they come from the board's activity log (catchUpRemovals).
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
  const ownUser = lazyOwnUserId(monday);
  for (const [boardId, board] of boards) {
    if (options.signal?.aborted) break;
    const cursor = await startingPoint(pool, boardId, options);
    results.push(await catchUpBoard(pool, monday, boardId, board, cursor, cursor - overlapMs, ownUser, options));
  }
  return results;
}

interface BoardObjects {
  columns: Set<string>;
  objectKeys: string[];
  idColumns: string[];
}

async function catchUpBoard(
  pool: Pool,
  monday: MondayPort,
  boardId: string,
  board: BoardObjects,
  cursor: number,
  since: number,
  ownUser: () => Promise<string>,
  options: MondayCatchUpOptions,
): Promise<BoardCatchUp> {
  const columnIds = [...board.columns];
  const readAfter = (await newestEvent(pool))?.position ?? 0;
  const day = new Date(Math.floor(since / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  const items = monday.streamBoardItems(boardId, {
    pageSize: options.pageSize,
    columnIds,
    queryParams: { rules: [{ column_id: '__last_updated__', compare_value: ['EXACT', day], operator: 'greater_than_or_equals', compare_attribute: 'UPDATED_AT' }] },
  });
  const result: BoardCatchUp = { boardId, since: new Date(since).toISOString(), read: 0, appended: 0, positions: [], held: [], removed: 0, removalsComplete: true };
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
        ready.push(snapshotEvent(boardId, item, readAfter));
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
  // The cursor moves only after the board and its removals were read to the end: an interrupted read is read again.
  // With nothing newer, the starting point is stored, so the next run starts there too. An item held
  // back keeps the cursor at its update (the next run reads from there minus the overlap).
  if (heldFrom !== null) latest = Math.min(latest ?? heldFrom, heldFrom - 1);
  if (!options.signal?.aborted) {
    const removals = await catchUpRemovals(pool, monday, boardId, board.idColumns, since, ownUser, options);
    result.removed = removals.positions.length;
    result.removalsComplete = removals.complete;
    result.positions.push(...removals.positions);
    await pool.query(
      `INSERT INTO monday_catch_up_cursors (board_id, last_updated_at) VALUES ($1, $2)
       ON CONFLICT (board_id) DO UPDATE SET last_updated_at = GREATEST(monday_catch_up_cursors.last_updated_at, EXCLUDED.last_updated_at), updated_at = now()`,
      [boardId, new Date(Math.max(latest ?? cursor, cursor)).toISOString()],
    );
  }
  return result;
}

/**
 * The items deleted or archived on the board since `since`, from its activity log, appended as the
 * `monday.item_deleted` / `monday.item_archived` events their lost webhooks would have made, keyed
 * by board, item and removal time (a rerun adds nothing). Each is read by id first: one a person
 * restored meanwhile is active and skipped (its later edits come as snapshots).
 */
async function catchUpRemovals(
  pool: Pool,
  monday: MondayPort,
  boardId: string,
  idColumns: readonly string[],
  since: number,
  ownUser: () => Promise<string>,
  options: MondayCatchUpOptions,
): Promise<{ positions: number[]; complete: boolean }> {
  // No upper bound: monday's clock, not ours, stamps its log.
  const log = await monday.itemsRemoved(boardId, { from: new Date(since) });
  if (log.items.length === 0) return { positions: [], complete: log.complete };
  const current = new Map((await monday.itemsByIds(log.items.map((r) => r.itemId), { columnIds: idColumns })).map((item) => [item.id, item.state]));
  const ownUserId = await ownUser();
  const events: NewEvent[] = [];
  for (const removed of log.items) {
    const state = current.get(removed.itemId);
    if (state === 'active') continue;
    // What monday holds now decides the kind: an archived item deleted later is deleted.
    const removal = state === 'deleted' || state === undefined ? 'deleted' : state === 'archived' ? 'archived' : removed.removal;
    const at = removed.at?.toISOString() ?? '';
    events.push(mondayItemRemovedEvent({ ...removed, removal }, { boardId, ownUserId, now: new Date((options.now ?? Date.now)()), sourceEventId: `catch_up:${removal}:${boardId}:${removed.itemId}:${at}` }));
  }
  const positions: number[] = [];
  for (const outcome of await appendEvents(pool, events)) if (outcome.appended) positions.push(outcome.position);
  return { positions, complete: log.complete };
}

/** Our integration user's id (our own removals are echoes), read once per run and only when needed. */
function lazyOwnUserId(monday: MondayPort): () => Promise<string> {
  let id: Promise<string> | null = null;
  return () => (id ??= monday.me().then((user) => String(user.id)));
}

/** The board's cursor; for a board never read, its last webhook event (or a lookback from now). */
async function startingPoint(pool: Pool, boardId: string, options: MondayCatchUpOptions): Promise<number> {
  const { rows } = await pool.query<{ at: Date | null }>('SELECT last_updated_at AS at FROM monday_catch_up_cursors WHERE board_id = $1', [boardId]);
  if (rows[0]?.at) return rows[0].at.getTime();
  const seen = await newestOccurredAt(pool, 'monday', 'boardId', boardId);
  if (seen) return seen.getTime();
  return (options.now ?? Date.now)() - (options.initialLookbackMs ?? 0);
}

function snapshotEvent(boardId: string, item: MondayItem, readAfter: number): NewEvent {
  return mondayItemSnapshotEvent(item, {
    reason: 'catch_up',
    readAfter,
    sourceEventId: `catch_up:${boardId}:${item.id}:${item.updatedAt ?? ''}`,
    occurredAt: item.updatedAt ? new Date(item.updatedAt) : new Date(),
    boardId,
  });
}
