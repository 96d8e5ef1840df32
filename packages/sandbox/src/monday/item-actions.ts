import type { BoardEvent, BoardEventListener } from './board-events';
import type { ColumnContext } from './column-types/column-type';
import { rulesFor } from './column-types/registry';
import {
  columnValueError,
  invalidArgument,
  invalidBoardId,
  invalidColumnId,
  itemNotFound,
  MondayApiError,
} from './errors';
import type { Clock } from '../clock';
import type { BoardRecord, ColumnRecord, ItemRecord, ItemState, StoredValue, UpdateRecord } from './state/model';
import type { MondayStore } from './state/store';

export type WriteSyntax = 'json' | 'simple';

export interface WriteOptions {
  createLabelsIfMissing?: boolean;
  apiVersion?: string;
}

interface PlannedChange {
  column: ColumnRecord;
  data: unknown;
}

const MAX_NAME = 255;

/** Parses a `JSON` argument: a JSON-encoded string (documented) or an already-parsed value (accepted, reference 4). */
export function parseJsonArgument(raw: unknown, what: string): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw columnValueError('json', `${what} is not valid JSON`, { column_value: raw });
  }
}

/**
 * Item writes with monday's rules (reference 4 and 5): validation of every value before anything is
 * written, label creation, name limits, states. Each change emits a BoardEvent with the acting user.
 */
export class ItemActions {
  constructor(
    private readonly store: MondayStore,
    private readonly clock: Clock,
    private readonly emit: BoardEventListener,
  ) {}

  board(boardId: string | number): BoardRecord {
    const board = this.store.boards.get(Number(boardId));
    if (!board || board.state === 'deleted') throw invalidBoardId(boardId);
    return board;
  }

  /** An item that exists and is not deleted; with `boardId`, it must be on that board. */
  item(itemId: string | number | null | undefined, boardId?: string | number): ItemRecord {
    if (itemId === null || itemId === undefined) throw invalidArgument('item_id is required');
    const item = this.store.items.get(Number(itemId));
    if (!item || item.state === 'deleted' || (boardId !== undefined && item.boardId !== Number(boardId))) throw itemNotFound(itemId);
    return item;
  }

  columnContext(column: ColumnRecord, options: WriteOptions): ColumnContext {
    return {
      column,
      users: this.store.users,
      items: this.store.items,
      boards: this.store.boards,
      createLabelsIfMissing: options.createLabelsIfMissing === true,
      apiVersion: options.apiVersion ?? 'dev',
    };
  }

  createItem(
    input: { boardId: string | number; name: string; groupId?: string | null; columnValues?: unknown },
    actorId: number,
    options: WriteOptions = {},
  ): ItemRecord {
    const board = this.board(input.boardId);
    checkName(input.name);
    const group = input.groupId ? board.groups.find((g) => g.id === input.groupId && !g.deleted) : topGroup(board);
    if (!group) throw invalidArgument(input.groupId ? 'Group not found' : 'The board has no group', { group_id: input.groupId ?? null });
    const values = input.columnValues === undefined || input.columnValues === null ? {} : parseJsonArgument(input.columnValues, 'column_values');
    const { name, changes } = this.plan(board, values, 'json', options);
    const now = this.clock.now();
    const item: ItemRecord = {
      id: this.store.nextId('item'),
      boardId: board.id,
      groupId: group.id,
      name: name ?? input.name,
      state: 'active',
      creatorId: actorId,
      createdAt: now,
      updatedAt: now,
      values: {},
    };
    for (const change of changes) if (change.data !== null) item.values[change.column.id] = { data: change.data, changedAt: now };
    this.store.addItem(item);
    this.emit({ type: 'item_created', board, item, actorId });
    return item;
  }

  /** change_multiple_column_values / change_column_value / change_simple_column_value share this path. */
  changeValues(
    input: { boardId: string | number; itemId: string | number | null | undefined; values: Record<string, unknown>; syntax: WriteSyntax },
    actorId: number,
    options: WriteOptions = {},
  ): ItemRecord {
    const board = this.board(input.boardId);
    const item = this.item(input.itemId, board.id);
    const { name, changes } = this.plan(board, input.values, input.syntax, options);
    const now = this.clock.now();
    if (name !== undefined) this.applyRename(board, item, name, actorId, now);
    const events: BoardEvent[] = [];
    for (const change of changes) {
      const current: StoredValue | undefined = change.data === null ? undefined : { data: change.data, changedAt: now };
      const previous = this.store.setValue(item, change.column, current);
      events.push({ type: 'column_value_changed', board, item, column: change.column, previous, current, actorId });
    }
    if (changes.length > 0 || name !== undefined) item.updatedAt = now;
    for (const event of events) this.emit(event);
    return item;
  }

