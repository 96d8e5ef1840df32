import { gauge } from '../observability/metrics-registry';
import type { ApiUsage, BudgetDecision, NonUrgentWork } from './salesforce.port';

const apiUsed = gauge('crm_sync_salesforce_api_used', 'Daily API requests used by the org (Sforce-Limit-Info api-usage)');
const apiLimit = gauge('crm_sync_salesforce_api_limit', 'Daily API request allocation of the org (Sforce-Limit-Info api-usage)');

export interface ApiBudgetOptions {
  /**
   * Non-urgent work pauses when fewer than this many requests remain in the org's rolling 24 h
   * allocation. When the whole allocation runs out every integration and user of the org is blocked
   * (reference 8), so backfills must leave room for real-time sync and for everyone else.
   */
  floorRequests?: number;
  /** The same as a share of the limit (0..1); the larger of the two floors applies. Default 0.2. */
  floorFraction?: number;
}

/**
 * Reads `Sforce-Limit-Info: api-usage=N/M` (reference 2, every REST response) and decides whether
 * non-urgent work may spend requests now.
 */
export class ApiUsageTracker {
  private usage: ApiUsage | null = null;
  private readonly floorRequests: number;
  private readonly floorFraction: number;

  constructor(options: ApiBudgetOptions = {}) {
    this.floorRequests = options.floorRequests ?? 0;
    this.floorFraction = options.floorFraction ?? 0.2;
  }

  /** Feeds one response header value; ignores values without api-usage. */
  observeHeader(value: string | undefined): void {
    if (!value) return;
    // Anchored so `per-app-api-usage=17/250(appName=x)` is not read as the org's usage (jsforce's regex is not).
    const match = /(?:^|[;,\s])api-usage=(\d+)\/(\d+)/.exec(value);
    if (!match) return;
    const used = Number(match[1]);
    const limit = Number(match[2]);
    this.usage = { used, limit, remaining: Math.max(0, limit - used) };
    apiUsed.set(used);
    apiLimit.set(limit);
  }

  current(): ApiUsage | null {
    return this.usage;
  }

  floor(limit: number): number {
    return Math.max(this.floorRequests, Math.ceil(limit * this.floorFraction));
  }

  /** Unknown usage (no call yet) allows the work: its first call reports the usage. */
  budgetFor(_work: NonUrgentWork): BudgetDecision {
    const usage = this.usage;
    if (!usage) return { allowed: true, usage: null };
    const floor = this.floor(usage.limit);
    return usage.remaining < floor ? { allowed: false, usage, floor } : { allowed: true, usage };
  }
}
