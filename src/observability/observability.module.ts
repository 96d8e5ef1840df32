import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { loggingModule } from './logging.module';
import { MetricsController } from './metrics.controller';

/** Logs (nestjs-pino over the service logger, pino-http request lines) and GET /metrics. */
@Module({})
export class ObservabilityModule {
  /** `unloggedPosts`: hot POST routes that get no request line (see loggingModule). */
  static forRoot(logger: Logger, unloggedPosts: readonly string[] = []): DynamicModule {
    const logging = loggingModule(logger, unloggedPosts);
    return { module: ObservabilityModule, imports: [logging], controllers: [MetricsController], exports: [logging] };
  }
}
