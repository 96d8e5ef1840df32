import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startMondayEmulator, type MondayEmulator, type MondayEmulatorOptions } from './monday';
import { startSalesforceEmulator, type SalesforceEmulator } from './salesforce';

export interface SandboxEnvironment {
  salesforce: SalesforceEmulator;
  monday: MondayEmulator;
  /** The interface.md section 1 variables that point a crm-sync at these emulators. */
  variables: Record<string, string>;
  close(): Promise<void>;
}

export interface SandboxOptions {
  salesforcePort?: number;
  mondayPort?: number;
  /** Keep demo data across restarts (JSON files in this folder); unset: in memory only. */
  stateDir?: string;
  seed?: 'demo' | 'empty';
  /** monday emulator settings a test varies (the integration user's role, the analytics refresh). */
  monday?: Pick<MondayEmulatorOptions, 'integrationUserIsAdmin' | 'dailyAnalyticsRefreshMs'>;
}

/**
 * Both emulators on loopback, seeded with the demo org and demo boards: what `npm start` uses when
 * no credentials are set, and what `crm-sync sandbox` runs on its own.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxEnvironment> {
  const seed = options.seed ?? 'demo';
  if (options.stateDir) mkdirSync(options.stateDir, { recursive: true });
  const state = (name: string) => (options.stateDir ? resolve(options.stateDir, name) : undefined);
  const salesforce = await startSalesforceEmulator({ port: options.salesforcePort ?? 0, seed, persistPath: state('salesforce.json') });
  const monday = await startMondayEmulator({ ...options.monday, port: options.mondayPort ?? 0, seed, persistPath: state('monday.json') });
  const variables = {
    SALESFORCE_LOGIN_URL: salesforce.url,
    SALESFORCE_CLIENT_ID: salesforce.credentials.clientId,
    SALESFORCE_CLIENT_SECRET: salesforce.credentials.clientSecret,
    SALESFORCE_USERNAME: salesforce.credentials.username,
    SALESFORCE_PASSWORD: salesforce.credentials.password,
    MONDAY_API_URL: monday.url,
    MONDAY_API_TOKEN: monday.apiToken,
    MONDAY_SIGNING_SECRET: monday.signingSecret,
  };
  return {
    salesforce,
    monday,
    variables,
    close: async () => {
      await Promise.all([salesforce.close(), monday.close()]);
    },
  };
}
