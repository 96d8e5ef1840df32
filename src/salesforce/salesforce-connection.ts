import { Connection } from 'jsforce';
import type { AppConfig, SalesforceAuth } from '../config/app-config';
import { authFlowFor, type AuthFlowOptions, type SessionTokens } from './auth/auth-flows';
import { BoundedSessionRefresh, type SessionRefreshOptions } from './auth/bounded-session-refresh';
import { SalesforceError } from './salesforce.error';

export interface ConnectionSetup {
  conn: Connection;
  session: BoundedSessionRefresh;
}

/**
 * Builds the jsforce Connection for one configured auth flow (reference 9.2):
 * - API version pinned from config (jsforce defaults to 50.0, reference 0.2),
 * - `callOptions: { client }`: jsforce writes `Sforce-Call-Options: client=<name>` on every request
 *   it sends through HttpApi.beforeSend (REST, Bulk 2.0, SOAP; it joins several options with ", ",
 *   which is why only `client` is set, reference 11), and SOAP calls also get it in their CallOptions
 *   header,
 * - our bounded `refreshFn` for every flow (reference 0.3, 0.4).
 * `conn.login()` is never used: it would install its own unbounded refresh delegate.
 */
export function buildConnection(config: AppConfig['salesforce'], auth: SalesforceAuth, options: Omit<AuthFlowOptions, 'loginUrl'> & { refresh?: SessionRefreshOptions }): ConnectionSetup {
  const flow = authFlowFor(auth, { ...options, loginUrl: config.loginUrl });
  const ready: { session?: BoundedSessionRefresh } = {};
  const conn = new Connection({
    loginUrl: config.loginUrl,
    version: config.apiVersion,
    oauth2: {
      loginUrl: config.loginUrl,
      clientId: 'clientId' in auth ? auth.clientId : undefined,
      clientSecret: 'clientSecret' in auth ? auth.clientSecret : undefined,
    },
    callOptions: { client: config.clientName },
    logLevel: 'NONE',
    refreshFn: (c, callback) => {
      if (!ready.session) return callback(new Error('session not ready'));
      ready.session.refreshFn(c, callback);
    },
    ...(auth.flow === 'token' ? { instanceUrl: auth.instanceUrl, accessToken: auth.accessToken } : {}),
  });
  const session = new BoundedSessionRefresh(flow, conn, options.refresh);
  ready.session = session;
  return { conn, session };
}

/** Makes the tokens of a login the connection's session (what jsforce's authorize() does). */
export function establish(conn: Connection, tokens: SessionTokens): void {
  conn._establish({
    instanceUrl: tokens.instanceUrl,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken ?? undefined,
    userInfo: userInfoFrom(tokens.idUrl),
  });
}

function userInfoFrom(idUrl: string | null): { id: string; organizationId: string; url: string } | undefined {
  if (!idUrl) return undefined;
  const parts = idUrl.split('/');
  const id = parts.pop();
  const organizationId = parts.pop();
  return id && organizationId ? { id, organizationId, url: idUrl } : undefined;
}

export function requireAuth(config: AppConfig['salesforce']): SalesforceAuth {
  if (config.auth) return config.auth;
  throw new SalesforceError({
    code: 'AUTH_FAILED',
    sfCode: 'NO_CREDENTIALS',
    operation: 'login',
    message: 'no Salesforce credentials configured (SALESFORCE_CLIENT_ID/SECRET, JWT key, or access token)',
  });
}
