import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';

/**
 * GET /metrics. The logs are the service's pino logger: Nest's messages through NestPinoLogger
 * (nest-logger.ts), request lines through a Fastify hook (request-logging.ts), both set up by
 * createHttpApp on the Fastify instance rather than as Nest middleware, which would run on every
 * request, the webhook included.
 */
@Module({ controllers: [MetricsController] })
export class ObservabilityModule {}
