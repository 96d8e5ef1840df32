import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { createSalesforceClient } from './index';
import { JsforceSalesforceClient } from './jsforce-salesforce.client';

/**
 * The Salesforce client behind its port (SalesforcePort, implemented by JsforceSalesforceClient, its
 * own injection token). Only this folder knows jsforce and faye.
 */
@Module({})
export class SalesforceModule {
  /** Logs in with the context's configuration (APP_CONFIG; sandbox mode's points at the emulator) while the context is built (SalesforceError AUTH_FAILED or TRANSIENT). */
  static forAppConfig(): DynamicModule {
    return SalesforceModule.with({ provide: JsforceSalesforceClient, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createSalesforceClient(config.salesforce) });
  }

  /** A client already logged in (the service logs in before Nest starts; sandbox mode aims it at the emulator). */
  static forClient(client: JsforceSalesforceClient): DynamicModule {
    return SalesforceModule.with({ provide: JsforceSalesforceClient, useValue: client });
  }

  private static with(provider: Provider): DynamicModule {
    return { module: SalesforceModule, providers: [provider], exports: [JsforceSalesforceClient] };
  }
}
