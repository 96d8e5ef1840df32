import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { parse as parseCookie, serialize as serializeCookie } from 'cookie';
import type { Queryable } from '../event-store/queryable';

export const SESSION_COOKIE = 'crm_sync_console';
/** Before sign-in: the form's CSRF token is also kept in this cookie (double submit). */
export const SIGN_IN_COOKIE = 'crm_sync_console_signin';

export interface ConsoleSession {
  csrfToken: string;
  expiresAt: Date;
}

/** Server-side sessions in console_sessions (migration 0007), keyed by a hash of the random id in the cookie. */
export class ConsoleSessions {
  constructor(
    private readonly db: Queryable,
    private readonly ttlMs: number,
  ) {}

  async create(): Promise<{ id: string; session: ConsoleSession }> {
    const id = randomToken();
    const session = { csrfToken: randomToken(), expiresAt: new Date(Date.now() + this.ttlMs) };
    await this.db.query('DELETE FROM console_sessions WHERE expires_at < now()');
    await this.db.query('INSERT INTO console_sessions (id_hash, csrf_token, expires_at) VALUES ($1, $2, $3)', [hashOf(id), session.csrfToken, session.expiresAt]);
    return { id, session };
  }

  async find(id: string | undefined): Promise<ConsoleSession | null> {
    if (!id) return null;
    const { rows } = await this.db.query<{ csrf_token: string; expires_at: Date }>(
      'SELECT csrf_token, expires_at FROM console_sessions WHERE id_hash = $1 AND expires_at > now()',
      [hashOf(id)],
    );
    return rows[0] ? { csrfToken: rows[0].csrf_token, expiresAt: rows[0].expires_at } : null;
  }

  async destroy(id: string | undefined): Promise<void> {
    if (id) await this.db.query('DELETE FROM console_sessions WHERE id_hash = $1', [hashOf(id)]);
  }
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Constant-time equality of two secrets of any length (compares their hashes). */
export function secretsMatch(presented: string | undefined, expected: string): boolean {
  if (!presented || !expected) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  return header ? parseCookie(header)[name] : undefined;
}

/** HttpOnly, SameSite=Strict, scoped to /console; an empty value with maxAge 0 clears it. */
export function sessionCookie(name: string, value: string, options: { maxAgeSeconds: number; secure: boolean }): string {
  return serializeCookie(name, value, { httpOnly: true, sameSite: 'strict', path: '/console', maxAge: options.maxAgeSeconds, secure: options.secure });
}
