import type { ColumnRecord, UserRecord } from '../state/model';

/** A cell that could not be read for its column: the row is counted `invalid` with this message. */
export class CellError extends Error {
  constructor(
    readonly columnId: string,
    message: string,
  ) {
    super(`column ${columnId}: ${message}`);
    this.name = 'CellError';
  }
}

/** The 12 column types monday's bulk import supports (addendum 1.1); anything else makes the row invalid. */
export const BULK_COLUMN_TYPES: ReadonlySet<string> = new Set([
  'board_relation',
  'date',
  'dropdown',
  'email',
  'link',
  'long_text',
  'numbers',
  'people',
  'phone',
  'status',
  'text',
  'timeline',
]);

const TRUTHY = new Set(['true', 'yes', 'y', 'x', 'checked', '1', '✓', '✔']);
const FALSY = new Set(['false', 'no', 'n', '0', 'unchecked']);

/** `<NULL>` clears a cell on UPSERT (addendum 1.5a). */
export const NULL_CELL = '<NULL>';

/**
 * A CSV cell in the bulk-import syntax of monday's guide (addendum 1.5a) turned into the JSON value a
 * mutation would send, so the same column-type validators judge it. `null` clears the cell.
 */
export function cellToColumnValue(column: ColumnRecord, cell: string, users: ReadonlyMap<number, UserRecord>): unknown {
  if (cell === NULL_CELL) return null;
  if (!BULK_COLUMN_TYPES.has(column.type) && column.type !== 'checkbox') {
    throw new CellError(column.id, `column type ${column.type} is not supported by bulk import`);
  }
  switch (column.type) {
    case 'status':
      return { label: cell };
    case 'dropdown':
      return { labels: splitList(cell) };
    case 'date':
      return dateValue(column.id, cell);
    case 'timeline':
      return timelineValue(column.id, cell);
    case 'email':
      return emailValue(column.id, cell);
    case 'link':
      return linkValue(column.id, cell);
    case 'checkbox':
      return checkboxValue(column.id, cell);
    case 'people':
      return { personsAndTeams: splitList(cell).map((p) => ({ id: personId(column.id, p, users), kind: 'person' })) };
    case 'board_relation':
      return { item_ids: itemIds(column.id, cell) };
    default:
      return cell;
  }
}

function splitList(cell: string): string[] {
  return cell
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

function dateValue(columnId: string, cell: string): Record<string, string> {
  const match = /^(\d{4}-\d{2}-\d{2})(?: (\d{2}:\d{2}:\d{2}))?$/.exec(cell.trim());
  if (!match) throw new CellError(columnId, `date takes YYYY-MM-DD or "YYYY-MM-DD HH:MM:SS", got "${cell}"`);
  return match[2] ? { date: match[1], time: match[2] } : { date: match[1] };
}

function timelineValue(columnId: string, cell: string): Record<string, string> {
  const parts = cell.trim().split('/');
  const dates = parts.map((p) => p.trim());
  if (dates.length > 2 || dates.some((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d))) {
    throw new CellError(columnId, `timeline takes YYYY-MM-DD/YYYY-MM-DD or one date, got "${cell}"`);
  }
  return { from: dates[0], to: dates[dates.length - 1] };
}

function emailValue(columnId: string, cell: string): Record<string, string> {
  const named = /^(.*?)\s*<([^<>\s]+)>$/.exec(cell.trim());
  const email = named ? named[2] : cell.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new CellError(columnId, `email takes a@b.com or "Name <a@b.com>", got "${cell}"`);
  return { email, text: named && named[1] ? named[1] : email };
}

function linkValue(columnId: string, cell: string): Record<string, string> {
  const markdown = /^\[(.*)\]\((\S+)\)$/.exec(cell.trim());
  const url = markdown ? markdown[2] : cell.trim();
  if (!/^https?:\/\//.test(url)) throw new CellError(columnId, `link must start with http:// or https://, got "${cell}"`);
  return { url, text: markdown ? markdown[1] : url };
}

function checkboxValue(columnId: string, cell: string): Record<string, boolean> | null {
  const word = cell.trim().toLowerCase();
  if (TRUTHY.has(word)) return { checked: true };
  if (FALSY.has(word)) return null;
  throw new CellError(columnId, `checkbox takes true/yes/y/x/checked/1 or false/no/n/0/unchecked, got "${cell}"`);
}

function personId(columnId: string, entry: string, users: ReadonlyMap<number, UserRecord>): number {
  const all = [...users.values()];
  const byId = /^user:(\d+)$/.exec(entry);
  const matches = byId
    ? all.filter((u) => u.id === Number(byId[1]))
    : entry.includes('@')
      ? all.filter((u) => u.email.toLowerCase() === entry.toLowerCase())
      : all.filter((u) => u.name === entry.replace(/^user:/, ''));
  if (matches.length !== 1) throw new CellError(columnId, `people entry "${entry}" must match exactly one user (found ${matches.length})`);
  return matches[0].id;
}

function itemIds(columnId: string, cell: string): number[] {
  const ids = splitList(cell);
  if (ids.length > 50) throw new CellError(columnId, 'board relation takes at most 50 items per cell');
  if (ids.some((id) => !/^\d+$/.test(id))) throw new CellError(columnId, `board relation takes item ids, got "${cell}"`);
  return ids.map(Number);
}
