/** The validated configuration the rest of the service reads (never process.env). */
export type SalesforceAuth =
  | { flow: 'password'; clientId: string; clientSecret: string; username: string; password: string }
  | { flow: 'jwt'; clientId: string; username: string; privateKey: string }
  | { flow: 'client_credentials'; clientId: string; clientSecret: string }
  | { flow: 'token'; accessToken: string; refreshToken?: string; instanceUrl: string; clientId?: string; clientSecret?: string };

export interface AppConfig {
  /** sandbox: no credentials at all, the built-in emulators are started and used. */
  mode: 'production' | 'sandbox';
  databaseUrl: string | null;
  /** DATABASE_WAIT_SECONDS: how long start-up retries a Postgres that does not answer. */
  databaseWaitMs: number;
  http: { port: number; host: string; publicUrl: string | null };
  syncConfigPath: string;
  monday: {
    apiUrl: string;
    apiToken: string | null;
    apiVersion: string;
    signingSecret: string | null;
    webhookToken: string | null;
    /** MONDAY_DAILY_CALL_LIMIT: the account's calls per UTC day; null: read from monday's API analytics if allowed. */
    dailyCallLimit?: number | null;
  };
  salesforce: {
    loginUrl: string;
    apiVersion: string;
    clientName: string;
    auth: SalesforceAuth | null;
    /** SALESFORCE_BULK_QUERY_TIMEOUT_MINUTES: how long a Bulk API 2.0 query job may run (default 120 min). */
    bulkQueryTimeoutMs?: number;
  };
  adminToken: string | null;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  alerts: { webhookUrl: string | null; telegram: { botToken: string; chatId: string } | null };
  /** The scheduled reconcile: a cron (in the mapping's timeZone), null when off; fix: append the repairs too. */
  reconcile: { schedule: string | null; fix: boolean };
  /** USER_DIRECTORY_REFRESH_MINUTES: how often each instance reads both user lists again (default 60 min); 0: only at start. */
  userDirectoryRefreshMs: number;
  /**
   * PII_ENCRYPTION_KEY (or the content of PII_ENCRYPTION_KEY_FILE): the key-encryption key of
   * personal data, null when encryption is off; previousKey: PII_ENCRYPTION_KEY_PREVIOUS.
   */
  personalData: { key: Buffer; previousKey: Buffer | null } | null;
  /** The secret values themselves, so log redaction can find them wherever they appear. */
  secretValues: string[];
}
