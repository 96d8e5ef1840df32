import jwt from 'jsonwebtoken';

/** Salesforce accepts a short-lived assertion; three minutes is the usual value (reference 1.1). */
const ASSERTION_LIFETIME_SECONDS = 180;

export interface JwtAssertionInput {
  clientId: string;
  username: string;
  /** https://login.salesforce.com, https://test.salesforce.com, or a community URL. */
  audience: string;
  /** PEM of the key whose certificate is uploaded to the Connected App. */
  privateKey: string;
  now?: () => number;
}

/** The RS256 JWT bearer assertion: iss = consumer key, sub = username, aud, exp (reference 1.1). */
export function signJwtAssertion(input: JwtAssertionInput): string {
  const nowSeconds = Math.floor((input.now ?? Date.now)() / 1000);
  return jwt.sign(
    { iss: input.clientId, sub: input.username, aud: input.audience, exp: nowSeconds + ASSERTION_LIFETIME_SECONDS },
    normalizePem(input.privateKey),
    { algorithm: 'RS256' },
  );
}

/** Keys passed through one-line environment variables often carry literal `\n`. */
function normalizePem(pem: string): string {
  return pem.includes('\\n') && !pem.includes('\n') ? pem.replace(/\\n/g, '\n') : pem;
}
