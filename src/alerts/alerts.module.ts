import { Module, type DynamicModule } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { OperationalAlertsService, type AlertsModuleOptions } from './operational-alerts.service';

/**
 * The operational alerts and API usage sampling of a running sync (OperationalAlertsService). The
 * snapshot they read is given by the composition root, which knows the parts it watches.
 */
@Module({})
export class AlertsModule {
  static forRoot(options: AlertsModuleOptions): DynamicModule {
    return {
      module: AlertsModule,
      providers: [
        {
          provide: OperationalAlertsService,
          inject: [ModuleRef],
          useFactory: (moduleRef: ModuleRef) => new OperationalAlertsService(options, (token) => moduleRef.get(token, { strict: false })),
        },
      ],
      exports: [OperationalAlertsService],
    };
  }
}
