import type { ColumnContext } from '../column-types/column-type';
import { rulesFor } from '../column-types/registry';
import type { ColumnRecord, ColumnTypeName, ItemRecord, StoredValue, UserRecord, BoardRecord } from './model';

/**
 * Column types whose cell text is a function of the stored value alone. The text of a status,
 * dropdown, people or board_relation cell also depends on the column's labels, the account's users
 * or other items, which change without the cell being written; those columns are not indexed and
 * items_page_by_column_values scans the board for them, as before.
 */
const DATA_ONLY_TEXT: ReadonlySet<ColumnTypeName> = new Set([
  'name',
  'text',
  'long_text',
  'numbers',
  'email',
  'phone',
  'link',
  'checkbox',
  'country',
  'date',
  'timeline',
]);

/** The strings items_page_by_column_values compares with (reference 3.4): the cell text and each ", " part. */
export function cellTexts(item: ItemRecord, column: ColumnRecord, ctx: ColumnContext): string[] {
  if (column.type === 'name') return [item.name];
  return storedTexts(item.values[column.id], column, ctx);
}

function storedTexts(stored: StoredValue | undefined, column: ColumnRecord, ctx: ColumnContext): string[] {
  if (stored === undefined) return [''];
  const text = rulesFor(column.type).text(stored.data, ctx) ?? '';
  return [text, ...text.split(', ')];
}

interface AccountMaps {
  users: ReadonlyMap<number, UserRecord>;
  items: ReadonlyMap<number, ItemRecord>;
  boards: ReadonlyMap<number, BoardRecord>;
}

/** text -> ids of the items (any state) whose cell shows that text, for one column of one board. */
type TextMap = Map<string, Set<number>>;

/**
 * Item ids per board, per column, per cell text, so items_page_by_column_values answers from the
 * texts asked for instead of reading every item of the board (3.6 s per lookup of 1,000 values on a
 * board of 40,000 items before, in bench/backfill). Built for a column the first time it is looked
 * up, then kept current by MondayStore on every write that changes a cell or a name; item state is
 * not indexed (the caller filters active items), so archive, delete and restore need nothing here.
 */
export class ColumnTextIndex {
  private readonly columns = new Map<number, Map<string, TextMap>>();

  constructor(private readonly maps: AccountMaps) {}

  static indexes(column: ColumnRecord): boolean {
    return DATA_ONLY_TEXT.has(column.type);
  }

  /** Ids of the board's items (any state, no order) whose cell in `column` shows one of `texts`. */
  lookup(boardId: number, column: ColumnRecord, texts: readonly string[], boardItems: () => Iterable<ItemRecord>): Set<number> {
    let byColumn = this.columns.get(boardId);
    if (!byColumn) {
      byColumn = new Map();
      this.columns.set(boardId, byColumn);
    }
    let map = byColumn.get(column.id);
    if (!map) {
      map = new Map();
      for (const item of boardItems()) this.add(map, cellTexts(item, column, this.context(column)), item.id);
      byColumn.set(column.id, map);
    }
    const out = new Set<number>();
    for (const text of texts) for (const id of map.get(text) ?? []) out.add(id);
    return out;
  }

  /** A cell is about to change from `previous` to `current` (undefined: empty). */
  valueChanged(item: ItemRecord, column: ColumnRecord, previous: StoredValue | undefined, current: StoredValue | undefined): void {
    const map = this.columns.get(item.boardId)?.get(column.id);
    if (!map) return;
    const ctx = this.context(column);
    this.remove(map, storedTexts(previous, column, ctx), item.id);
    this.add(map, storedTexts(current, column, ctx), item.id);
  }

  renamed(item: ItemRecord, previousName: string): void {
    const map = this.columns.get(item.boardId)?.get('name');
    if (!map) return;
    this.remove(map, [previousName], item.id);
    this.add(map, [item.name], item.id);
  }

  /** A new item: every indexed column of its board gets its texts. */
  added(item: ItemRecord, board: BoardRecord | undefined): void {
    const byColumn = this.columns.get(item.boardId);
    if (!byColumn || !board) return;
    for (const [columnId, map] of byColumn) {
      const column = board.columns.find((c) => c.id === columnId);
      if (column) this.add(map, cellTexts(item, column, this.context(column)), item.id);
    }
  }

  clear(): void {
    this.columns.clear();
  }

  private add(map: TextMap, texts: readonly string[], id: number): void {
    for (const text of texts) {
      let ids = map.get(text);
      if (!ids) {
        ids = new Set();
        map.set(text, ids);
      }
      ids.add(id);
    }
  }

  private remove(map: TextMap, texts: readonly string[], id: number): void {
    for (const text of texts) {
      const ids = map.get(text);
      if (!ids) continue;
      ids.delete(id);
      if (ids.size === 0) map.delete(text);
    }
  }

  private context(column: ColumnRecord): ColumnContext {
    return { column, users: this.maps.users, items: this.maps.items, boards: this.maps.boards, createLabelsIfMissing: false, apiVersion: 'dev' };
  }
}
