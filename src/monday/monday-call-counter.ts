/**
 * monday's daily call limit (monday.md 6.1: reset 00:00 UTC, every request counts) is not reported
 * in answers, so the client counts the calls it made today itself and remembers when monday said
 * the daily limit was reached. Other apps and users of the same account are not seen here.
 */
export interface MondayApiUsage {
  /** Requests this process sent since 00:00 UTC. */
  callsToday: number;
  /** Epoch ms until which monday refuses calls for the daily limit; null when it has not said so. */
  dailyLimitReachedUntil: number | null;
  /** Complexity points left in the current minute, as last read (null before the first answer). */
  complexityRemaining: number | null;
}

const DAY_MS = 86_400_000;

export class MondayCallCounter {
  private day = -1;
  private calls = 0;
  private dailyLimitUntil: number | null = null;

  constructor(private readonly now: () => number) {}

  counted(): void {
    this.rollDay();
    this.calls++;
  }

  dailyLimitReached(retryAfterMs: number | undefined): void {
    const now = this.now();
    this.dailyLimitUntil = now + (retryAfterMs ?? (Math.floor(now / DAY_MS) + 1) * DAY_MS - now);
  }

  /** An answer that was not throttled: the daily limit, if it was reached, has been lifted (a larger plan or an add-on). */
  answered(): void {
    this.dailyLimitUntil = null;
  }

  usage(complexityRemaining: number | null): MondayApiUsage {
    this.rollDay();
    const until = this.dailyLimitUntil !== null && this.dailyLimitUntil > this.now() ? this.dailyLimitUntil : null;
    return { callsToday: this.calls, dailyLimitReachedUntil: until, complexityRemaining };
  }

  private rollDay(): void {
    const day = Math.floor(this.now() / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.calls = 0;
    }
  }
}
