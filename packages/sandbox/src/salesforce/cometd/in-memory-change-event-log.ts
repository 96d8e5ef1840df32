import type { Clock } from '../../clock';
import type { ChangeEventLog, ChangeEventPayload, RetainedChangeEvent } from './change-event-log';

const SEVENTY_TWO_HOURS_MS = 72 * 3600_000;
/** Real replay ids are large numbers; starting here makes any code that assumes small ids look wrong early. */
const FIRST_REPLAY_ID_BASE = 1_000_000;
/** Ids advance by 1..MAX_STEP so that no client can compute the next one (reference 5.3: 999 may be followed by 1025). */
const MAX_STEP = 29;

/**
 * The emulated org's CDC event bus: append-only, sorted by replay id, retention on the emulated clock.
 *
 * Events live in one array in replay-id order; expired ones are dropped from the front lazily (on append and
 * read) by moving `head`, and the array is compacted when more than half of it is dead, so memory follows
 * the retention window. Lookups by replay id are a binary search.
 */
export class InMemoryChangeEventLog implements ChangeEventLog {
  private events: RetainedChangeEvent[] = [];
  private head = 0;
  private latest = 0;
  private stepSeed = 0x2545f491;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly clock: Clock,
    private readonly retentionMs = SEVENTY_TWO_HOURS_MS,
  ) {}

  append(events: Array<{ schema: string; payload: ChangeEventPayload }>): RetainedChangeEvent[] {
    this.purgeExpired();
    const committedAt = this.clock.now();
    const retained = events.map((event) => {
      this.latest = this.latest === 0 ? FIRST_REPLAY_ID_BASE + this.nextStep() : this.latest + this.nextStep();
      const stored: RetainedChangeEvent = { replayId: this.latest, committedAt, schema: event.schema, payload: event.payload };
      this.events.push(stored);
      return stored;
    });
    if (retained.length > 0) {
      for (const listener of [...this.listeners]) listener();
    }
    return retained;
  }

  readAfter(afterReplayId: number, limit: number): RetainedChangeEvent[] | 'invalid' {
    this.purgeExpired();
    if (afterReplayId === -1) return [];
    if (afterReplayId === -2) return this.events.slice(this.head, this.head + Math.max(0, limit));
    if (!Number.isInteger(afterReplayId) || afterReplayId < 0) return 'invalid';
    if (afterReplayId === this.latest) return [];
    const index = this.indexOf(afterReplayId);
    if (index < 0) return 'invalid';
    return this.events.slice(index + 1, index + 1 + Math.max(0, limit));
  }

  latestReplayId(): number {
    return this.latest;
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  expireRetained(): void {
    this.head = this.events.length;
    this.purgeExpired();
  }

  /** Number of events still retained (tests, diagnostics). */
  retainedCount(): number {
    this.purgeExpired();
    return this.events.length - this.head;
  }

  private indexOf(replayId: number): number {
    let low = this.head;
    let high = this.events.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const candidate = this.events[middle]!.replayId;
      if (candidate === replayId) return middle;
      if (candidate < replayId) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  private purgeExpired(): void {
    const oldestKept = this.clock.now() - this.retentionMs;
    while (this.head < this.events.length && this.events[this.head]!.committedAt < oldestKept) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }

  /** xorshift32: deterministic, so a test run always sees the same id sequence. */
  private nextStep(): number {
    let x = this.stepSeed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.stepSeed = x >>> 0;
    return 1 + (this.stepSeed % MAX_STEP);
  }
}
