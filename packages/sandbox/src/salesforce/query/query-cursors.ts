import { randomBytes } from 'node:crypto';
import { Clock } from '../../clock';

const LOCATOR_LIFETIME_MS = 2 * 24 * 3600 * 1000; // reference 2.4: locators live 2 days
const MAX_OPEN_CURSORS = 2000;

interface Cursor {
  rows: Array<Record<string, unknown>>;
  position: number;
  batchSize: number;
  totalSize: number;
  createdAt: number;
}

/** Open query cursors behind `nextRecordsUrl` locators (`0r8…-2000`). */
export class QueryCursors {
  private readonly cursors = new Map<string, Cursor>();

  constructor(private readonly clock: Clock) {}

  /** Stores the rest of a result; returns the locator of the next page. */
  open(rows: Array<Record<string, unknown>>, position: number, batchSize: number, totalSize: number): string {
    if (this.cursors.size >= MAX_OPEN_CURSORS) {
      const oldest = this.cursors.keys().next().value;
      if (oldest !== undefined) this.cursors.delete(oldest);
    }
    const key = `0r8Hs${randomBytes(8).toString('hex').slice(0, 10)}`;
    this.cursors.set(key, { rows, position, batchSize, totalSize, createdAt: this.clock.now() });
    return `${key}-${position}`;
  }

  /** The page at a locator and the locator after it (null when done), or undefined when invalid/expired. */
  next(locator: string): { records: Array<Record<string, unknown>>; totalSize: number; nextLocator: string | null } | undefined {
    const [key, pos] = locator.split('-');
    const cursor = key ? this.cursors.get(key) : undefined;
    if (!cursor || this.clock.now() - cursor.createdAt > LOCATOR_LIFETIME_MS) return undefined;
    const position = Number(pos);
    if (!Number.isInteger(position) || position < 0 || position > cursor.rows.length) return undefined;
    const end = Math.min(cursor.rows.length, position + cursor.batchSize);
    const records = cursor.rows.slice(position, end);
    const nextLocator = end < cursor.rows.length ? `${key}-${end}` : null;
    return { records, totalSize: cursor.totalSize, nextLocator };
  }
}
