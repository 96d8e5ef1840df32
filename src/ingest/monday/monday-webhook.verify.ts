import { createHash, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface WebhookAuthSettings {
  signingSecret: string | null;
  webhookToken: string | null;
  /** PUBLIC_URL + path: the JWT `aud` must equal it when PUBLIC_URL is set. */
  expectedAudience: string | null;
}

export type WebhookAuthResult =
  | { authenticated: true; method: 'jwt' | 'token' }
  | { authenticated: false; reason: 'missing_credentials' | 'invalid_jwt' | 'jwt_without_exp' | 'expired_jwt' | 'wrong_audience' | 'invalid_token' };

/**
 * interface.md section 3, step 2: a JWT in Authorization (raw or Bearer, HS256 with the signing
 * secret, exp enforced, aud checked when PUBLIC_URL is set), or `?token=` compared in constant time.
 */
export function verifyMondayWebhook(
  authorization: string | undefined,
  queryToken: string | undefined,
  settings: WebhookAuthSettings,
): WebhookAuthResult {
  if (authorization && settings.signingSecret) {
    const token = authorization.replace(/^Bearer\s+/i, '').trim();
    try {
      const claims = jwt.verify(token, secretKey(settings.signingSecret), {
        algorithms: ['HS256'],
        ...(settings.expectedAudience ? { audience: settings.expectedAudience } : {}),
      });
      // jsonwebtoken checks `exp` only when the token has one; a token without it would never expire.
      if (typeof claims === 'object' && typeof claims.exp === 'number') return { authenticated: true, method: 'jwt' };
      if (!queryToken) return { authenticated: false, reason: 'jwt_without_exp' };
    } catch (error) {
      if (!queryToken) return { authenticated: false, reason: jwtFailure(error) };
    }
  }
  if (queryToken !== undefined && settings.webhookToken) {
    return constantTimeEquals(queryToken, settings.webhookToken)
      ? { authenticated: true, method: 'token' }
      : { authenticated: false, reason: 'invalid_token' };
  }
  return { authenticated: false, reason: authorization || queryToken ? 'invalid_token' : 'missing_credentials' };
}

/**
 * jsonwebtoken given a string secret first tries it as a PEM public key and builds the secret key
 * from the thrown error, on every call: that was ~40% of the service's CPU under load (bench/ingest).
 * A KeyObject built once skips both.
 */
let cachedKey: { secret: string; key: KeyObject } | null = null;
function secretKey(secret: string): KeyObject {
  if (cachedKey?.secret !== secret) cachedKey = { secret, key: createSecretKey(Buffer.from(secret, 'utf8')) };
  return cachedKey.key;
}

function jwtFailure(error: unknown): 'invalid_jwt' | 'expired_jwt' | 'wrong_audience' {
  if (error instanceof jwt.TokenExpiredError) return 'expired_jwt';
  if (error instanceof jwt.JsonWebTokenError && /audience/.test(error.message)) return 'wrong_audience';
  return 'invalid_jwt';
}

/** Hashing first gives equal lengths, so timingSafeEqual never throws and length is not leaked. */
function constantTimeEquals(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
