import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { createMondayClient } from './index';
import type { MondayPort } from './monday.port';

/** Injection token of the monday client (a MondayPort). */
export const MONDAY_CLIENT = Symbol('MONDAY_CLIENT');

/** The monday client behind its port (MondayPort under MONDAY_CLIENT). Only this folder knows graphql-request. */
@Module({})
export class MondayModule {
  /** The client for MONDAY_API_TOKEN (MondayError UNAUTHORIZED when none is configured). */
  static forConfig(config: AppConfig['monday']): DynamicModule {
    return MondayModule.with({ provide: MONDAY_CLIENT, useFactory: () => createMondayClient(config) });
  }

  /** A client already built (the service's, or sandbox mode's aimed at the emulator). */
  static forClient(client: MondayPort): DynamicModule {
    return MondayModule.with({ provide: MONDAY_CLIENT, useValue: client });
  }

  private static with(provider: Provider): DynamicModule {
    return { module: MondayModule, providers: [provider], exports: [MONDAY_CLIENT] };
  }
}
