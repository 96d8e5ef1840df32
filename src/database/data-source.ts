import pg, { type Pool } from 'pg';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { DATABASE_ENTITIES } from './entities';
import { allMigrations } from './migrations';
import { attachClientErrorHandlers, idleConnectionLost } from './pool';
import { PinoTypeOrmLogger } from './typeorm-logger';
import { waitForDatabase } from './wait-for-database';

export interface DatabaseOptions {
  logger: Logger;
  /** Pool size; the service uses 20, a one-shot command a few. */
  max?: number;
  /** Shown in pg_stat_activity, e.g. "crm-sync backfill". */
  applicationName?: string;
  connectionTimeoutMillis?: number;
  keepAlive?: boolean;
}

/** The TypeORM table that records which migrations ran (schema_migrations keeps their checksums, see migrate.ts). */
export const MIGRATIONS_TABLE = 'typeorm_migrations';

/**
 * The one DataSource's options: Postgres, the schema only ever changed by migrations (`synchronize`
 * off), and a pg module whose Pool gives every client an `error` listener from its first
 * connection on (TypeORM checks a connection out inside its own createPool, before anyone could
 * attach a 'connect' listener from outside).
 */
export function dataSourceOptions(databaseUrl: string, options: DatabaseOptions): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: MIGRATIONS_TABLE,
    migrations: allMigrations(),
    entities: DATABASE_ENTITIES,
    logger: new PinoTypeOrmLogger(options.logger),
    poolErrorHandler: idleConnectionLost(options.logger),
    driver: pgWithClientErrorHandlers(options.logger),
    extra: {
      max: options.max ?? 10,
      application_name: options.applicationName ?? 'crm-sync',
      ...(options.connectionTimeoutMillis === undefined ? {} : { connectionTimeoutMillis: options.connectionTimeoutMillis }),
      ...(options.keepAlive === undefined ? {} : { keepAlive: options.keepAlive }),
    },
  };
}

/** The DataSource, not yet connected: `initialize()` it, or use openDataSource. Usable without Nest (CLI, tests, benches). */
export function createDataSource(databaseUrl: string, options: DatabaseOptions): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, options));
}

/**
 * Connects, waiting for a Postgres that is not up yet (see waitForDatabase) when `waitMs` is given;
 * returns the DataSource whose pool the explicit-SQL hot path shares (poolOf).
 */
export async function openDataSource(databaseUrl: string, options: DatabaseOptions & { waitMs?: number }): Promise<DataSource> {
  const dataSource = createDataSource(databaseUrl, options);
  const connect = async (): Promise<void> => {
    if (!dataSource.isInitialized) await dataSource.initialize();
  };
  if (options.waitMs === undefined) await connect();
  else await waitForDatabase({ query: connect }, { databaseUrl, timeoutMs: options.waitMs, logger: options.logger });
  registerPool(dataSource);
  return dataSource;
}

const dataSourcesByPool = new WeakMap<Pool, DataSource>();

/** The pg Pool the DataSource owns: the explicit-SQL hot path (append, reads, claim, projector batch) queries it. */
export function poolOf(dataSource: DataSource): Pool {
  if (!dataSource.isInitialized) throw new Error('poolOf: the DataSource is not initialized yet');
  return registerPool(dataSource);
}

/** The DataSource owning this pool, or undefined for a pool created on its own (benches). */
export function dataSourceOfPool(pool: Pool): DataSource | undefined {
  return dataSourcesByPool.get(pool);
}

/** A read through an entity was given a pool no DataSource owns (or a single client). */
export class NoDataSourceError extends Error {
  readonly code = 'NO_DATA_SOURCE';
  constructor() {
    super('this read goes through TypeORM entities: pass the pool of an initialized DataSource (openDataSource, then poolOf)');
    this.name = 'NoDataSourceError';
  }
}

/** The entity manager of the DataSource owning `db` (the pool the service and tests pass around). */
export function entityManagerOf(db: unknown): EntityManager {
  const dataSource = db instanceof DataSource ? db : dataSourcesByPool.get(db as Pool);
  if (!dataSource) throw new NoDataSourceError();
  return dataSource.manager;
}

function registerPool(dataSource: DataSource): Pool {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  dataSourcesByPool.set(pool, dataSource);
  return pool;
}

function pgWithClientErrorHandlers(logger: Logger): typeof pg {
  class ErrorHandlingPool extends pg.Pool {
    constructor(config?: pg.PoolConfig) {
      super(config);
      attachClientErrorHandlers(this, logger);
    }
  }
  return Object.create(pg, { Pool: { value: ErrorHandlingPool } }) as typeof pg;
}
