import type { Logger as PinoLogger } from 'pino';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's messages through the service's pino logger. Queries are not logged (the hot path runs
 * thousands a second); a failing query is logged at debug only, since its caller gets the error and
 * decides what it means.
 */
export class PinoTypeOrmLogger implements TypeOrmLogger {
  constructor(private readonly logger: PinoLogger) {}

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    this.logger.debug({ component: 'typeorm', query, err: { message: error instanceof Error ? error.message : error } }, 'query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ component: 'typeorm', query, ms: time }, 'slow query');
  }

  logSchemaBuild(message: string): void {
    this.logger.debug({ component: 'typeorm' }, message);
  }

  logMigration(message: string): void {
    this.logger.info({ component: 'typeorm' }, message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn({ component: 'typeorm' }, String(message));
    else this.logger.debug({ component: 'typeorm' }, String(message));
  }
}
