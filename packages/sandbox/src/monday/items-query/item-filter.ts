import type { ColumnContext } from '../column-types/column-type';
import { rulesFor } from '../column-types/registry';
import { invalidArgument, invalidColumnId } from '../errors';
import type { BoardRecord, ColumnRecord, ItemRecord } from '../state/model';
import { parseDateValues } from './date-compare';

export interface ItemsQueryRule {
  column_id: string;
  compare_value: unknown;
  compare_attribute?: string | null;
  operator?: string | null;
}

export interface ItemsQueryGroup {
  rules?: ItemsQueryRule[] | null;
  groups?: ItemsQueryGroup[] | null;
  operator?: 'and' | 'or' | null;
}

export interface ItemsQueryOrderBy {
  column_id: string;
  direction?: 'asc' | 'desc' | null;
}

export interface ItemsQuery extends ItemsQueryGroup {
  ids?: string[] | null;
  order_by?: ItemsQueryOrderBy[] | null;
}

export interface FilterEnv {
  board: BoardRecord;
  now: number;
  context(column: ColumnRecord): ColumnContext;
}

const MAX_IDS = 100;
const DATE_LIKE = new Set(['date', 'timeline', '__last_updated__', '__creation_log__']);

/** What one rule looks at for one item: match keys, text, sortable value and emptiness. */
interface Subject {
  keys: Array<string | number>;
  text: string;
  sort: string | number | null;
  empty: boolean;
  dateLike: boolean;
  /** epoch ms for date-like subjects */
  time: number | null;
}

function subject(item: ItemRecord, rule: ItemsQueryRule, env: FilterEnv): Subject {
  const id = rule.column_id;
  if (id === 'name') return { keys: [item.name], text: item.name, sort: item.name, empty: false, dateLike: false, time: null };
  if (id === 'group') return { keys: [item.groupId], text: item.groupId, sort: item.groupId, empty: false, dateLike: false, time: null };
  if (id === '__last_updated__' || id === '__creation_log__') {
    const time = id === '__last_updated__' ? item.updatedAt : item.createdAt;
    return { keys: [], text: '', sort: time, empty: false, dateLike: true, time };
  }
  const column = env.board.columns.find((c) => c.id === id);
  if (!column) throw invalidColumnId(id);
  const rules = rulesFor(column.type);
  const ctx = env.context(column);
  const data = item.values[id]?.data;
  const sort = rules.sortKey(data, ctx);
  let time: number | null = null;
  if (column.type === 'date' && typeof sort === 'string') time = Date.parse(sort);
  if (column.type === 'timeline' && data) {
    const range = data as { from: string; to: string };
    time = Date.parse(`${rule.compare_attribute === 'END_DATE' ? range.to : range.from}T00:00:00Z`);
  }
  return {
    keys: rules.matchKeys(data, ctx),
    text: rules.text(data, ctx) ?? '',
    sort,
    empty: data === undefined,
    dateLike: DATE_LIKE.has(column.type),
    time,
  };
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
}

function compareOrdered(s: Subject, op: string, values: unknown[], now: number): boolean {
  if (s.dateLike) {
    if (s.time === null) return false;
    const ranges = parseDateValues(values, now);
    if (ranges.length === 0) throw invalidArgument('compare_value needs a date');
    const [first, second] = ranges;
    switch (op) {
      case 'greater_than':
        return s.time >= first.end;
      case 'greater_than_or_equals':
        return s.time >= first.start;
      case 'lower_than':
        return s.time < first.start;
      case 'lower_than_or_equal':
        return s.time < first.end;
      default:
        if (!second) throw invalidArgument('between needs two values');
        return s.time >= first.start && s.time < second.end;
    }
  }
  if (s.sort === null) return false;
  const n = typeof s.sort === 'number' ? s.sort : Number(s.sort);
  const [a, b] = values.map(Number);
  switch (op) {
    case 'greater_than':
      return n > a;
    case 'greater_than_or_equals':
      return n >= a;
    case 'lower_than':
      return n < a;
    case 'lower_than_or_equal':
      return n <= a;
    default:
      return n >= a && n <= b;
  }
}

function matchesRule(item: ItemRecord, rule: ItemsQueryRule, env: FilterEnv): boolean {
  const s = subject(item, rule, env);
  const op = rule.operator ?? 'any_of';
  const values = asList(rule.compare_value);
  const text = s.text.toLowerCase();
  const needle = String(values[0] ?? '').toLowerCase();
  switch (op) {
    case 'any_of':
    case 'not_any_of': {
      const hit = s.dateLike
        ? parseDateValues(values, env.now).some((r) => s.time !== null && s.time >= r.start && s.time < r.end)
        : values.some((v) => s.keys.some((k) => String(k) === String(v)) || (s.empty && v === ''));
      return op === 'any_of' ? hit : !hit;
    }
    case 'is_empty':
      return s.empty;
    case 'is_not_empty':
      return !s.empty;
    case 'contains_text':
    case 'contains_terms':
      return text.includes(needle);
    case 'not_contains_text':
      return !text.includes(needle);
    case 'starts_with':
      return text.startsWith(needle);
    case 'ends_with':
      return text.endsWith(needle);
    case 'greater_than':
    case 'greater_than_or_equals':
    case 'lower_than':
    case 'lower_than_or_equal':
    case 'between':
      return compareOrdered(s, op, values, env.now);
    default:
      throw invalidArgument(`The operator ${op} is not supported by the emulator`, { operator: op });
  }
}

function matchesGroup(item: ItemRecord, group: ItemsQueryGroup, env: FilterEnv): boolean {
  const results: boolean[] = [];
  for (const rule of group.rules ?? []) results.push(matchesRule(item, rule, env));
  for (const sub of group.groups ?? []) results.push(matchesGroup(item, sub, env));
  if (results.length === 0) return true;
  return group.operator === 'or' ? results.some(Boolean) : results.every(Boolean);
}

function compareKeys(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** Applies `query_params` (reference 3.2): ids (max 100), rules and nested groups, then order_by. */
export function applyItemsQuery(items: ItemRecord[], query: ItemsQuery | null | undefined, env: FilterEnv): ItemRecord[] {
  if (!query) return items;
  let out = items;
  if (query.ids) {
    if (query.ids.length > MAX_IDS) throw invalidArgument(`query_params.ids accepts at most ${MAX_IDS} ids`, { ids_count: query.ids.length });
    const wanted = new Set(query.ids.map(Number));
    out = out.filter((i) => wanted.has(i.id));
  }
  out = out.filter((item) => matchesGroup(item, query, env));
  const orderBy = query.order_by ?? [];
  if (orderBy.length > 0) {
    const keyed = out.map((item) => ({
      item,
      keys: orderBy.map((o) => subject(item, { column_id: o.column_id, compare_value: null }, env).sort),
    }));
    keyed.sort((x, y) => {
      for (let i = 0; i < orderBy.length; i++) {
        const c = compareKeys(x.keys[i], y.keys[i]);
        if (c !== 0) return orderBy[i].direction === 'desc' && x.keys[i] !== null && y.keys[i] !== null ? -c : c;
      }
      return x.item.id - y.item.id;
    });
    out = keyed.map((k) => k.item);
  }
  return out;
}
