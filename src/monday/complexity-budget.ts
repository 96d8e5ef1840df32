import { MondayError, type MondayLimit } from './monday.error';

/** Time as the pacer sees it: real time in production, the emulator's scaled clock in tests and benches. */
export interface MondayClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: MondayClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** `complexity { before after query reset_in_x_seconds }` of one answer. */
export interface ComplexityReading {
  before: number;
  after: number;
  query: number;
  resetInSeconds: number;
}

/** What a request is predicted to cost: counts per cost key (`create_item`, `read:items_page`...). */
export type CostParts = ReadonlyArray<readonly [key: string, units: number]>;

export interface Reservation {
  readonly parts: CostParts;
  readonly predicted: number;
  /** The unit costs the prediction used (learning scales these, not whatever later answers set). */
  readonly unitCosts: ReadonlyMap<string, number>;
}

export interface ComplexityBudgetOptions {
  /** Longest the pacer waits by itself; a longer wait (daily limit) becomes a RATE_LIMITED error. */
  maxWaitMs?: number;
  /** Cost assumed per unit before monday has reported one (create_item is ~10,000, monday.md 4). */
  defaultUnitCost?: number;
  /**
   * While the daily limit blocks requests (until 00:00 UTC), one request goes out this often anyway,
   * to notice a limit lifted early (a larger plan, a daily-limit add-on). Default 15 minutes.
   */
  dailyLimitProbeMs?: number;
}

/**
 * Paces requests so that normal operation never meets COMPLEXITY_BUDGET_EXHAUSTED (monday.md 6.1):
 * it learns each operation's cost and the remaining budget from the `complexity` field of answers,
 * and before sending, waits for the window to reset when the predicted cost exceeds what is left.
 * A throttling error that happens anyway blocks every request until its retry time.
 *
 * Shared by all boards. While the remaining budget is unknown (start, after a reset) only one request
 * goes out, so that parallel boards do not overspend a budget nobody has read yet.
 */
export class ComplexityBudget {
  private remaining: number | null = null;
  private resetAt = 0;
  private blockedUntil = 0;
  private blockedBy: MondayLimit = 'unknown';
  private dailyProbeAt = 0;
  private outstanding = 0;
  private probe: Promise<void> | null = null;
  private endProbe: (() => void) | null = null;
  private readonly unitCosts = new Map<string, number>();
  private readonly maxWaitMs: number;
  private readonly defaultUnitCost: number;
  private readonly dailyLimitProbeMs: number;

  constructor(
    private readonly clock: MondayClock,
    options: ComplexityBudgetOptions = {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? 70_000;
    this.defaultUnitCost = options.defaultUnitCost ?? 10_000;
    this.dailyLimitProbeMs = options.dailyLimitProbeMs ?? 15 * 60_000;
  }

  predict(parts: CostParts): number {
    return parts.reduce((sum, [key, units]) => sum + units * this.unitCost(key), 0);
  }

  private unitCost(key: string): number {
    return this.unitCosts.get(key) ?? this.defaultUnitCost;
  }

  /** Waits until the request may go out, then reserves its predicted cost. */
  async acquire(parts: CostParts): Promise<Reservation> {
    for (;;) {
      // Predicted afresh after every wait: answers that came in meanwhile may have taught the cost.
      const unitCosts = new Map(parts.map(([key]) => [key, this.unitCost(key)] as const));
      const predicted = this.predict(parts);
      const now = this.clock.now();
      if (this.blockedUntil > now) {
        if (this.blockedBy === 'daily' && now - this.dailyProbeAt >= this.dailyLimitProbeMs) {
          this.dailyProbeAt = now; // this request goes out to see whether the limit was lifted
        } else {
          await this.wait(this.blockedUntil - now, this.blockedBy);
          continue;
        }
      }
      if (this.remaining !== null && now >= this.resetAt) this.remaining = null;
      if (this.remaining === null) {
        if (this.probe) {
          await this.probe;
          continue;
        }
        this.probe = new Promise((resolve) => (this.endProbe = resolve));
      } else if (predicted > this.remaining) {
        // After the reset the budget is unknown again and the request goes out as the probe.
        await this.wait(this.resetAt - now, 'complexity');
        continue;
      } else {
        this.remaining -= predicted;
      }
      this.outstanding += predicted;
      return { parts, predicted, unitCosts };
    }
  }

  /** Records what the answer said: the cost (to predict the next ones) and the budget left. */
  settle(reservation: Reservation, reading: ComplexityReading | null): void {
    this.outstanding = Math.max(0, this.outstanding - reservation.predicted);
    if (reading) {
      this.learn(reservation, reading.query);
      this.remaining = Math.max(0, reading.after - this.outstanding);
      this.resetAt = this.clock.now() + reading.resetInSeconds * 1000;
    } else if (this.remaining !== null) {
      this.remaining += reservation.predicted;
    }
    this.finishProbe();
  }

  /** A RATE_LIMITED answer: nothing goes out until its retry time. */
  throttled(reservation: Reservation | null, error: MondayError): void {
    if (reservation) this.outstanding = Math.max(0, this.outstanding - reservation.predicted);
    const until = this.clock.now() + (error.retryAfterMs ?? 60_000);
    if (until > this.blockedUntil) {
      this.blockedUntil = until;
      this.blockedBy = error.details.limit ?? 'unknown';
    }
    if (error.details.limit === 'daily') this.dailyProbeAt = this.clock.now();
    if (error.details.limit === 'complexity') {
      this.remaining = 0;
      this.resetAt = until;
    }
    this.finishProbe();
  }

  /** monday answered without throttling: a daily-limit block is over (lifted before 00:00 UTC). */
  answered(): void {
    if (this.blockedBy === 'daily') this.blockedUntil = 0;
  }

  /** For metrics and tests. */
  snapshot(): { remaining: number | null; resetAt: number; blockedUntil: number; unitCosts: Record<string, number> } {
    return { remaining: this.remaining, resetAt: this.resetAt, blockedUntil: this.blockedUntil, unitCosts: Object.fromEntries(this.unitCosts) };
  }

  private learn(reservation: Reservation, observed: number): void {
    if (!(observed > 0) || reservation.predicted <= 0) return;
    // Scale the unit costs this prediction used by observed/predicted: exact for a single kind,
    // proportional for a mix. Answers of concurrent requests each refit from their own prediction.
    const ratio = observed / reservation.predicted;
    for (const [key, used] of reservation.unitCosts) this.unitCosts.set(key, used * ratio);
  }

  private async wait(ms: number, limit: MondayLimit): Promise<void> {
    if (ms > this.maxWaitMs) {
      throw new MondayError('RATE_LIMITED', `monday ${limit} limit: next request possible in ${Math.ceil(ms / 1000)} s`, {
        limit,
        retryAfterMs: ms,
      });
    }
    // A little past the reset: the window is measured on monday's side.
    await this.clock.sleep(ms + 250);
  }

  private finishProbe(): void {
    if (!this.endProbe) return;
    const end = this.endProbe;
    this.probe = null;
    this.endProbe = null;
    end();
  }
}
