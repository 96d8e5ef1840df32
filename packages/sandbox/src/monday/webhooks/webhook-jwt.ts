import { createHmac } from 'node:crypto';

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/**
 * The JWT in a delivery's Authorization header (raw, no `Bearer`), HS256 with the signing secret
 * (reference 7.3). Claims follow the documented integration set without `shortLivedToken`; times are
 * emulated-clock seconds. Signed with a plain HMAC: jsonwebtoken's sign builds a KeyObject per call
 * (about 0.5 ms), which capped webhook throughput; the output is the same standard JWT.
 */
export function signWebhookJwt(
  secret: string,
  claims: { accountId: number; userId: number; aud: string },
  nowMs: number,
  ttlSeconds: number,
): string {
  const iat = Math.floor(nowMs / 1000);
  const payload = Buffer.from(JSON.stringify({ accountId: claims.accountId, userId: claims.userId, aud: claims.aud, iat, exp: iat + ttlSeconds })).toString(
    'base64url',
  );
  const signature = createHmac('sha256', secret).update(`${HEADER}.${payload}`).digest('base64url');
  return `${HEADER}.${payload}.${signature}`;
}
