import type { Connection, TokenResponse } from 'jsforce';
import { counter, gauge } from '../../observability/metrics-registry';
import { SalesforceError } from '../salesforce.error';
import { toSalesforceError } from '../to-salesforce-error';
import type { AuthFlow, SessionTokens } from './auth-flows';

const refreshes = counter('crm_sync_salesforce_session_refreshes_total', 'Salesforce session refreshes by outcome', ['outcome']);
const healthyGauge = gauge('crm_sync_salesforce_session_healthy', '1 while the Salesforce session can be used, 0 after refreshing gave up');

export interface SessionRefreshOptions {
  /** Refreshes allowed without an authenticated API response in between (default 3). */
  maxAttempts?: number;
  /** After giving up, calls fail fast for this long before one more round is allowed (default 5 min). */
  cooldownMs?: number;
  now?: () => number;
}

type TokenListener = (accessToken: string) => void;

/**
 * jsforce re-sends a request after every "successful" refresh and retries 401s forever (reference
 * 0.3 and 1.5: about 970 request/refresh pairs in 2 s against a server that keeps answering 401).
 * This wraps the flow's refresh with a bound: `maxAttempts` refreshes without one authenticated
 * response in between, then it gives up, the session reports unhealthy and every call fails fast
 * with SESSION_EXPIRED until the cool-down has passed or `relogin()` succeeds.
 *
 * It is also the one place a new token is announced, so the CometD clients can replace their
 * `Authorization` header (reference 0.5).
 */
export class BoundedSessionRefresh {
  private attempts = 0;
  private gaveUp: { at: number; reason: string } | null = null;
  private inFlight: Promise<string> | null = null;
  /** The last refresh failure, translated (jsforce re-wraps it into a plain Error). */
  lastFailure: SalesforceError | null = null;
  private readonly listeners = new Set<TokenListener>();
  private readonly maxAttempts: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(
    private readonly flow: AuthFlow,
    private readonly conn: Connection,
    options: SessionRefreshOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.cooldownMs = options.cooldownMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
    healthyGauge.set(1);
  }

  /** The `refreshFn` handed to jsforce's Connection. */
  readonly refreshFn = (_conn: Connection, callback: (err: Error | null | undefined, token?: string, res?: TokenResponse) => void): void => {
    this.refresh().then(
      (token) => callback(null, token),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  };

  /** First session (or a fresh one after giving up). Resets the bound. */
  async login(): Promise<SessionTokens> {
    const tokens = await this.flow.login(this.conn);
    this.attempts = 0;
    this.gaveUp = null;
    healthyGauge.set(1);
    return tokens;
  }

  /**
   * A new access token now (REST 401 via jsforce, or the streaming client's 401). Concurrent callers
   * share one token request.
   */
  refresh(): Promise<string> {
    if (!this.inFlight) {
      this.inFlight = this.refreshOnce().finally(() => {
        this.inFlight = null;
      });
    }
    return this.inFlight;
  }

  /** Any API response other than 401 proves the current token works. */
  noteAuthenticatedResponse(): void {
    this.attempts = 0;
  }

  /** Throws SESSION_EXPIRED while giving up is in force (calls fail fast instead of hitting Salesforce). */
  assertUsable(): void {
    if (!this.gaveUp) return;
    if (this.now() - this.gaveUp.at >= this.cooldownMs) {
      this.gaveUp = null;
      this.attempts = 0;
      return;
    }
    throw this.expired(this.gaveUp.reason);
  }

  healthy(): boolean {
    return this.gaveUp === null;
  }

  reason(): string | null {
    return this.gaveUp?.reason ?? null;
  }

  onToken(listener: TokenListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async refreshOnce(): Promise<string> {
    this.assertUsable();
    if (this.attempts >= this.maxAttempts) {
      throw this.giveUp(`session refresh gave up: Salesforce kept answering 401 after ${this.attempts} refreshes`);
    }
    this.attempts += 1;
    let tokens: SessionTokens;
    try {
      tokens = await this.flow.refresh(this.conn);
    } catch (error) {
      refreshes.inc({ outcome: 'failed' });
      const translated = asExpired(toSalesforceError(error, { operation: 'refresh' }));
      this.lastFailure = translated;
      if (this.attempts >= this.maxAttempts) {
        throw this.giveUp(`session refresh gave up after ${this.attempts} attempts: ${translated.sfCode ?? translated.code} ${translated.message}`);
      }
      throw translated;
    }
    refreshes.inc({ outcome: 'refreshed' });
    this.lastFailure = null;
    this.conn.accessToken = tokens.accessToken;
    if (tokens.refreshToken) this.conn.refreshToken = tokens.refreshToken;
    for (const listener of this.listeners) listener(tokens.accessToken);
    return tokens.accessToken;
  }

  private giveUp(reason: string): SalesforceError {
    this.gaveUp = { at: this.now(), reason };
    refreshes.inc({ outcome: 'gave_up' });
    healthyGauge.set(0);
    this.lastFailure = this.expired(reason);
    return this.lastFailure;
  }

  private expired(reason: string): SalesforceError {
    return new SalesforceError({ code: 'SESSION_EXPIRED', sfCode: 'REFRESH_GAVE_UP', operation: 'refresh', message: reason });
  }
}

/** Mid-session, refused credentials (revoked refresh token, disabled user) mean the session is over. */
function asExpired(error: SalesforceError): SalesforceError {
  if (error.code !== 'AUTH_FAILED') return error;
  return new SalesforceError({ ...error.toJSON(), code: 'SESSION_EXPIRED' });
}
