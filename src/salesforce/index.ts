import type { AppConfig } from '../config/app-config';
import { JsforceSalesforceClient, type SalesforceClientOptions } from './jsforce-salesforce.client';
import { buildConnection, requireAuth } from './salesforce-connection';

export type * from './salesforce.port';
export { SalesforceError, isSalesforceError, redactSecrets } from './salesforce.error';
export type { SalesforceErrorCode, SalesforceErrorContext, SalesforceErrorDetails, SalesforceOperation } from './salesforce.error';
export { toSalesforceError } from './to-salesforce-error';
export { JsforceSalesforceClient } from './jsforce-salesforce.client';
export type { SalesforceClientOptions } from './jsforce-salesforce.client';
export type { StreamingSession } from './streaming-session';
export type { ApiBudgetOptions } from './api-usage-tracker';
export type { SessionRefreshOptions } from './auth/bounded-session-refresh';

/**
 * The Salesforce client for the configured auth flow, logged in. Rejects with SalesforceError
 * AUTH_FAILED when the credentials are refused (or absent), TRANSIENT when the login URL is unreachable.
 */
export async function createSalesforceClient(config: AppConfig['salesforce'], options: SalesforceClientOptions = {}): Promise<JsforceSalesforceClient> {
  const auth = requireAuth(config);
  const { conn, session } = buildConnection(config, auth, { jwtAudience: options.jwtAudience, now: options.now, refresh: options.refresh });
  const bulk = { timeoutMs: config.bulkQueryTimeoutMs, ...options.bulk };
  const client = new JsforceSalesforceClient(conn, session, { ...options, bulk });
  await client.login();
  return client;
}

export type * from './cdc/change-event-stream.port';
export { createChangeEventStream, FayeChangeEventStream } from './cdc/faye-change-event-stream';
export type { ChangeEventStreamOptions } from './cdc/faye-change-event-stream';
export type { BackoffOptions } from './cdc/backoff';
