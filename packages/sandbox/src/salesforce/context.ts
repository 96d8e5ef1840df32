import { Clock } from '../clock';
import { SessionStore } from './auth/session-store';
import { KeyMaterial } from './auth/self-signed-certificate';
import type { CometdControl } from './cometd/register-cometd';
import { FaultInjector } from './control/fault-injector';
import { RequestLog } from './control/request-log';
import { ApiUsage } from './limits/api-usage';
import { SalesforceOrg } from './org';
import { QueryCursors } from './query/query-cursors';
import { Bulk2Jobs } from './bulk2/bulk2-jobs';

export interface EmulatorCredentials extends KeyMaterial {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

export interface BuiltInUsers {
  integrationUserId: string;
  adminUserId: string;
  automationUserId: string;
}

/** Everything the HTTP layer and the control API share. */
export interface EmulatorContext {
  clock: Clock;
  org: SalesforceOrg;
  sessions: SessionStore;
  usage: ApiUsage;
  faults: FaultInjector;
  requestLog: RequestLog;
  cursors: QueryCursors;
  bulk: Bulk2Jobs;
  credentials: EmulatorCredentials;
  users: BuiltInUsers;
  orgId: string;
  apiVersion: string;
  /** Origin of the emulator (login and instance URL); known once listening. */
  baseUrl: () => string;
  cometd: CometdControl | null;
}
