import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';

const url = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };
const postgresUrl = { require_tld: false, require_protocol: true, protocols: ['postgres', 'postgresql'] };
// One message per variable, whichever of its checks fails (not one per failed decorator).
const port = { message: 'PORT must be a whole number from 0 to 65535' };
const dailyCallLimit = { message: 'MONDAY_DAILY_CALL_LIMIT must be a whole number of calls from 1 to 10000000 (your plan: Basic/Standard 1000, Pro 10000, Enterprise 25000)' };
const bulkQueryTimeout = { message: 'SALESFORCE_BULK_QUERY_TIMEOUT_MINUTES must be a whole number of minutes from 1 to 1440' };
const databaseWait = { message: 'DATABASE_WAIT_SECONDS must be a whole number of seconds from 1 to 3600' };
const userDirectoryRefresh = { message: 'USER_DIRECTORY_REFRESH_MINUTES must be a whole number of minutes from 0 (off) to 1440' };

/**
 * Every environment variable of interface.md section 1, typed and defaulted. Property names are the
 * variable names so a validation problem names the variable the user must fix.
 */
export class EnvironmentVariables {
  @IsOptional() @IsUrl(postgresUrl) DATABASE_URL?: string;
  /** How long start-up waits for a Postgres that is down or still starting before it gives up. */
  @Type(() => Number) @IsInt(databaseWait) @Min(1, databaseWait) @Max(3600, databaseWait) DATABASE_WAIT_SECONDS = 60;
  @Type(() => Number) @IsInt(port) @Min(0, port) @Max(65535, port) PORT = 3000;
  @IsString() HOST = '127.0.0.1';
  @IsString() SYNC_CONFIG = './crm-sync.yaml';

  @IsUrl(url) MONDAY_API_URL = 'https://api.monday.com/v2';
  @IsOptional() @IsString() MONDAY_API_TOKEN?: string;
  @Matches(/^\d{4}-\d{2}$/, { message: 'must look like 2026-10' }) MONDAY_API_VERSION = '2026-10';
  @IsOptional() @IsString() MONDAY_SIGNING_SECRET?: string;
  @IsOptional() @IsString() MONDAY_WEBHOOK_TOKEN?: string;
  /** The account's daily call allocation, for the 80% warning when monday's API analytics cannot be read. */
  @IsOptional() @Type(() => Number) @IsInt(dailyCallLimit) @Min(1, dailyCallLimit) @Max(10_000_000, dailyCallLimit) MONDAY_DAILY_CALL_LIMIT?: number;
  @IsOptional() @IsUrl(url) PUBLIC_URL?: string;

  @IsUrl(url) SALESFORCE_LOGIN_URL = 'https://login.salesforce.com';
  @IsOptional() @IsUrl(url) SALESFORCE_INSTANCE_URL?: string;
  @IsOptional() @IsString() SALESFORCE_CLIENT_ID?: string;
  @IsOptional() @IsString() SALESFORCE_CLIENT_SECRET?: string;
  @IsOptional() @IsString() SALESFORCE_USERNAME?: string;
  @IsOptional() @IsString() SALESFORCE_PASSWORD?: string;
  @IsOptional() @IsString() SALESFORCE_PRIVATE_KEY?: string;
  @IsOptional() @IsString() SALESFORCE_PRIVATE_KEY_FILE?: string;
  @IsOptional() @IsString() SALESFORCE_ACCESS_TOKEN?: string;
  @IsOptional() @IsString() SALESFORCE_REFRESH_TOKEN?: string;
  @Matches(/^\d{2,3}\.0$/, { message: 'must look like 62.0' }) SALESFORCE_API_VERSION = '62.0';
  @Matches(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'must be 1-40 letters, digits, dots, dashes or underscores' })
  SALESFORCE_CLIENT_NAME = 'crm-sync';
  /** How long a backfill waits for a Bulk API 2.0 query job (a large object's query runs for minutes). */
  @Type(() => Number) @IsInt(bulkQueryTimeout) @Min(1, bulkQueryTimeout) @Max(1440, bulkQueryTimeout) SALESFORCE_BULK_QUERY_TIMEOUT_MINUTES = 120;

  @IsOptional() @IsString() ADMIN_TOKEN?: string;
  @IsIn(['debug', 'info', 'warn', 'error']) LOG_LEVEL: 'debug' | 'info' | 'warn' | 'error' = 'info';
  @IsOptional() @IsUrl(url) ALERT_WEBHOOK_URL?: string;
  @IsOptional() @IsString() TELEGRAM_BOT_TOKEN?: string;
  @IsOptional() @IsString() TELEGRAM_CHAT_ID?: string;

  /** Cron of the scheduled reconcile (checked in load-config.ts with the `cron` package); unset: off. */
  @IsOptional() @IsString() RECONCILE_SCHEDULE?: string;
  @IsIn(['true', 'false'], { message: 'RECONCILE_FIX must be true or false' }) RECONCILE_FIX: 'true' | 'false' = 'false';
  /** How often each instance reads both CRMs' user lists again (people <-> owner by e-mail); 0: only at start. */
  @Type(() => Number) @IsInt(userDirectoryRefresh) @Min(0, userDirectoryRefresh) @Max(1440, userDirectoryRefresh) USER_DIRECTORY_REFRESH_MINUTES = 60;

  /** Key-encryption key of personal data (base64 of 32 bytes; checked in load-config.ts); unset: stored in clear. */
  @IsOptional() @IsString() PII_ENCRYPTION_KEY?: string;
  @IsOptional() @IsString() PII_ENCRYPTION_KEY_FILE?: string;
  /** The key before `crm-sync keys rotate`: data keys it wrapped are still readable, and rotate rewraps them. */
  @IsOptional() @IsString() PII_ENCRYPTION_KEY_PREVIOUS?: string;
}

/** Variables whose values must never be printed, logged or stored. */
export const SECRET_VARIABLES = [
  'MONDAY_API_TOKEN',
  'MONDAY_SIGNING_SECRET',
  'MONDAY_WEBHOOK_TOKEN',
  'SALESFORCE_CLIENT_SECRET',
  'SALESFORCE_PASSWORD',
  'SALESFORCE_PRIVATE_KEY',
  'SALESFORCE_ACCESS_TOKEN',
  'SALESFORCE_REFRESH_TOKEN',
  'ADMIN_TOKEN',
  'TELEGRAM_BOT_TOKEN',
  'DATABASE_URL',
  'PII_ENCRYPTION_KEY',
  'PII_ENCRYPTION_KEY_PREVIOUS',
] as const satisfies ReadonlyArray<keyof EnvironmentVariables>;
