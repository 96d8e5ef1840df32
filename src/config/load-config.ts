import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { CronTime, validateCronExpression } from 'cron';
import type { AppConfig, SalesforceAuth } from './app-config';
import { ConfigError } from './config.error';
import { EnvironmentVariables, SECRET_VARIABLES } from './config.schema';
import { parseKeyEncryptionKey } from './parse-key-encryption-key';

type Env = Record<string, string | undefined>;

const KNOWN_VARIABLES = Object.keys(new EnvironmentVariables()).concat(
  // optional properties have no initialiser, so list them explicitly
  [
    'DATABASE_URL', 'MONDAY_API_TOKEN', 'MONDAY_SIGNING_SECRET', 'MONDAY_WEBHOOK_TOKEN', 'PUBLIC_URL',
    'SALESFORCE_INSTANCE_URL', 'SALESFORCE_CLIENT_ID', 'SALESFORCE_CLIENT_SECRET', 'SALESFORCE_USERNAME',
    'SALESFORCE_PASSWORD', 'SALESFORCE_PRIVATE_KEY', 'SALESFORCE_PRIVATE_KEY_FILE', 'SALESFORCE_ACCESS_TOKEN',
    'SALESFORCE_REFRESH_TOKEN', 'ADMIN_TOKEN', 'ALERT_WEBHOOK_URL', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_CHAT_ID',
    'RECONCILE_SCHEDULE', 'PII_ENCRYPTION_KEY', 'PII_ENCRYPTION_KEY_FILE', 'PII_ENCRYPTION_KEY_PREVIOUS',
  ],
);

/**
 * Parts of a monday or Salesforce login. Any of them without the id or token that selects production
 * is a partial configuration (interface.md section 1), an error rather than a silent sandbox.
 */
const PARTIAL_CREDENTIALS = [
  'SALESFORCE_CLIENT_SECRET', 'SALESFORCE_PASSWORD', 'SALESFORCE_PRIVATE_KEY', 'SALESFORCE_PRIVATE_KEY_FILE',
  'SALESFORCE_INSTANCE_URL', 'MONDAY_SIGNING_SECRET', 'MONDAY_WEBHOOK_TOKEN',
] as const satisfies ReadonlyArray<keyof EnvironmentVariables>;

/**
 * Builds the one validated configuration object from the environment. The only reader of
 * process.env in the service. Reports every problem at once, by variable name, never by value.
 * `overrides` win over the environment (sandbox mode points the service at its emulators).
 */
export function loadConfig(env: Env = process.env, overrides: Env = {}): AppConfig {
  const raw: Env = {};
  for (const name of new Set(KNOWN_VARIABLES)) {
    const value = overrides[name] ?? env[name];
    if (value !== undefined && value.trim() !== '') raw[name] = value.trim();
  }
  const vars = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const problems = validateSync(vars, { stopAtFirstError: true, validationError: { target: false, value: false } }).flatMap(describe);

  const mondayCredentials = Boolean(vars.MONDAY_API_TOKEN);
  const salesforceCredentials = Boolean(
    vars.SALESFORCE_CLIENT_ID || vars.SALESFORCE_USERNAME || vars.SALESFORCE_ACCESS_TOKEN || vars.SALESFORCE_REFRESH_TOKEN,
  );
  const mode = mondayCredentials || salesforceCredentials ? 'production' : 'sandbox';
  let salesforceAuth: SalesforceAuth | null = null;
  const partial = PARTIAL_CREDENTIALS.filter((name) => vars[name] !== undefined);
  if (mode === 'sandbox' && partial.length > 0) {
    problems.push(
      `${partial.join(', ')} ${partial.length === 1 ? 'is' : 'are'} set without MONDAY_API_TOKEN and SALESFORCE_CLIENT_ID (or SALESFORCE_USERNAME / SALESFORCE_ACCESS_TOKEN): ` +
        'set both sides\' credentials for production, or unset these for sandbox mode',
    );
  }
  if (mode === 'production') {
    if (!mondayCredentials) problems.push('MONDAY_API_TOKEN is required: Salesforce credentials are set, monday ones are not (sandbox mode needs neither)');
    if (!salesforceCredentials) problems.push('SALESFORCE_CLIENT_ID is required: monday credentials are set, Salesforce ones are not (sandbox mode needs neither)');
    if (!vars.MONDAY_SIGNING_SECRET && !vars.MONDAY_WEBHOOK_TOKEN) {
      problems.push('MONDAY_SIGNING_SECRET or MONDAY_WEBHOOK_TOKEN is required to authenticate monday webhooks');
    }
    if (salesforceCredentials) salesforceAuth = salesforceAuthFrom(vars, problems);
  }
  if (Boolean(vars.TELEGRAM_BOT_TOKEN) !== Boolean(vars.TELEGRAM_CHAT_ID)) {
    problems.push('TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID must be set together');
  }
  if (vars.RECONCILE_SCHEDULE !== undefined) {
    if (!validateCronExpression(vars.RECONCILE_SCHEDULE).valid) {
      problems.push('RECONCILE_SCHEDULE is not a valid cron expression: give five fields (six with seconds) or a name, e.g. "30 2 * * *" for 02:30 every day, or @daily');
    } else if (!firesSometime(vars.RECONCILE_SCHEDULE)) {
      problems.push('RECONCILE_SCHEDULE never fires (no date matches it, e.g. February 31st): give a day that exists, e.g. "30 2 * * *" for 02:30 every day');
    }
  }
  const personalData = personalDataKeysFrom(vars, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    mode,
    databaseUrl: vars.DATABASE_URL ?? null,
    databaseWaitMs: vars.DATABASE_WAIT_SECONDS * 1000,
    http: { port: vars.PORT, host: vars.HOST, publicUrl: vars.PUBLIC_URL ?? null },
    syncConfigPath: vars.SYNC_CONFIG,
    monday: {
      apiUrl: vars.MONDAY_API_URL,
      apiToken: vars.MONDAY_API_TOKEN ?? null,
      apiVersion: vars.MONDAY_API_VERSION,
      signingSecret: vars.MONDAY_SIGNING_SECRET ?? null,
      webhookToken: vars.MONDAY_WEBHOOK_TOKEN ?? null,
      dailyCallLimit: vars.MONDAY_DAILY_CALL_LIMIT ?? null,
    },
    salesforce: {
      loginUrl: vars.SALESFORCE_LOGIN_URL,
      apiVersion: vars.SALESFORCE_API_VERSION,
      clientName: vars.SALESFORCE_CLIENT_NAME,
      auth: salesforceAuth,
      bulkQueryTimeoutMs: vars.SALESFORCE_BULK_QUERY_TIMEOUT_MINUTES * 60_000,
    },
    adminToken: vars.ADMIN_TOKEN ?? null,
    logLevel: vars.LOG_LEVEL,
    alerts: {
      webhookUrl: vars.ALERT_WEBHOOK_URL ?? null,
      telegram: vars.TELEGRAM_BOT_TOKEN && vars.TELEGRAM_CHAT_ID ? { botToken: vars.TELEGRAM_BOT_TOKEN, chatId: vars.TELEGRAM_CHAT_ID } : null,
    },
    reconcile: { schedule: vars.RECONCILE_SCHEDULE ?? null, fix: vars.RECONCILE_FIX === 'true' },
    userDirectoryRefreshMs: vars.USER_DIRECTORY_REFRESH_MINUTES * 60_000,
    personalData: personalData.config,
    secretValues: [...secretValuesOf(vars, salesforceAuth), ...personalData.secrets],
  };
}

