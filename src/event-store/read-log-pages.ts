import type { Pool } from 'pg';
import type { RecordedEvent } from './events';
import { readBatchFast, START, type Checkpoint } from './read-batch';

export class ReplayReadTimeout extends Error {
  readonly code = 'REPLAY_READ_TIMEOUT';
}

/**
 * The log in read order, page by page, with the next page read while the caller works on this
 * one. Reads go through the event store's xmin-guarded `readBatchFast` (`readBatch`'s read, each
 * event as one JSON array built by Postgres; invariant 3; with the read order index the guard
 * costs nothing measurable). Ends once every event committed before the
 * call has been read, waiting up to `timeoutMs` for events still hidden behind an open older
 * transaction; events appended later are left to the live projector, after the checkpoint.
 */
export async function* readLogPages(pool: Pool, pageSize: number, timeoutMs = 120_000): AsyncGenerator<RecordedEvent[]> {
  const { rows } = await pool.query<{ max: string | null }>('SELECT max(position) AS max FROM events');
  const target = Number(rows[0]?.max ?? 0);
  const deadline = Date.now() + timeoutMs;
  let after: Checkpoint = START;
  let next = prefetch(pool, after, pageSize);
  try {
    for (;;) {
      const page = await next;
      if (page.length > 0) {
        const last = page[page.length - 1];
        after = { transactionId: last.transactionId, position: last.position };
        next = prefetch(pool, after, pageSize);
        yield page;
        continue;
      }
      if (!(await hasUnread(pool, after, target))) return;
      if (Date.now() > deadline) throw new ReplayReadTimeout(`events up to position ${target} are still hidden behind an open transaction after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
      next = prefetch(pool, after, pageSize);
    }
  } finally {
    // A caller that stops early must not leave a rejected read unobserved.
    await next.catch(() => undefined);
  }
}

function prefetch(pool: Pool, after: Checkpoint, pageSize: number): Promise<RecordedEvent[]> {
  const page = readBatchFast(pool, after, pageSize);
  page.catch(() => undefined);
  return page;
}

async function hasUnread(pool: Pool, after: Checkpoint, upTo: number): Promise<boolean> {
  const { rows } = await pool.query<{ unread: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM events WHERE (transaction_id, position) > ($1::xid8, $2::bigint) AND position <= $3) AS unread',
    [after.transactionId, after.position, upTo],
  );
  return rows[0]?.unread ?? false;
}
