import { Module, type DynamicModule } from '@nestjs/common';
import { SyncProjectorService, type SyncProjectorServiceOptions } from './sync-projector-service';

/** The projectors of a running service: today the sync projector (SyncProjectorService). */
@Module({})
export class ProjectorsModule {
  static forRoot(options: SyncProjectorServiceOptions): DynamicModule {
    return {
      module: ProjectorsModule,
      providers: [{ provide: SyncProjectorService, useFactory: () => new SyncProjectorService(options) }],
      exports: [SyncProjectorService],
    };
  }
}
