const REDACTED = '[redacted]';

/**
 * `value` with every configured secret (tokens, passwords) cut out of its strings, at any depth. A
 * CRM's error message may echo what it was sent or where it was sent from; a failure is stored in the
 * event log, the outbox and dead letters, which keep nothing secret. Secrets shorter than 4
 * characters are not looked for (as in the logger: they would cut ordinary words).
 */
export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
  const sorted = secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  if (sorted.length === 0) return value;
  const scrub = (v: unknown): unknown => {
    if (typeof v === 'string') return sorted.reduce((text, secret) => text.split(secret).join(REDACTED), v);
    if (Array.isArray(v)) return v.map(scrub);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, scrub(inner)]));
    return v;
  };
  return scrub(value) as T;
}
