import type { AppConfig } from '../config/app-config';
import { ComplexityBudget, realClock, type MondayClock } from './complexity-budget';
import { GraphqlMondayClient } from './graphql-monday.client';
import { GraphqlRequestTransport, type GraphqlTransport } from './graphql-transport';
import { MondayError } from './monday.error';
import type { MondayPort } from './monday.port';
import { MondayRequester } from './monday-requester';
import { GraphqlMondayBulkImport } from './graphql-bulk-import';

/** monday's bulk item import exists from API version 2026-07 (addendum 1.1). */
export const BULK_IMPORT_SINCE = '2026-07';

export type * from './monday.port';
export type * from './bulk-import.port';
export { isFinalState } from './bulk-import.port';
export { MAX_ACTIVITY_LOG_ENTRIES } from './board-activity-log';
export { MondayError, isMondayError } from './monday.error';
export { MondayAccountUsageReader, type MondayAccountUsage } from './monday-account-usage';
export type { MondayErrorCode, MondayErrorDetails, MondayLimit } from './monday.error';
export type { MondayClock } from './complexity-budget';

/**
 * Mutations per request, measured with bench/monday-batching.ts (table and reasoning at the top of
 * that file): changes gain 7x from 1 to 25 per request and 7% more at 50, while a batch's latency
 * and the writes one failed request leaves in doubt keep growing; creates are budget-bound from 5.
 */
export const DEFAULT_MUTATION_BATCH_SIZE = 25;

export interface MondayClientOptions {
  /** Mutations per request for applyMutations (default DEFAULT_MUTATION_BATCH_SIZE). */
  batchSize?: number;
  /** Time for pacing: the emulator's scaled clock in tests and benches. */
  clock?: MondayClock;
  /** Longest the client waits for a budget reset by itself before throwing RATE_LIMITED (default 70 s). */
  maxPacingWaitMs?: number;
  /** While the daily limit is reached, one request goes out this often to see whether it was lifted (default 15 min). */
  dailyLimitProbeMs?: number;
  /** Per-request timeout (default 65 s; monday's own is 60 s). */
  timeoutMs?: number;
  /** Replaces the graphql-request transport (unit tests). */
  transport?: GraphqlTransport;
}

export function createMondayClient(config: AppConfig['monday'], options: MondayClientOptions = {}): MondayPort {
  const token = config.apiToken;
  if (!token) throw new MondayError('UNAUTHORIZED', 'no monday API token is configured (MONDAY_API_TOKEN)');
  const clock = options.clock ?? realClock;
  const transport = options.transport ?? new GraphqlRequestTransport({ url: config.apiUrl, token, apiVersion: config.apiVersion, timeoutMs: options.timeoutMs });
  const budget = new ComplexityBudget(clock, { maxWaitMs: options.maxPacingWaitMs, dailyLimitProbeMs: options.dailyLimitProbeMs });
  const requester = new MondayRequester(transport, budget, token, () => clock.now(), (ms) => clock.sleep(ms));
  const batchSize = options.batchSize ?? DEFAULT_MUTATION_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new MondayError('PERMANENT', `batchSize must be a positive integer, got ${batchSize}`);
  const bulkImport = config.apiVersion >= BULK_IMPORT_SINCE ? new GraphqlMondayBulkImport(requester) : undefined;
  return new GraphqlMondayClient(requester, batchSize, bulkImport);
}
