import type { Clock } from '../../clock';
import { isoMillis } from '../time-format';
import type { RateLimiter } from './rate-limiter';

const DAY = 86_400_000;

/** What `platform_api` answers: the account's daily call limit and its usage as last refreshed. */
export interface PlatformApiView {
  daily_limit: { base: number; total: number; addon: { is_active: boolean; quantity: number } };
  daily_analytics: { last_updated: string; by_day: Array<{ day: string; usage: number }> };
}

/**
 * monday's API analytics (developer docs "Optimizing API usage": `platform_api.daily_analytics`,
 * refreshed about every 10 minutes). The emulator keeps a snapshot of the day's calls and renews it
 * only once `refreshMs` of emulated time has passed, so a reader never sees fresher figures than
 * monday would give it. Usage is whole calls (the limiter counts tenths, rounded down here).
 */
export class DailyAnalytics {
  private snapshot: { at: number; day: string; usage: number } | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly limiter: RateLimiter,
    private readonly refreshMs: number,
  ) {}

  view(): PlatformApiView {
    const now = this.clock.now();
    if (!this.snapshot || now - this.snapshot.at >= this.refreshMs) this.refresh(now);
    const { at, day, usage } = this.snapshot as { at: number; day: string; usage: number };
    const total = this.limiter.limits.dailyCalls;
    return {
      daily_limit: { base: total, total, addon: { is_active: false, quantity: 0 } },
      daily_analytics: { last_updated: isoMillis(at), by_day: [{ day, usage }] },
    };
  }

  /** The next read takes a new snapshot (control API: usage or limit changed by hand). */
  invalidate(): void {
    this.snapshot = null;
  }

  private refresh(now: number): void {
    this.snapshot = { at: now, day: new Date(Math.floor(now / DAY) * DAY).toISOString().slice(0, 10), usage: this.limiter.dailyCallsUsed() };
  }
}