  rename(itemId: string | number, name: string, actorId: number): ItemRecord {
    const item = this.item(itemId);
    checkName(name);
    this.applyRename(this.board(item.boardId), item, name, actorId, this.clock.now());
    return item;
  }

  setState(itemId: string | number, state: ItemState, actorId: number): ItemRecord {
    const item = this.store.items.get(Number(itemId));
    if (!item || (state !== 'active' && item.state === 'deleted')) throw itemNotFound(itemId);
    const board = this.board(item.boardId);
    const previousState = item.state;
    if (previousState === state) return item;
    item.state = state;
    item.updatedAt = this.clock.now();
    if (state === 'deleted') this.emit({ type: 'item_deleted', board, item, actorId });
    else if (state === 'archived') this.emit({ type: 'item_archived', board, item, actorId });
    else this.emit({ type: 'item_restored', board, item, previousState, actorId });
    return item;
  }

  moveToGroup(itemId: string | number, groupId: string, actorId: number): ItemRecord {
    const item = this.item(itemId);
    const board = this.board(item.boardId);
    if (!board.groups.some((g) => g.id === groupId && !g.deleted)) throw invalidArgument('Group not found', { group_id: groupId });
    const sourceGroupId = item.groupId;
    if (sourceGroupId === groupId) return item;
    item.groupId = groupId;
    item.updatedAt = this.clock.now();
    this.emit({ type: 'item_moved', board, item, sourceGroupId, actorId });
    return item;
  }

  createUpdate(itemId: string | number | null | undefined, body: string, actorId: number): UpdateRecord {
    const item = this.item(itemId);
    const update: UpdateRecord = {
      id: this.store.nextId('update'),
      itemId: item.id,
      body,
      textBody: body.replace(/<[^>]*>/g, '').trim(),
      creatorId: actorId,
      createdAt: this.clock.now(),
    };
    this.store.addUpdate(update);
    this.emit({ type: 'update_created', board: this.board(item.boardId), item, update, actorId });
    return update;
  }

  /** Validates every value first so a bad column leaves the item untouched. */
  private plan(board: BoardRecord, raw: unknown, syntax: WriteSyntax, options: WriteOptions): { name?: string; changes: PlannedChange[] } {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw columnValueError('json', 'column_values must be a JSON object', { column_value: raw });
    }
    let name: string | undefined;
    const changes: PlannedChange[] = [];
    for (const [columnId, value] of Object.entries(raw as Record<string, unknown>)) {
      const column = this.store.column(board, columnId);
      if (!column || column.archived) throw invalidColumnId(columnId);
      if (column.type === 'name') {
        if (typeof value !== 'string') throw columnValueError('name', 'the item name must be a string', { column_value: value });
        checkName(value);
        name = value;
        continue;
      }
      const rules = rulesFor(column.type);
      const ctx = this.columnContext(column, options);
      let data: unknown;
      if (syntax === 'simple') {
        data = value === null || value === undefined ? null : rules.writeSimple(String(value), ctx);
      } else {
        data = rules.writeJson(value, ctx);
      }
      changes.push({ column, data });
    }
    return { name, changes };
  }

  private applyRename(board: BoardRecord, item: ItemRecord, name: string, actorId: number, now: number): void {
    const previousName = this.store.setName(item, name);
    item.updatedAt = now;
    this.emit({ type: 'item_renamed', board, item, previousName, actorId });
  }
}

function checkName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME) {
    throw new MondayApiError('ItemNameTooLongException', `Item name must be between 1 and ${MAX_NAME} characters long`, {
      item_name_length: typeof name === 'string' ? name.length : 0,
    });
  }
}

export function topGroup(board: BoardRecord): BoardRecord['groups'][number] | undefined {
  return board.groups.filter((g) => !g.deleted && !g.archived).sort((a, b) => a.position - b.position)[0];
}
