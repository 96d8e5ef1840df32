import { Module, type DynamicModule } from '@nestjs/common';
import { ConsoleController } from './console.controller';
import { CONSOLE_OPTIONS, type ConsoleOptions } from './console-options';

/** `imports: [ConsoleModule.forRoot({...})]` in the app module: the operator console at /console. */
@Module({})
export class ConsoleModule {
  static forRoot(options: ConsoleOptions): DynamicModule {
    return { module: ConsoleModule, controllers: [ConsoleController], providers: [{ provide: CONSOLE_OPTIONS, useValue: options }] };
  }
}
