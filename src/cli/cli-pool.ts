import type { Pool } from 'pg';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../database/data-source';
import { createPool } from '../database/pool';
import { createLogger, type Logger } from '../observability/logger';

export interface CliPoolOptions {
  max: number;
  /** Shown in pg_stat_activity, e.g. "crm-sync backfill". */
  applicationName: string;
  secretValues: readonly string[];
  /** Where connection warnings go; default: stderr, so a command's stdout (`reconcile --json`) stays its own. */
  logger?: Logger;
}

/**
 * The Postgres pool of a one-shot command: like the service's, a dropped connection fails the
 * command's query instead of crashing the process with an unhandled `error` event.
 */
export function cliPool(databaseUrl: string, options: CliPoolOptions): Pool {
  const logger = options.logger ?? createLogger({ level: 'warn', secretValues: options.secretValues, destination: pino.destination(2) });
  return createPool({ connectionString: databaseUrl, max: options.max, application_name: options.applicationName }, logger);
}

/** Like cliPool, as the TypeORM DataSource owning the pool (poolOf gives the pool). */
export function cliDataSource(databaseUrl: string, options: CliPoolOptions): Promise<DataSource> {
  const logger = options.logger ?? createLogger({ level: 'warn', secretValues: options.secretValues, destination: pino.destination(2) });
  return openDataSource(databaseUrl, { logger, max: options.max, applicationName: options.applicationName });
}
