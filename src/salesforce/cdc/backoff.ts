export interface BackoffOptions {
  /** First delay (default 1 s). */
  initialMs?: number;
  /** Largest delay (default 60 s). */
  maxMs?: number;
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so many instances
 * reconnecting after the same outage do not hit Salesforce in lockstep.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialMs ?? 1000;
  const max = options.maxMs ?? 60_000;
  const exponential = Math.min(max, initial * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
