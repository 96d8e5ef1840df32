import { Module, type DynamicModule } from '@nestjs/common';
import type { SandboxOptions } from '@crm-sync/sandbox';
import { APP_CONFIG } from '../config';
import { sandboxConfig } from './sandbox-config';
import { SandboxEmulators } from './sandbox-emulators';
import { SANDBOX_ENDPOINTS, type SandboxEndpoints } from './sandbox-endpoints';

export interface SandboxModeOptions {
  emulators: SandboxOptions;
  /** The admin token generated for this run, used when ADMIN_TOKEN is not set. */
  generatedAdminToken: string | null;
}

/**
 * Sandbox mode (no CRM credentials): the emulators run in this process (SandboxEmulators), and the
 * context's configuration (APP_CONFIG) points the Salesforce and monday modules at them.
 */
@Module({})
export class SandboxModeModule {
  static forRoot(options: SandboxModeOptions): DynamicModule {
    return {
      module: SandboxModeModule,
      providers: [
        { provide: SandboxEmulators, useFactory: () => SandboxEmulators.start(options.emulators) },
        { provide: SANDBOX_ENDPOINTS, inject: [SandboxEmulators], useFactory: (emulators: SandboxEmulators) => emulators.endpoints },
        { provide: APP_CONFIG, inject: [SANDBOX_ENDPOINTS], useFactory: (endpoints: SandboxEndpoints) => sandboxConfig(endpoints, options.generatedAdminToken) },
      ],
      exports: [SANDBOX_ENDPOINTS, APP_CONFIG],
    };
  }
}
