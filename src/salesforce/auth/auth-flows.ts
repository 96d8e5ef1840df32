import type { Connection, TokenResponse } from 'jsforce';
import type { SalesforceAuth } from '../../config/app-config';
import { SalesforceError } from '../salesforce.error';
import { signJwtAssertion } from './jwt-assertion';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The session material a login or refresh yields. */
export interface SessionTokens {
  accessToken: string;
  instanceUrl: string;
  /** Identity URL `…/id/<orgId>/<userId>` when the token endpoint returned one. */
  idUrl: string | null;
  /** Only the refresh-token flow has one (and only when rotation returns a new one). */
  refreshToken: string | null;
}

/**
 * One OAuth flow of interface.md section 1 (reference 1.1): how to get the first session and how to
 * get a new access token when Salesforce answers 401. For password, client credentials and JWT a
 * refresh is simply a new grant (none of them issues a refresh token, reference 1.2); the token flow
 * uses the refresh_token grant and cannot refresh without one.
 */
export interface AuthFlow {
  readonly name: SalesforceAuth['flow'];
  login(conn: Connection): Promise<SessionTokens>;
  refresh(conn: Connection): Promise<SessionTokens>;
}

export interface AuthFlowOptions {
  loginUrl: string;
  /** JWT `aud`; default: the origin of the login URL (login.salesforce.com, test.salesforce.com, or an emulator). */
  jwtAudience?: string;
  /** Clock for JWT `exp` (tests of emulated time). */
  now?: () => number;
}

export function authFlowFor(auth: SalesforceAuth, options: AuthFlowOptions): AuthFlow {
  switch (auth.flow) {
    case 'password': {
      const grant = (conn: Connection) => conn.oauth2.authenticate(auth.username, auth.password);
      return { name: 'password', login: async (conn) => tokens(await grant(conn)), refresh: async (conn) => tokens(await grant(conn)) };
    }
    case 'client_credentials': {
      // jsforce's requestToken adds client_id and client_secret from the connection's oauth2 config.
      const grant = (conn: Connection) => conn.oauth2.requestToken({ grant_type: 'client_credentials' });
      return { name: 'client_credentials', login: async (conn) => tokens(await grant(conn)), refresh: async (conn) => tokens(await grant(conn)) };
    }
    case 'jwt': {
      const audience = options.jwtAudience ?? new URL(options.loginUrl).origin;
      const grant = (conn: Connection) =>
        conn.oauth2.requestToken({
          grant_type: JWT_BEARER,
          assertion: signJwtAssertion({ clientId: auth.clientId, username: auth.username, audience, privateKey: auth.privateKey, now: options.now }),
        });
      return { name: 'jwt', login: async (conn) => tokens(await grant(conn)), refresh: async (conn) => tokens(await grant(conn)) };
    }
    case 'token':
      return tokenFlow(auth);
  }
}

function tokenFlow(auth: Extract<SalesforceAuth, { flow: 'token' }>): AuthFlow {
  let refreshToken = auth.refreshToken ?? null;
  return {
    name: 'token',
    // The session was established by the caller: nothing to request.
    login: async () => ({ accessToken: auth.accessToken, instanceUrl: auth.instanceUrl, idUrl: null, refreshToken }),
    refresh: async (conn) => {
      if (!refreshToken || !auth.clientId) {
        throw new SalesforceError({
          code: 'SESSION_EXPIRED',
          sfCode: 'NO_REFRESH_TOKEN',
          operation: 'refresh',
          message: 'the access token expired and no SALESFORCE_REFRESH_TOKEN (with SALESFORCE_CLIENT_ID) is configured to renew it',
        });
      }
      const next = tokens(await conn.oauth2.refreshToken(refreshToken));
      if (next.refreshToken) refreshToken = next.refreshToken;
      return next;
    },
  };
}

function tokens(res: TokenResponse): SessionTokens {
  return {
    accessToken: res.access_token,
    instanceUrl: res.instance_url,
    idUrl: typeof res.id === 'string' ? res.id : null,
    refreshToken: res.refresh_token ?? null,
  };
}
