import type { Clock } from '../../clock';

/** Cached responses live 30 minutes; bodies over 1 MB are not cached (reference 1.5). */
const LIFETIME_MS = 30 * 60_000;
const MAX_BODY = 1_000_000;

export interface CachedResponse {
  status: number;
  body: string;
}

type Entry = { state: 'running' } | { state: 'done'; response: CachedResponse; expiresAt: number };

export type IdempotencyOutcome = { kind: 'run' } | { kind: 'replay'; response: CachedResponse } | { kind: 'conflict' };

/** Idempotency-Key for mutations, per user (reference 1.5). */
export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  begin(userId: number, key: string): IdempotencyOutcome {
    const id = `${userId}:${key}`;
    const entry = this.entries.get(id);
    if (entry?.state === 'running') return { kind: 'conflict' };
    if (entry?.state === 'done' && entry.expiresAt > this.clock.now()) return { kind: 'replay', response: entry.response };
    this.entries.set(id, { state: 'running' });
    return { kind: 'run' };
  }

  finish(userId: number, key: string, response: CachedResponse | undefined): void {
    const id = `${userId}:${key}`;
    if (!response || response.body.length > MAX_BODY) {
      this.entries.delete(id);
      return;
    }
    this.entries.set(id, { state: 'done', response, expiresAt: this.clock.now() + LIFETIME_MS });
    if (this.entries.size > 10_000) this.sweep();
  }

  /** Every finished answer expires now (a request still running keeps its key). */
  expireAll(): void {
    for (const [id, entry] of this.entries) if (entry.state === 'done') this.entries.delete(id);
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [id, entry] of this.entries) if (entry.state === 'done' && entry.expiresAt <= now) this.entries.delete(id);
  }
}
