/** Web addresses as a Salesforce URL field holds them (often without a scheme) and monday's link column takes them. */
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The address with a scheme (https:// added when it has none), or undefined when it is not a web
 * address: spaces, no host, or a host that is neither a domain with a dot, localhost nor an IP.
 */
export function toHttpUrl(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || /\s/.test(trimmed)) return undefined;
  const withScheme = SCHEME.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const host = url.hostname;
  const hostOk = host === 'localhost' || /^\[.*\]$/.test(host) || /^[^.]+(\.[^.]+)+$/.test(host);
  return hostOk ? withScheme : undefined;
}

/** A comparable form: what the URL parser makes of it (scheme and host lower-case, "/" for an empty path). */
export function httpUrlKey(text: string): string | undefined {
  const url = toHttpUrl(text);
  return url === undefined ? undefined : new URL(url).href;
}
