import type { Pool } from 'pg';
import { appendEvents, type AppendResult } from './append';
import type { NewEvent } from './events';

interface Pending {
  event: NewEvent;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

export interface BatchingAppenderOptions {
  maxBatchSize?: number;
  /** Flushes in flight at once; each holds one pool connection. */
  maxConcurrentFlushes?: number;
}

/**
 * Groups concurrent single-event appends (one per webhook request) into one INSERT and one commit.
 * Each caller's promise settles only after its batch commits, so a webhook is still acknowledged
 * only after its event is durable (invariant 2). No timer: a batch is whatever queued while the
 * previous flush was in flight, so a lone request pays no added latency.
 * (bench/ingest: a commit per request tops out near the fsync rate; with batching the service
 * reached 5,350-6,267 events/s on the 2-core machine when it was quiet — see docs/benchmarks.md.)
 * One event that cannot be stored fails only its own caller (appendIsolating).
 */
export class BatchingAppender {
  private queue: Pending[] = [];
  private inFlight = 0;
  private readonly maxBatchSize: number;
  private readonly maxConcurrentFlushes: number;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly pool: Pool,
    options: BatchingAppenderOptions = {},
  ) {
    // 500 is never reached below 500 concurrent webhooks: a batch is whatever queued meanwhile (12
    // events per commit at 50 connections, 22 at 100 in bench/ingest); it only bounds one statement.
    this.maxBatchSize = options.maxBatchSize ?? 500;
    // bench/ingest at 50 connections, 5,000/s offered, 3 alternating runs on the shared machine:
    // 1 flush -> 3,204 events/s (155 us service CPU per event), 2 -> 3,534/s (161 us), and at
    // 100 connections 2 beat 1 (5,182-6,267 vs 3,185-4,313/s); 4 was worse in both (3,307 and
    // 4,041/s, 6.7 and 11.9 events per commit).
    this.maxConcurrentFlushes = options.maxConcurrentFlushes ?? 2;
  }

  append(event: NewEvent): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.flushIfPossible();
    });
  }

  /** Resolves when nothing is queued or in flight (graceful shutdown). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private flushIfPossible(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxConcurrentFlushes) {
      const batch = this.queue.splice(0, this.maxBatchSize);
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.flushIfPossible();
        if (this.queue.length === 0 && this.inFlight === 0) {
          const waiters = this.idleWaiters;
          this.idleWaiters = [];
          waiters.forEach((w) => w());
        }
      });
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    const outcomes = await appendIsolating(this.pool, batch.map((p) => p.event));
    batch.forEach((p, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) p.resolve(outcome.result);
      else p.reject(outcome.error);
    });
  }
}

type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

/**
 * One statement for the batch; if it fails for something an event carries (a value Postgres or the
 * serialiser refuses), nothing of it committed, so the halves are retried apart until the events
 * that fail are alone: their callers get the error, every other event is appended. An error that
 * is not about the data (the database is gone) fails the whole batch at once, with no retries.
 */
async function appendIsolating(pool: Pool, events: readonly NewEvent[]): Promise<Outcome[]> {
  try {
    return (await appendEvents(pool, events)).map((result) => ({ ok: true, result }));
  } catch (error) {
    if (events.length === 1 || !isCausedByData(error)) return events.map(() => ({ ok: false, error }));
    const middle = Math.ceil(events.length / 2);
    const first = await appendIsolating(pool, events.slice(0, middle));
    return first.concat(await appendIsolating(pool, events.slice(middle)));
  }
}

/**
 * SQLSTATE classes 22 (data exception: U+0000 in jsonb, timestamp out of range), 23 (integrity
 * constraint) and 54 (program limit: nesting depth, index row size); or the serialiser's own
 * RangeError / TypeError (an invalid Date, a BigInt) before anything reached Postgres.
 */
function isCausedByData(error: unknown): boolean {
  if (error instanceof RangeError || error instanceof TypeError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|54)/.test(code);
}