function salesforceAuthFrom(vars: EnvironmentVariables, problems: string[]): SalesforceAuth | null {
  const { SALESFORCE_CLIENT_ID: clientId, SALESFORCE_CLIENT_SECRET: clientSecret, SALESFORCE_USERNAME: username } = vars;
  if (vars.SALESFORCE_ACCESS_TOKEN || vars.SALESFORCE_REFRESH_TOKEN) {
    if (!vars.SALESFORCE_INSTANCE_URL) problems.push('SALESFORCE_INSTANCE_URL is required with SALESFORCE_ACCESS_TOKEN or SALESFORCE_REFRESH_TOKEN');
    if (!vars.SALESFORCE_ACCESS_TOKEN && !clientId) problems.push('SALESFORCE_CLIENT_ID is required to use SALESFORCE_REFRESH_TOKEN without an access token');
    return {
      flow: 'token',
      accessToken: vars.SALESFORCE_ACCESS_TOKEN ?? '',
      refreshToken: vars.SALESFORCE_REFRESH_TOKEN,
      instanceUrl: vars.SALESFORCE_INSTANCE_URL ?? '',
      clientId,
      clientSecret,
    };
  }
  if (!clientId) {
    problems.push('SALESFORCE_CLIENT_ID is required (Connected App consumer key)');
    return null;
  }
  if (vars.SALESFORCE_PRIVATE_KEY || vars.SALESFORCE_PRIVATE_KEY_FILE) {
    if (!username) problems.push('SALESFORCE_USERNAME is required for the JWT bearer flow');
    const source = vars.SALESFORCE_PRIVATE_KEY ? 'SALESFORCE_PRIVATE_KEY' : 'SALESFORCE_PRIVATE_KEY_FILE';
    const privateKey = vars.SALESFORCE_PRIVATE_KEY ?? readKeyFile(vars.SALESFORCE_PRIVATE_KEY_FILE as string, problems);
    if (privateKey !== null) checkPrivateKey(source, privateKey, problems);
    return { flow: 'jwt', clientId, username: username ?? '', privateKey: privateKey ?? '' };
  }
  if (!clientSecret) {
    problems.push('SALESFORCE_CLIENT_SECRET is required (or SALESFORCE_PRIVATE_KEY for the JWT bearer flow)');
    return null;
  }
  if (username || vars.SALESFORCE_PASSWORD) {
    if (!username) problems.push('SALESFORCE_USERNAME is required with SALESFORCE_PASSWORD');
    if (!vars.SALESFORCE_PASSWORD) problems.push('SALESFORCE_PASSWORD is required with SALESFORCE_USERNAME (append the security token if the org asks for one)');
    return { flow: 'password', clientId, clientSecret, username: username ?? '', password: vars.SALESFORCE_PASSWORD ?? '' };
  }
  return { flow: 'client_credentials', clientId, clientSecret };
}

