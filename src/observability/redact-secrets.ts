/**
 * Removes anything shaped like a credential from a message: Salesforce session ids
 * (`00D…!…`), `Bearer`/`OAuth` header values, refresh tokens and `oauth_token=` query parameters.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+/g, '[redacted-token]')
    .replace(/\b(Bearer|OAuth)\s+[A-Za-z0-9!._~+/=-]+/gi, '$1 [redacted]')
    .replace(/([?&](?:oauth_token|access_token|refresh_token|client_secret|assertion|password)=)[^&\s]+/gi, '$1[redacted]')
    .replace(/\b5Aep[A-Za-z0-9._-]{20,}/g, '[redacted-token]');
}
