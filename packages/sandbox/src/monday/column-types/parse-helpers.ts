import { columnValueError, correctedValue } from '../errors';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `null`, `""` and `{}` clear most column types (reference 5.1). */
export function isClearing(input: unknown): boolean {
  return input === null || input === undefined || input === '' || (isRecord(input) && Object.keys(input).length === 0);
}

export function requireRecord(input: unknown, internalType: string): Record<string, unknown> {
  if (!isRecord(input)) throw columnValueError(internalType, 'the value must be a JSON object', { column_value: input });
  return input;
}

export function requireString(record: Record<string, unknown>, key: string, internalType: string): string {
  const v = record[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw columnValueError(internalType, `"${key}" is missing or not a string`, { column_value: record });
}

export function unsupportedSimple(internalType: string): never {
  throw correctedValue(internalType);
}

export function splitList(simple: string): string[] {
  return simple
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function isValidDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

/** `HH:MM:SS` (or `HH:MM`), two-digit fields, no surrounding spaces: the documented form, read strictly. */
export function normaliseTime(time: string): string | null {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!m) return null;
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? '0')];
  if (h > 23 || min > 59 || s > 59) return null;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(h)}:${pad(min)}:${pad(s)}`;
}
