import type { Logger } from 'pino';
import { MondayError } from '../monday/monday.error';
import { SalesforceError } from '../salesforce/salesforce.error';

/** How long start-up keeps trying a CRM that answers with a transient error (5xx, 429, network). */
const START_RETRY_MS = 120_000;
const MAX_DELAY_MS = 15_000;

/** A failure that a later attempt can get past without anyone changing data or configuration. */
export function isTransientCrmError(error: unknown): boolean {
  if (error instanceof SalesforceError) return error.retryable;
  if (error instanceof MondayError) return error.code === 'TRANSIENT' || error.code === 'RATE_LIMITED';
  return false;
}

/**
 * Runs a start-up read of a CRM (who we are, the live schemas) again while it fails transiently:
 * a monday 500 or a Salesforce 503 at the moment the service starts must not stop it. Permanent
 * errors (a bad token, a missing board) are thrown at once; so is the last transient one after
 * two minutes, naming what was being read.
 */
export async function retryAtStart<T>(what: string, read: () => Promise<T>, logger: Logger, options: { totalMs?: number; sleep?: (ms: number) => Promise<void> } = {}): Promise<T> {
  const totalMs = options.totalMs ?? START_RETRY_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const elapsed = Date.now() - started;
      if (!isTransientCrmError(error) || elapsed >= totalMs) throw error;
      const hinted = error instanceof SalesforceError || error instanceof MondayError ? error.retryAfterMs : undefined;
      const delay = Math.min(hinted ?? 500 * 2 ** (attempt - 1), MAX_DELAY_MS, totalMs - elapsed);
      logger.warn({ attempt, retryInMs: delay, error: (error as Error).message }, `${what} failed transiently at start-up; trying again`);
      await sleep(delay);
    }
  }
}