function readKeyFile(path: string, problems: string[]): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    problems.push(`SALESFORCE_PRIVATE_KEY_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
    return null;
  }
}

/** The JWT bearer flow signs with this key: a value that is not a PEM private key fails here, not at the first login. */
function checkPrivateKey(variable: string, pem: string, problems: string[]): void {
  try {
    createPrivateKey(pem);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push(
      `${variable} is not a PEM private key (expected a block starting "-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----"${code ? `; ${code}` : ''})`,
    );
  }
}

/**
 * PII_ENCRYPTION_KEY or PII_ENCRYPTION_KEY_FILE (not both), each base64 of 32 bytes; problems name
 * the variable and the length found, never the value.
 */
function personalDataKeysFrom(vars: EnvironmentVariables, problems: string[]): { config: AppConfig['personalData']; secrets: string[] } {
  const off = { config: null, secrets: [] };
  if (vars.PII_ENCRYPTION_KEY && vars.PII_ENCRYPTION_KEY_FILE) {
    problems.push('PII_ENCRYPTION_KEY and PII_ENCRYPTION_KEY_FILE are both set: set one of them');
    return off;
  }
  let text: string | undefined = vars.PII_ENCRYPTION_KEY;
  const variable = vars.PII_ENCRYPTION_KEY_FILE ? 'PII_ENCRYPTION_KEY_FILE' : 'PII_ENCRYPTION_KEY';
  if (vars.PII_ENCRYPTION_KEY_FILE) {
    try {
      text = readFileSync(vars.PII_ENCRYPTION_KEY_FILE, 'utf8');
    } catch (error) {
      problems.push(`PII_ENCRYPTION_KEY_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
      return off;
    }
  }
  if (text === undefined) {
    if (vars.PII_ENCRYPTION_KEY_PREVIOUS) problems.push('PII_ENCRYPTION_KEY_PREVIOUS is set without PII_ENCRYPTION_KEY (or PII_ENCRYPTION_KEY_FILE): the previous key only helps to rotate to a new one');
    return off;
  }
  const key = parseKeyEncryptionKey(variable, text);
  const previous = vars.PII_ENCRYPTION_KEY_PREVIOUS ? parseKeyEncryptionKey('PII_ENCRYPTION_KEY_PREVIOUS', vars.PII_ENCRYPTION_KEY_PREVIOUS) : null;
  for (const parsed of [key, previous]) if (parsed && !Buffer.isBuffer(parsed)) problems.push(parsed.message);
  if (!Buffer.isBuffer(key) || (previous !== null && !Buffer.isBuffer(previous))) return off;
  return { config: { key, previousKey: previous }, secrets: [text.trim(), ...(vars.PII_ENCRYPTION_KEY_PREVIOUS ? [vars.PII_ENCRYPTION_KEY_PREVIOUS] : [])] };
}

/** A cron that is valid syntax can still match no date at all ("0 0 31 2 *"); the cron library then fails at start. */
function firesSometime(schedule: string): boolean {
  try {
    new CronTime(schedule).sendAt();
    return true;
  } catch {
    return false;
  }
}

function describe(error: ValidationError): string[] {
  return Object.values(error.constraints ?? {}).map((message) =>
    message.startsWith(error.property) ? message : `${error.property} ${message}`,
  );
}

/**
 * Every secret variable's value, and the parts of them that can be echoed on their own: the
 * password inside DATABASE_URL (as written and decoded; a driver or a log names the URL without
 * it, or the password without the URL), and each base64 line of a PEM private key.
 */
function secretValuesOf(vars: EnvironmentVariables, auth: SalesforceAuth | null): string[] {
  const values: string[] = SECRET_VARIABLES.map((name) => vars[name]).filter((v): v is string => typeof v === 'string');
  if (auth?.flow === 'jwt') values.push(auth.privateKey);
  if (vars.DATABASE_URL) values.push(...urlPassword(vars.DATABASE_URL));
  for (const pem of [vars.SALESFORCE_PRIVATE_KEY, auth?.flow === 'jwt' ? auth.privateKey : undefined]) values.push(...pemBodyLines(pem));
  return [...new Set(values)].filter((v) => v.length >= 4);
}

function urlPassword(url: string): string[] {
  try {
    const password = new URL(url).password;
    if (!password) return [];
    let decoded = password;
    try {
      decoded = decodeURIComponent(password);
    } catch {
      // a malformed escape: the password as written is all there is
    }
    return [password, decoded];
  } catch {
    return [];
  }
}

/** The base64 lines between a PEM's BEGIN and END lines (the 16-character minimum keeps out short tails). */
function pemBodyLines(pem: string | undefined): string[] {
  if (!pem) return [];
  return pem
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= 16 && !line.startsWith('-----'));
}
