import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { createMondayClient } from './index';
import type { MondayPort } from './monday.port';

/** Injection token of the monday client (a MondayPort). */
export const MONDAY_CLIENT = Symbol('MONDAY_CLIENT');

/** The monday client behind its port (MondayPort under MONDAY_CLIENT). Only this folder knows graphql-request. */
@Module({})
export class MondayModule {
  /** The client for the context's configuration (APP_CONFIG; sandbox mode's points at the emulator); MondayError UNAUTHORIZED when no token is configured. */
  static forAppConfig(): DynamicModule {
    return MondayModule.with({ provide: MONDAY_CLIENT, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createMondayClient(config.monday) });
  }

  /** A client already built (the service's, or sandbox mode's aimed at the emulator). */
  static forClient(client: MondayPort): DynamicModule {
    return MondayModule.with({ provide: MONDAY_CLIENT, useValue: client });
  }

  private static with(provider: Provider): DynamicModule {
    return { module: MondayModule, providers: [provider], exports: [MONDAY_CLIENT] };
  }
}
