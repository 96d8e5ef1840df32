import type { AddressInfo } from 'node:net';
import { Clock, ScaledClock } from '../clock';
import { registerOAuthRoutes } from './auth/oauth-routes';
import { SessionStore } from './auth/session-store';
import { generateKeyMaterial, KeyMaterial } from './auth/self-signed-certificate';
import { Bulk2Jobs } from './bulk2/bulk2-jobs';
import { registerBulk2Routes } from './bulk2/bulk2-routes';
import { ChangeEventLog } from './cometd/change-event-log';
import { InMemoryChangeEventLog } from './cometd/in-memory-change-event-log';
import { CometdOptions, registerCometd } from './cometd/register-cometd';
import { EmulatorContext, EmulatorCredentials } from './context';
import { registerControlRoutes } from './control/control-routes';
import { FaultInjector } from './control/fault-injector';
import { RequestLog } from './control/request-log';
import { SalesforceControl } from './control/salesforce-control';
import { loadStateFile, saveStateFile } from './emulator-state-file';
import { registerCompositeRoutes } from './http/composite-routes';
import { createEmulatorApp } from './http/emulator-app';
import { registerQueryRoutes } from './http/query-routes';
import { registerSObjectRoutes } from './http/sobject-routes';
import { to18 } from './ids/salesforce-id';
import { ApiUsage } from './limits/api-usage';
import { DEFAULT_CDC_ENTITIES, SalesforceOrg } from './org';
import { QueryCursors } from './query/query-cursors';
import { createBuiltInUsers, INTEGRATION_USERNAME } from './seed/built-in-users';
import { seedDemoOrg } from './seed/demo-org';
import { registerSoapRoutes } from './soap/soap-routes';

export { seedDemoOrg } from './seed/demo-org';
export { SalesforceControl } from './control/salesforce-control';
export type { SeedRecord, HumanEditOptions } from './control/salesforce-control';
export type { FaultSpec, FaultKind } from './control/fault-injector';
export type { RequestLogEntry } from './control/request-log';
export type { AutomationRule } from './cdc/automation-rules';
export type { EmulatorCredentials } from './context';
export { to18, normalizeId } from './ids/salesforce-id';

export interface SalesforceEmulatorOptions {
  /** Port to listen on (0, the default, picks a free one). */
  port?: number;
  host?: string;
  clock?: Clock;
  /** Newest API version served and the one used in changeOrigin for version-less calls (default 62.0). */
  apiVersion?: string;
  /** Daily API request allocation (default 15 000, a Developer Edition org). */
  dailyApiLimit?: number;
  /** Emulated lifetime of an access token (default 2 hours). */
  tokenLifetimeMs?: number;
  cometd?: CometdOptions;
  /** Override the generated connected app / user credentials. */
  credentials?: Partial<EmulatorCredentials>;
  /** JSON file the state is loaded from (if present) and saved to (on close and about once a second after writes). */
  persistPath?: string;
  /** 'demo' seeds the nonprofit demo org on first start; 'empty' (default) only the built-in users. */
  seed?: 'demo' | 'empty';
  /** The event log (default: an InMemoryChangeEventLog on `clock` with 72 h retention). */
  changeEventLog?: ChangeEventLog;
  /** Emulated retention of change events when the default log is used. */
  eventRetentionMs?: number;
  /** Objects with Change Data Capture enabled (default Lead, Contact, Account, Opportunity, Grant__c). */
  cdcEntities?: string[];
  /**
   * Records per Bulk 2.0 query results page when the client gives no maxRecords. Default: every row in
   * one page, as Salesforce "returns as many rows as can be listed" (reference 4.1); set it to exercise
   * Sforce-Locator paging without maxRecords.
   */
  bulkQueryPageSize?: number;
}

export interface SalesforceEmulator {
  /** Login URL and instance URL (same origin), e.g. http://127.0.0.1:40123. */
  url: string;
  credentials: EmulatorCredentials;
  orgId: string;
  integrationUserId: string;
  adminUserId: string;
  automationUserId: string;
  /** The org's change event log (what CometD delivers). */
  changeEventLog: ChangeEventLog;
  control: SalesforceControl;
  close(): Promise<void>;
}

