/**
 * What a parsed webhook may carry that JSON allows but Postgres or `Date` cannot store: checked
 * before the append so one such payload is a 400 naming the field, never a failed INSERT (which
 * would also fail every webhook batched into the same statement).
 *
 * - jsonb and text refuse U+0000 and lone UTF-16 surrogates (JSON's `\u0000`, `\ud800`);
 * - jsonb (and our recursive readers) have a nesting limit far below what 1 MiB of JSON can build;
 * - a number JSON writes past 1.8e308 parses as Infinity and would be stored as null;
 * - `changedAt` and `triggerTime` become the event's timestamptz: outside years 1970-9999 `Date`
 *   or Postgres refuses them.
 */
export const MAX_PAYLOAD_DEPTH = 64;
const MAX_PROBLEMS = 10;
/** 1970-01-01 up to (not including) 10000-01-01, in milliseconds. */
const LATEST_TIME_MS = Date.UTC(10000, 0, 1);

// eslint-disable-next-line no-control-regex -- U+0000 is exactly what this looks for
const UNSTORABLE_CHARACTER = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_CHARACTERS = new RegExp(UNSTORABLE_CHARACTER.source, 'g');
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** One message per problem (`event.<path>: <what>`), at most ten; empty when storable. */
export function storabilityProblems(event: Record<string, unknown>): string[] {
  const problems: string[] = [];
  walk(event, 'event', 1, problems);
  problems.push(...timeProblems(event));
  return problems.slice(0, MAX_PROBLEMS);
}

function walk(value: unknown, path: string, depth: number, problems: string[]): void {
  if (problems.length >= MAX_PROBLEMS) return;
  if (typeof value === 'string') {
    if (UNSTORABLE_CHARACTER.test(value)) problems.push(`${path}: contains U+0000 or a lone UTF-16 surrogate, which cannot be stored`);
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) problems.push(`${path}: number is out of range`);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth >= MAX_PAYLOAD_DEPTH) {
    problems.push(`${path}: nested ${MAX_PAYLOAD_DEPTH} or more levels deep`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((element, index) => walk(element, `${path}[${index}]`, depth + 1, problems));
    return;
  }
  for (const key of Object.keys(value)) {
    const child = pathOf(path, key);
    if (UNSTORABLE_CHARACTER.test(key)) problems.push(`${child}: key contains U+0000 or a lone UTF-16 surrogate, which cannot be stored`);
    walk((value as Record<string, unknown>)[key], child, depth + 1, problems);
  }
}

function timeProblems(event: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const { changedAt, triggerTime } = event;
  if (typeof changedAt === 'number' && Number.isFinite(changedAt) && !inRange(changedAt * 1000)) {
    problems.push('event.changedAt: must be Unix epoch seconds between 1970 and 9999');
  }
  if (typeof triggerTime === 'string' && !(ISO_TIMESTAMP.test(triggerTime) && inRange(Date.parse(triggerTime)))) {
    problems.push('event.triggerTime: must be an ISO 8601 timestamp between 1970 and 9999');
  }
  return problems;
}

function inRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0 && ms < LATEST_TIME_MS;
}

function pathOf(parent: string, key: string): string {
  // JSON.stringify escapes U+0000 and lone surrogates, so the path itself is always storable.
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/**
 * Text made storable for audit: U+0000 and lone surrogates written as their `\uXXXX` escapes, so
 * a refused body is kept (legibly) instead of failing the insert that records it.
 */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
