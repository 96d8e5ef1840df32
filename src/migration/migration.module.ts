import { Module, type DynamicModule } from '@nestjs/common';
import { MigrationSchedulesService, type MigrationSchedulesOptions } from './migration-schedules.service';

/** Backfill, catch-up, reconcile and replay; in a running service, their schedules (MigrationSchedulesService). */
@Module({})
export class MigrationModule {
  static forRoot(options: MigrationSchedulesOptions): DynamicModule {
    return {
      module: MigrationModule,
      providers: [{ provide: MigrationSchedulesService, useFactory: () => new MigrationSchedulesService(options) }],
      exports: [MigrationSchedulesService],
    };
  }
}
