import { stringify } from 'csv-stringify/sync';
import type { MondayColumnSchema } from '../mapping/live-schema';
import type { MondayColumnWrites } from './monday.port';

/**
 * The column types monday's bulk import takes (addendum 1.1: the 12 listed; checkbox has a documented
 * cell syntax in 1.5a). A value of another type (country, rating, hour...) cannot ride in the CSV.
 */
const CSV_TYPES: ReadonlySet<string> = new Set([
  'board_relation',
  'checkbox',
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

/** One item to create through a bulk-import file: the same name and column values a create_item mutation sends. */
export interface CsvCreate {
  name: string;
  columnValues: MondayColumnWrites;
}

export interface ImportFile {
  /** RFC 4180, header row of column ids with `name` first (addendum 1.5). */
  csv: string;
  /**
   * Per row, the values the file cannot carry (a column type bulk import does not take, or a label the
   * column does not have yet): written afterwards with change_column_values, so the item ends up with
   * exactly what a create_item mutation would have given it.
   */
  leftOver: MondayColumnWrites[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The CSV cell (addendum 1.5a syntax) for a create_item write value, or `undefined` when the value
 * cannot be expressed as a cell. `''` leaves the cell empty (a create with no value).
 */
export function cellFor(column: MondayColumnSchema, write: unknown): string | undefined {
  if (write === null || write === undefined) return '';
  if (!CSV_TYPES.has(column.type)) return undefined;
  switch (column.type) {
    case 'text':
      return typeof write === 'string' && !write.includes('\n') ? write : undefined;
    case 'numbers':
      return typeof write === 'number' || typeof write === 'string' ? String(write).trim() : undefined;
    case 'long_text':
      return isObj(write) && typeof write.text === 'string' ? write.text : typeof write === 'string' ? write : undefined;
    case 'status':
      return statusCell(column, write);
    case 'dropdown':
      return dropdownCell(column, write);
    case 'date':
      if (!isObj(write) || typeof write.date !== 'string') return undefined;
      return typeof write.time === 'string' && write.time !== '' ? `${write.date} ${write.time}` : write.date;
    case 'timeline':
      return isObj(write) && typeof write.from === 'string' && typeof write.to === 'string' ? `${write.from}/${write.to}` : undefined;
    case 'email':
      if (!isObj(write) || typeof write.email !== 'string') return undefined;
      return typeof write.text === 'string' && write.text !== '' && write.text !== write.email ? `${write.text} <${write.email}>` : write.email;
    case 'link':
      if (!isObj(write) || typeof write.url !== 'string') return undefined;
      return typeof write.text === 'string' && write.text !== '' && write.text !== write.url && !/[[\]]/.test(write.text) ? `[${write.text}](${write.url})` : write.url;
    case 'phone':
      // The safe reading of the undocumented country hint: `+<number> <ISO-2>` as change_simple_column_value takes it.
      return isObj(write) && typeof write.phone === 'string' && typeof write.countryShortName === 'string' && /^[A-Z]{2}$/.test(write.countryShortName)
        ? `${write.phone} ${write.countryShortName}`
        : undefined;
    case 'checkbox':
      return isObj(write) && write.checked === true ? 'true' : isObj(write) && write.checked === false ? 'false' : undefined;
    case 'people':
      return peopleCell(write);
    case 'board_relation':
      return isObj(write) && Array.isArray(write.item_ids) && write.item_ids.length <= 50 ? write.item_ids.map(String).join(',') : undefined;
    default:
      return undefined;
  }
}

function statusCell(column: MondayColumnSchema, write: unknown): string | undefined {
  const labels = column.settings.statusLabels ?? [];
  // Bulk import creates no label (addendum 1.5a): a label the column lacks goes through a mutation.
  if (isObj(write) && typeof write.label === 'string') return labels.some((l) => l.label === write.label) ? write.label : undefined;
  if (isObj(write) && (typeof write.index === 'number' || typeof write.index === 'string')) return labels.find((l) => l.id === Number(write.index))?.label;
  return undefined;
}

function dropdownCell(column: MondayColumnSchema, write: unknown): string | undefined {
  const known = column.settings.dropdownLabels ?? [];
  let names: string[] | undefined;
  if (isObj(write) && Array.isArray(write.labels)) names = write.labels.map(String);
  else if (isObj(write) && Array.isArray(write.ids)) names = write.ids.map((id) => known.find((l) => l.id === Number(id))?.label ?? '');
  if (!names || names.some((n) => n === '' || n.includes(',') || !known.some((l) => l.label === n))) return undefined;
  return names.join(',');
}

function peopleCell(write: unknown): string | undefined {
  if (!isObj(write) || !Array.isArray(write.personsAndTeams)) return undefined;
  const entries = write.personsAndTeams as unknown[];
  if (!entries.every((p) => isObj(p) && p.kind === 'person' && (typeof p.id === 'number' || typeof p.id === 'string'))) return undefined;
  return entries.map((p) => `user:${String((p as Obj).id)}`).join(',');
}

/**
 * An import file built one create at a time (a job's rows arrive page by page): each row is kept as
 * its cells only, the header grows with the column ids the rows set (plus `name` first). Row N of
 * the file (1-based, after the header) is the Nth create added.
 */
export class ImportFileBuilder {
  private readonly byId: Map<string, MondayColumnSchema>;
  private readonly header: string[] = [];
  private readonly position = new Map<string, number>();
  private readonly rows: string[][] = [];

  constructor(columns: readonly MondayColumnSchema[]) {
    this.byId = new Map(columns.map((c) => [c.id, c]));
  }

  get size(): number {
    return this.rows.length;
  }

  /** Adds the create's row; returns the values the file cannot carry (see ImportFile.leftOver). */
  add(create: CsvCreate): MondayColumnWrites {
    const row: string[] = [create.name];
    const rest: Record<string, unknown> = {};
    for (const [columnId, write] of Object.entries(create.columnValues)) {
      const column = this.byId.get(columnId);
      const cell = column ? cellFor(column, write) : undefined;
      if (cell === undefined) {
        rest[columnId] = write;
        continue;
      }
      if (cell === '') continue;
      let at = this.position.get(columnId);
      if (at === undefined) {
        at = this.header.length + 1;
        this.position.set(columnId, at);
        this.header.push(columnId);
      }
      row[at] = cell;
    }
    this.rows.push(row);
    return rest;
  }

  csv(): string {
    const width = this.header.length + 1;
    const lines = [['name', ...this.header], ...this.rows.map((row) => Array.from({ length: width }, (_, i) => row[i] ?? ''))];
    return stringify(lines, { record_delimiter: '\n' });
  }
}

/**
 * The import file for `creates` on a board: a header of the column ids any row sets (plus `name`),
 * one row per create in order. Row N of the file (1-based, after the header) is creates[N-1].
 */
export function buildImportFile(columns: readonly MondayColumnSchema[], creates: readonly CsvCreate[]): ImportFile {
  const builder = new ImportFileBuilder(columns);
  const leftOver = creates.map((create) => builder.add(create));
  return { csv: builder.csv(), leftOver };
}
