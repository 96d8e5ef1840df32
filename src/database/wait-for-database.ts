import type { Logger } from 'pino';
import { describeDatabaseError } from './pool';

/** Postgres did not answer at start-up within the bounded wait, or refused us for good. */
export class DatabaseUnavailableError extends Error {
  readonly code = 'DATABASE_UNAVAILABLE';
  constructor(
    message: string,
    /** DATABASE_URL without its password. */
    readonly target: string,
    readonly reason: { message: string; code?: string },
  ) {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

export interface WaitForDatabaseOptions {
  /** The connection string, shown without its password. */
  databaseUrl: string;
  /** How long a server that is down (or still starting) is waited for before giving up. */
  timeoutMs: number;
  logger: Logger;
  /** The first retry delay; doubles up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** Anything that answers `SELECT 1` once Postgres is up: a pg Pool, or a DataSource's first connect. */
export interface DatabaseProbe {
  query(sql: string): Promise<unknown>;
}

/**
 * Start-up: waits for Postgres to answer, so the service and its database may start in any order
 * (a container platform starts both at once). A server that refuses connections, is still starting
 * (57P03) or is unreachable is retried with backoff for `timeoutMs`; a server that answers with a
 * definite "no" (bad password, no such database) fails at once, since waiting cannot fix that.
 */
export async function waitForDatabase(pool: DatabaseProbe, options: WaitForDatabaseOptions): Promise<void> {
  const target = redactDatabaseUrl(options.databaseUrl);
  const deadline = Date.now() + options.timeoutMs;
  let delay = options.initialDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      await pool.query('SELECT 1');
      if (attempt > 1) options.logger.info({ target, attempts: attempt }, 'Postgres at DATABASE_URL answers now');
      return;
    } catch (error) {
      const cause = describeDatabaseError(error);
      if (!isTransient(cause.code)) {
        throw new DatabaseUnavailableError(`DATABASE_URL: Postgres at ${target} refused the connection: ${cause.message}`, target, cause);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const seconds = Math.round(options.timeoutMs / 1000);
        throw new DatabaseUnavailableError(
          `DATABASE_URL: Postgres at ${target} did not answer within ${seconds} s (${cause.message}); check that the server is running and DATABASE_URL points at it`,
          target,
          cause,
        );
      }
      options.logger.warn({ target, attempt, err: cause, retryInMs: Math.min(delay, remaining) }, 'Postgres at DATABASE_URL is not reachable yet; retrying');
      await new Promise((resolve) => setTimeout(resolve, Math.min(delay, remaining)));
      delay = Math.min(delay * 2, options.maxDelayMs ?? 5_000);
    }
  }
}

/** Network errors, and Postgres classes 08 (connection exception), 57P (shutting down / starting), 53 (resources). */
function isTransient(code: string | undefined): boolean {
  if (code === undefined) return true; // "Connection terminated unexpectedly", timeouts
  return /^(E[A-Z]+|08...|57P0[1-4]|53...)$/.test(code);
}

/** postgres://user:secret@host:5432/db -> postgres://user@host:5432/db; unparseable: a placeholder. */
export function redactDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    url.password = '';
    return url.toString();
  } catch {
    return '(DATABASE_URL, unparseable)';
  }
}
