/**
 * Whether a failed batch may succeed unchanged later because the database, not the event, failed:
 * a lost or refused connection, a server shutting down, a deadlock or serialization conflict, a
 * lock or statement timeout, exhausted resources. Such a failure is retried; anything else that
 * one event alone reproduces is that event's fault and gets it parked.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^(08|40|53|57|58)/.test(code) || code === '55P03' || code === '25P03') return true;
    if (NETWORK_CODES.has(code)) return true;
  }
  return TRANSIENT_MESSAGES.some((pattern) => pattern.test(error.message));
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** node-postgres says these without a SQLSTATE. */
const TRANSIENT_MESSAGES = [
  /Connection terminated/i,
  /connection error/i,
  /timeout exceeded when trying to connect/i,
  /Client was closed and is not queryable/i,
  /Cannot use a pool after calling end/i,
];
