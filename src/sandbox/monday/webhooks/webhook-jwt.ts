import jwt from 'jsonwebtoken';

/**
 * The JWT in a delivery's Authorization header (raw, no `Bearer`), HS256 with the signing secret
 * (reference 7.3). Claims follow the documented integration set without `shortLivedToken`; times are
 * emulated-clock seconds.
 */
export function signWebhookJwt(
  secret: string,
  claims: { accountId: number; userId: number; aud: string },
  nowMs: number,
  ttlSeconds: number,
): string {
  const iat = Math.floor(nowMs / 1000);
  return jwt.sign({ accountId: claims.accountId, userId: claims.userId, aud: claims.aud, iat, exp: iat + ttlSeconds }, secret, {
    algorithm: 'HS256',
  });
}
