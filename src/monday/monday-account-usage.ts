import type { MondayDailyCalls, MondayPort } from './monday.port';

/** monday's calls today as far as the service can tell, and the daily allocation they count against. */
export interface MondayAccountUsage {
  /** Calls counted today (UTC): the whole account's when monday's analytics are readable, else this process's. */
  callsToday: number;
  /** Whose calls `callsToday` counts. */
  scope: 'account' | 'this-process';
  /** MONDAY_DAILY_CALL_LIMIT, else the limit monday reports; null when neither is known. */
  dailyCallLimit: number | null;
}

interface Reading {
  day: string;
  calls: MondayDailyCalls;
  /** This process's own count when the reading was taken (calls since then are added to it). */
  ownCallsAtRead: number;
}

/**
 * The daily-allocation side of monday's budget. monday does not report usage in its answers, but an
 * admin token can read `platform_api` (the account's limit and today's calls by every app and user,
 * refreshed by monday about every 10 minutes). `refresh()` reads it; between readings this process's
 * own calls are added. A token that may not read it leaves the count to this process's calls and the
 * limit to MONDAY_DAILY_CALL_LIMIT; `refresh()` then says why once, through `onRefused`.
 */
export class MondayAccountUsageReader {
  private reading: Reading | null = null;
  private refusedWith: string | null = null;

  constructor(
    private readonly monday: Pick<MondayPort, 'dailyCalls' | 'apiUsage'>,
    private readonly configuredLimit: number | null,
    private readonly onRefused: (reason: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  async refresh(): Promise<void> {
    if (!this.monday.dailyCalls) return;
    try {
      const calls = await this.monday.dailyCalls();
      this.reading = { day: this.today(), calls, ownCallsAtRead: this.ownCalls() };
      this.refusedWith = null;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (reason !== this.refusedWith) this.onRefused(reason);
      this.refusedWith = reason;
    }
  }

  current(): MondayAccountUsage {
    const own = this.ownCalls();
    const reading = this.reading?.day === this.today() ? this.reading : null;
    const limit = this.configuredLimit ?? this.reading?.calls.limit ?? null;
    if (!reading || reading.calls.usedToday === null) return { callsToday: own, scope: 'this-process', dailyCallLimit: limit };
    return { callsToday: reading.calls.usedToday + Math.max(0, own - reading.ownCallsAtRead), scope: 'account', dailyCallLimit: limit };
  }

  private ownCalls(): number {
    return this.monday.apiUsage?.().callsToday ?? 0;
  }

  private today(): string {
    return new Date(this.now()).toISOString().slice(0, 10);
  }
}
