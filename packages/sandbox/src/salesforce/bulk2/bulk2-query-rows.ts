import { csvCell } from './bulk2-csv';

type Row = Record<string, unknown>;

/**
 * A query job's result rows, kept as the executor returned them and turned into CSV cells one
 * results page at a time: a 100,000-row job answers its create at once instead of after building
 * every cell (seconds of CPU on a loaded machine, longer than a client's request timeout).
 * Column keys are matched case-insensitively, as SOQL field names are; the match is remembered per
 * object shape, so each cell is a lookup, not a scan of the row's keys.
 */
export class QueryRows {
  private readonly keyCache = new Map<string, string | null>();

  constructor(
    readonly header: string[],
    private readonly rows: Row[],
  ) {}

  get length(): number {
    return this.rows.length;
  }

  cells(start: number, end: number): string[][] {
    const paths = this.header.map((column) => column.split('.'));
    return this.rows.slice(start, end).map((row) => paths.map((path) => csvCell(this.valueAt(row, path))));
  }

  private valueAt(row: Row, path: string[]): unknown {
    let current: unknown = row;
    for (const part of path) {
      if (typeof current !== 'object' || current === null) return null;
      const key = this.keyOf(current as Row, part);
      current = key === null ? null : (current as Row)[key];
    }
    return current;
  }

  private keyOf(object: Row, part: string): string | null {
    const lower = part.toLowerCase();
    const cached = this.keyCache.get(lower);
    if (cached !== undefined && cached !== null && Object.prototype.hasOwnProperty.call(object, cached)) return cached;
    const found = Object.keys(object).find((k) => k.toLowerCase() === lower) ?? null;
    if (found !== null) this.keyCache.set(lower, found);
    return found;
  }
}
