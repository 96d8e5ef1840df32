import type { Clock } from '../clock';
import type { BulkImportOptions } from './bulk-import/bulk-import-options';

export interface RateLimitOptions {
  /** Complexity points per budget minute (personal token: 10M, reference 6.1). */
  complexityPerMinute: number;
  /** Complexity of one query at most (5M). */
  maxQueryComplexity: number;
  /** Requests per minute (Enterprise 5,000). */
  requestsPerMinute: number;
  /** Requests in flight at once (Enterprise 250). */
  concurrency: number;
  /** Calls per UTC day (Enterprise 25,000). */
  dailyCalls: number;
}

export interface ComplexityCosts {
  /** Per mutation root field; unknown mutations cost `defaultMutation`. */
  mutations: Record<string, number>;
  defaultMutation: number;
}

export interface WebhookOptions {
  /** Emulated ms between retries of a failed delivery (reference 7.6: once a minute). */
  retryIntervalMs: number;
  /** Emulated ms after the first attempt when retries stop (30 minutes). */
  retryWindowMs: number;
  /** Deliveries in flight at once. */
  maxConcurrentDeliveries: number;
  /** Real ms before a delivery or challenge attempt counts as failed. */
  requestTimeoutMs: number;
  /** Lifetime of the JWT in Authorization, seconds. */
  jwtTtlSeconds: number;
}

export interface MondayEmulatorOptions {
  port?: number;
  host?: string;
  clock?: Clock;
  signingSecret?: string;
  limits?: Partial<RateLimitOptions>;
  costs?: Partial<ComplexityCosts>;
  webhooks?: Partial<WebhookOptions>;
  /** JSON file the state is loaded from at start and saved to on change and at close. */
  persistPath?: string;
  seed?: 'demo' | 'empty';
  /** Seed of the RNG behind fault ratios and generated ids. */
  randomSeed?: number;
  /** Serve 2024-10/2025-01 as asked (legacy error format) instead of routing them to 2025-04 as monday does now. */
  serveDeprecatedVersions?: boolean;
  /** Log each request to the request log (default true). */
  requestLog?: boolean;
  /** Bulk import limits and pace (rows per emulated second); see bulk-import-options.ts. */
  bulkImport?: Partial<BulkImportOptions>;
  /** The integration user is an account admin (backfill_items and platform_api are admin-only); default false. */
  integrationUserIsAdmin?: boolean;
  /** Emulated ms between refreshes of `platform_api.daily_analytics` (monday: about 10 minutes). */
  dailyAnalyticsRefreshMs?: number;
}

export const DEFAULT_LIMITS: RateLimitOptions = {
  complexityPerMinute: 10_000_000,
  maxQueryComplexity: 5_000_000,
  requestsPerMinute: 5_000,
  concurrency: 250,
  dailyCalls: 25_000,
};

/**
 * create_item costs 10,000 points (reference 4); the other mutation costs are not documented and are
 * the emulator's assumption `[?]`.
 */
export const DEFAULT_COSTS: ComplexityCosts = {
  mutations: {
    create_item: 10_000,
    create_board: 10_000,
    create_column: 1_000,
    create_group: 1_000,
    create_webhook: 1_000,
    change_multiple_column_values: 1_000,
    change_column_value: 1_000,
    change_simple_column_value: 1_000,
    complexity: 0,
  },
  defaultMutation: 500,
};

export const DEFAULT_WEBHOOKS: WebhookOptions = {
  retryIntervalMs: 60_000,
  retryWindowMs: 30 * 60_000,
  maxConcurrentDeliveries: 64,
  requestTimeoutMs: 10_000,
  jwtTtlSeconds: 300,
};
