import { randomBytes } from 'node:crypto';
import { Clock } from '../../clock';

export interface Session {
  userId: string;
  clientId: string;
  issuedAt: number;
  expiresAt: number;
}

/**
 * Access tokens (`00D…!AQ…`, never JWT-shaped: jsforce refuses SOAP calls with JWT tokens), refresh
 * tokens and authorization codes. Lifetime follows the emulated clock (reference 1.2: no expires_in,
 * default session timeout 2 h).
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, { userId: string; clientId: string }>();
  private readonly authCodes = new Map<string, { userId: string; clientId: string; redirectUri: string }>();

  constructor(
    private readonly clock: Clock,
    private readonly orgId: string,
    public tokenLifetimeMs: number,
  ) {}

  issue(userId: string, clientId: string): { accessToken: string; session: Session } {
    const issuedAt = this.clock.now();
    const accessToken = `${this.orgId.slice(0, 15)}!AQ${randomBytes(24).toString('base64url')}`;
    const session = { userId, clientId, issuedAt, expiresAt: issuedAt + this.tokenLifetimeMs };
    this.sessions.set(accessToken, session);
    return { accessToken, session };
  }

  /** The session of a live token; expired tokens are forgotten. O(1). */
  validate(token: string): Session | null {
    const s = this.sessions.get(token);
    if (!s) return null;
    if (this.clock.now() >= s.expiresAt) {
      this.sessions.delete(token);
      return null;
    }
    return s;
  }

  /** `Authorization: Bearer <t>` or `OAuth <t>` (CometD). */
  authenticate(header: string | undefined): Session | null {
    if (!header) return null;
    const m = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header);
    return m ? this.validate(m[1] as string) : null;
  }

  revoke(token: string): void {
    this.sessions.delete(token);
    this.refreshTokens.delete(token);
  }

  expireAll(): void {
    this.sessions.clear();
  }

  issueRefreshToken(userId: string, clientId: string): string {
    const token = `5Aep${randomBytes(32).toString('base64url')}`;
    this.refreshTokens.set(token, { userId, clientId });
    return token;
  }

  redeemRefreshToken(token: string): { userId: string; clientId: string } | undefined {
    return this.refreshTokens.get(token);
  }

  issueAuthCode(userId: string, clientId: string, redirectUri: string): string {
    const code = `aPrx${randomBytes(24).toString('base64url')}`;
    this.authCodes.set(code, { userId, clientId, redirectUri });
    return code;
  }

  redeemAuthCode(code: string): { userId: string; clientId: string; redirectUri: string } | undefined {
    const entry = this.authCodes.get(code);
    this.authCodes.delete(code);
    return entry;
  }
}
