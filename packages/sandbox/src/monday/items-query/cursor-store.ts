import type { Clock } from '../../clock';
import { invalidArgument } from '../errors';
import type { SeededRandom } from '../random';

/** Cursors live 60 minutes from the first page's request (reference 3.2). */
export const CURSOR_LIFETIME_MS = 60 * 60 * 1000;
export const MAX_PAGE_LIMIT = 500;

interface CursorEntry {
  boardId: number;
  itemIds: number[];
  createdAt: number;
}

export interface Page {
  itemIds: number[];
  cursor: string | null;
}

/**
 * The matched item ids are cached when the board is first paged (the filter is baked into the cursor);
 * each next page gets a new cursor string pointing into the same cached result.
 */
export class CursorStore {
  private readonly entries = new Map<string, CursorEntry>();
  private created = 0;

  constructor(
    private readonly clock: Clock,
    private readonly random: SeededRandom,
  ) {}

  firstPage(boardId: number, itemIds: number[], limit: number): Page {
    checkLimit(limit);
    if (itemIds.length <= limit) return { itemIds, cursor: null };
    const key = this.random.token(20);
    const entry: CursorEntry = { boardId, itemIds, createdAt: this.clock.now() };
    this.entries.set(key, entry);
    if (++this.created % 256 === 0) this.sweep();
    return { itemIds: itemIds.slice(0, limit), cursor: encode(key, entry, limit) };
  }

  nextPage(cursor: string, limit: number): Page & { boardId: number } {
    checkLimit(limit);
    const decoded = decode(cursor);
    const entry = decoded ? this.entries.get(decoded.key) : undefined;
    if (!decoded || !entry) throw invalidCursor();
    if (this.clock.now() - entry.createdAt >= CURSOR_LIFETIME_MS) {
      this.entries.delete(decoded.key);
      throw invalidCursor();
    }
    const end = decoded.offset + limit;
    const itemIds = entry.itemIds.slice(decoded.offset, end);
    if (end >= entry.itemIds.length) {
      this.entries.delete(decoded.key);
      return { itemIds, cursor: null, boardId: entry.boardId };
    }
    return { itemIds, cursor: encode(decoded.key, entry, end), boardId: entry.boardId };
  }

  clear(): void {
    this.entries.clear();
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.entries) if (now - entry.createdAt >= CURSOR_LIFETIME_MS) this.entries.delete(key);
  }
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw invalidArgument(`limit must be between 1 and ${MAX_PAGE_LIMIT}`, { limit });
  }
}

function invalidCursor(): Error {
  return invalidArgument('The cursor provided is invalid or has expired. Cursors are valid for 60 minutes; restart from the first page', {
    error_reason: 'cursor_expired_or_invalid',
  });
}

function encode(key: string, entry: CursorEntry, offset: number): string {
  const raw = `${offset},${Math.floor(entry.createdAt / 1000)},${key},${entry.itemIds.length}|${entry.boardId}`;
  return Buffer.from(raw).toString('base64').replace(/=+$/, '');
}

function decode(cursor: string): { key: string; offset: number } | undefined {
  const parts = Buffer.from(cursor, 'base64').toString('utf8').split('|')[0]?.split(',');
  if (!parts || parts.length !== 4) return undefined;
  const offset = Number(parts[0]);
  return Number.isInteger(offset) && offset >= 0 ? { key: parts[2], offset } : undefined;
}
