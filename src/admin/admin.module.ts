import { Module, type DynamicModule } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { ADMIN_OPTIONS, type AdminOptions } from './admin-options';
import { AdminTokenGuard } from './admin-token.guard';
import { ParkedEventsController } from './parked-events.controller';

/** `imports: [AdminModule.forRoot({ db: runtime.pool, adminToken: config.adminToken })]` in the app module. */
@Module({})
export class AdminModule {
  static forRoot(options: AdminOptions): DynamicModule {
    return {
      module: AdminModule,
      controllers: [AdminController, ParkedEventsController],
      providers: [{ provide: ADMIN_OPTIONS, useValue: options }, AdminTokenGuard],
    };
  }
}
