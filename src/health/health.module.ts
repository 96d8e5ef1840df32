import { Module, type DynamicModule } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthRegistry } from '../observability/health-registry';

/** GET /health over the registry every part adds its check to (exported: the parts register there). */
@Module({})
export class HealthModule {
  static forRoot(registry: HealthRegistry): DynamicModule {
    return { module: HealthModule, controllers: [HealthController], providers: [{ provide: HealthRegistry, useValue: registry }], exports: [HealthRegistry] };
  }
}
