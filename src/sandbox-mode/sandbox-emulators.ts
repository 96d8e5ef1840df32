import type { OnApplicationShutdown } from '@nestjs/common';
import { startSandbox, type SandboxEnvironment, type SandboxOptions } from '@crm-sync/sandbox';
import type { SandboxEndpoints } from './sandbox-endpoints';

/**
 * Both emulators of sandbox mode, in this process. They are started while the context is built
 * (`start`, an async factory) rather than in onModuleInit, because the configuration and the CRM
 * clients are providers built from their endpoints before any init hook runs; they stop when the
 * context closes.
 */
export class SandboxEmulators implements OnApplicationShutdown {
  private constructor(private readonly environment: SandboxEnvironment) {}

  static async start(options: SandboxOptions): Promise<SandboxEmulators> {
    return new SandboxEmulators(await startSandbox(options));
  }

  get endpoints(): SandboxEndpoints {
    return {
      salesforceUrl: this.environment.salesforce.url,
      mondayUrl: this.environment.monday.url.replace(/\/v2$/, ''),
      variables: { ...this.environment.variables },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.environment.close();
  }
}
