import { Pool, type PoolConfig } from 'pg';
import type { Logger } from 'pino';

/**
 * A pg Pool on which no connection can crash the process. pg-pool listens for `error` only on idle
 * clients: a checked-out client whose backend goes away between two queries (a Postgres restart,
 * pg_terminate_backend, a failover) emits an `error` nobody handles, and Node exits. Here every
 * client gets a listener for its whole life; its pending or next query still fails to its caller,
 * release() then discards it, and the pool opens fresh connections once Postgres answers again.
 * The service's pool is the TypeORM DataSource's (see data-source.ts), built by the same two steps.
 */
export function createPool(config: PoolConfig, logger: Logger): Pool {
  const pool = new Pool(config);
  pool.on('error', idleConnectionLost(logger));
  attachClientErrorHandlers(pool, logger);
  return pool;
}

/** The pool's own `error` listener: an idle client lost its backend. */
export function idleConnectionLost(logger: Logger): (error: Error) => void {
  return (error) => logger.warn({ err: describeDatabaseError(error) }, 'idle Postgres connection lost; the pool reconnects on demand');
}

/** Gives every client the pool opens an `error` listener for its whole life (checked out or not). */
export function attachClientErrorHandlers(pool: Pool, logger: Logger): void {
  pool.on('connect', (client) => {
    client.on('error', (error) => logger.warn({ err: describeDatabaseError(error) }, 'Postgres connection in use lost; its work fails and is retried'));
  });
}

/**
 * What to log of a driver error: pg-pool attaches the client to it, and logging that object would
 * print the connection parameters (password included) and kilobytes of driver state.
 */
export function describeDatabaseError(error: unknown): { message: string; code?: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? { message: error.message, code } : { message: error.message };
}