const ORG_ID = to18('00DHs0000001XyZ');
let cachedKeys: KeyMaterial | undefined;

export async function startSalesforceEmulator(options: SalesforceEmulatorOptions = {}): Promise<SalesforceEmulator> {
  const clock = options.clock ?? new ScaledClock();
  const log = options.changeEventLog ?? new InMemoryChangeEventLog(clock, options.eventRetentionMs);
  const org = new SalesforceOrg(clock, log, options.cdcEntities ?? DEFAULT_CDC_ENTITIES);
  const keys = options.credentials?.privateKeyPem ? undefined : (cachedKeys ??= generateKeyMaterial());
  const credentials: EmulatorCredentials = {
    clientId: '3MVG9sandbox.crm-sync.emulator.client',
    clientSecret: 'sandbox-client-secret',
    username: INTEGRATION_USERNAME,
    password: 'sandbox-password',
    privateKeyPem: keys?.privateKeyPem ?? '',
    publicKeyPem: keys?.publicKeyPem ?? '',
    certificatePem: keys?.certificatePem ?? '',
    ...options.credentials,
  };
  const saved = options.persistPath ? loadStateFile(options.persistPath) : undefined;
  let users;
  if (saved) {
    org.restore(saved.org);
    users = saved.users;
  } else {
    users = createBuiltInUsers(org, credentials.username);
  }
  org.automationUserId = users.automationUserId;

  let baseUrl = '';
  const ctx: EmulatorContext = {
    clock,
    org,
    sessions: new SessionStore(clock, ORG_ID, options.tokenLifetimeMs ?? 2 * 3600_000),
    usage: new ApiUsage(clock, options.dailyApiLimit ?? 15_000),
    faults: new FaultInjector(),
    requestLog: new RequestLog(),
    cursors: new QueryCursors(clock),
    bulk: new Bulk2Jobs(clock, options.bulkQueryPageSize ?? Number.POSITIVE_INFINITY),
    credentials,
    users,
    orgId: ORG_ID,
    apiVersion: options.apiVersion ?? '62.0',
    baseUrl: () => baseUrl,
    cometd: null,
  };
  const app = createEmulatorApp(ctx);
  registerOAuthRoutes(app, ctx);
  registerSObjectRoutes(app, ctx);
  registerQueryRoutes(app, ctx);
  registerCompositeRoutes(app, ctx);
  registerBulk2Routes(app, ctx);
  registerSoapRoutes(app, ctx);
  registerControlRoutes(app, ctx);
  ctx.cometd = registerCometd(
    app,
    {
      log,
      clock,
      authenticate: (authorization) => {
        const session = ctx.sessions.authenticate(authorization);
        return session ? { userId: session.userId } : null;
      },
      cdcEntities: () => org.cdcEnabledEntities(),
    },
    options.cometd,
  );

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  baseUrl = `http://${host}:${address.port}`;

  const control = new SalesforceControl(ctx);
  const emulator: SalesforceEmulator = {
    url: baseUrl,
    credentials,
    orgId: ORG_ID,
    integrationUserId: users.integrationUserId,
    adminUserId: users.adminUserId,
    automationUserId: users.automationUserId,
    changeEventLog: log,
    control,
    close: async () => {
      clearInterval(persistTimer);
      stopDirty();
      persist();
      await app.close();
    },
  };

  let dirty = false;
  const persistPath = options.persistPath;
  const persist = () => {
    if (!persistPath || !dirty) return;
    dirty = false;
    saveStateFile(persistPath, { org: org.snapshot(), users });
  };
  const stopDirty = org.onWrite(() => {
    dirty = true;
  });
  const persistTimer = setInterval(persist, 1000);
  persistTimer.unref();

  if (!saved && options.seed === 'demo') {
    seedDemoOrg(emulator);
    dirty = true;
    persist();
  }
  return emulator;
}
