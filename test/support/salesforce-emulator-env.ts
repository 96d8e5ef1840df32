import type { SalesforceEmulator } from '@crm-sync/sandbox';

/** The environment of a service that talks to this Salesforce emulator only (monday unused). */
export function salesforceOnlyEnv(emulator: SalesforceEmulator): Record<string, string> {
  return {
    SALESFORCE_LOGIN_URL: emulator.url,
    SALESFORCE_CLIENT_ID: emulator.credentials.clientId,
    SALESFORCE_CLIENT_SECRET: emulator.credentials.clientSecret,
    SALESFORCE_USERNAME: emulator.credentials.username,
    SALESFORCE_PASSWORD: emulator.credentials.password,
    MONDAY_API_TOKEN: 'unused',
    MONDAY_WEBHOOK_TOKEN: 'unused',
  };
}
