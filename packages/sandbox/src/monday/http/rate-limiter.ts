import type { Clock } from '../../clock';
import type { RateLimitOptions } from '../emulator-options';
import type { Throttle } from './throttle-errors';

const MINUTE = 60_000;
const DAY = 86_400_000;

interface Window {
  start: number;
  used: number;
}

export interface Admission {
  before: number;
  after: number;
  resetInSeconds: number;
}

/**
 * monday's limits for one account (reference 6.1): complexity budget and request count per minute
 * (a window starts with the first call and resets 60 s later), requests in flight, calls per UTC day
 * (a throttled request or a bare `complexity` query counts 0.1). All in emulated time.
 */
export class RateLimiter {
  private complexity: Window = { start: 0, used: 0 };
  private minute: Window = { start: 0, used: 0 };
  /** tenths of a call */
  private daily: Window = { start: 0, used: 0 };
  private inFlight = 0;

  constructor(
    private readonly clock: Clock,
    readonly limits: RateLimitOptions,
  ) {}

  /** Takes a concurrency slot; false when the limit is reached. */
  enter(): boolean {
    if (this.inFlight >= this.limits.concurrency) return false;
    this.inFlight += 1;
    return true;
  }

  leave(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  /** Counts the request and charges its complexity, or says which limit stops it. */
  admit(cost: number, bareComplexity: boolean): { ok: true; admission: Admission } | { ok: false; throttle: Throttle } {
    const now = this.clock.now();
    const minute = this.roll(this.minute, MINUTE, now);
    const complexity = this.roll(this.complexity, MINUTE, now);
    const daily = this.rollDay(now);
    if (daily.used >= this.limits.dailyCalls * 10) {
      daily.used += 1;
      return { ok: false, throttle: { code: 'DAILY_LIMIT_EXCEEDED', retryInSeconds: secondsUntil(daily.start + DAY, now) } };
    }
    minute.used += 1;
    if (minute.used > this.limits.requestsPerMinute) {
      daily.used += 1;
      return { ok: false, throttle: { code: 'RATE_LIMIT_EXCEEDED', retryInSeconds: secondsUntil(minute.start + MINUTE, now) } };
    }
    const left = this.limits.complexityPerMinute - complexity.used;
    if (cost > left) {
      daily.used += 1;
      return {
        ok: false,
        throttle: {
          code: 'COMPLEXITY_BUDGET_EXHAUSTED',
          retryInSeconds: secondsUntil(complexity.start + MINUTE, now),
          complexity: { cost, left, limit: this.limits.complexityPerMinute },
        },
      };
    }
    complexity.used += cost;
    daily.used += bareComplexity ? 1 : 10;
    return { ok: true, admission: { before: left, after: left - cost, resetInSeconds: secondsUntil(complexity.start + MINUTE, now) } };
  }

  /** A throttled-before-admission request (concurrency, injected 429) still counts 0.1 of a daily call. */
  countThrottled(): void {
    this.rollDay(this.clock.now()).used += 1;
  }

  /** Whole calls counted today (UTC), as monday's analytics report them. */
  dailyCallsUsed(): number {
    return Math.floor(this.rollDay(this.clock.now()).used / 10);
  }

  /** Control API: today's count as if other apps and users of the account had made `calls` calls. */
  setDailyCallsUsed(calls: number): void {
    if (!Number.isInteger(calls) || calls < 0) throw new Error(`daily calls must be a whole number >= 0, got ${calls}`);
    this.rollDay(this.clock.now()).used = calls * 10;
  }

  /** Control API: the account's daily call allocation (a plan change or a daily-limit add-on). */
  setDailyCallLimit(calls: number): void {
    if (!Number.isInteger(calls) || calls < 1) throw new Error(`the daily call limit must be a whole number >= 1, got ${calls}`);
    this.limits.dailyCalls = calls;
  }

  concurrencyThrottle(): Throttle {
    return { code: 'maxConcurrencyExceeded', retryInSeconds: 1 };
  }

  minuteThrottle(): Throttle {
    const now = this.clock.now();
    return { code: 'RATE_LIMIT_EXCEEDED', retryInSeconds: Math.max(1, secondsUntil(this.roll(this.minute, MINUTE, now).start + MINUTE, now)) };
  }

  reset(): void {
    this.complexity = { start: 0, used: 0 };
    this.minute = { start: 0, used: 0 };
    this.daily = { start: 0, used: 0 };
  }

  /** `RateLimit-Policy` and `RateLimit` headers (IETF draft syntax, reference 6.1). */
  headers(): Record<string, string> {
    const now = this.clock.now();
    const minute = this.roll(this.minute, MINUTE, now);
    const complexity = this.roll(this.complexity, MINUTE, now);
    const minuteLeft = Math.max(0, this.limits.requestsPerMinute - minute.used);
    const complexityLeft = Math.max(0, this.limits.complexityPerMinute - complexity.used);
    const minuteReset = minute.used > 0 ? `;t=${secondsUntil(minute.start + MINUTE, now)}` : '';
    const complexityReset = complexity.used > 0 ? `;t=${secondsUntil(complexity.start + MINUTE, now)}` : '';
    return {
      'ratelimit-policy': `"minuteRate";q=${this.limits.requestsPerMinute};w=60, "concurrency";q=${this.limits.concurrency};qu="concurrent-requests", "complexityMinute";q=${this.limits.complexityPerMinute};w=60;qu="content-bytes"`,
      ratelimit: `"minuteRate";r=${minuteLeft}${minuteLeft === 0 ? minuteReset : ''}, "concurrency";r=${Math.max(0, this.limits.concurrency - this.inFlight)}, "complexityMinute";r=${complexityLeft}${complexityReset}`,
    };
  }

  private roll(window: Window, length: number, now: number): Window {
    if (window.used === 0 || now >= window.start + length) {
      window.start = now;
      window.used = 0;
    }
    return window;
  }

  private rollDay(now: number): Window {
    const dayStart = Math.floor(now / DAY) * DAY;
    if (this.daily.start !== dayStart) this.daily = { start: dayStart, used: 0 };
    return this.daily;
  }
}

function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}
