/**
 * Calendar dates and instants with UTC APIs only (Date.UTC, getUTC*), so nothing depends on the
 * machine's time zone: a date-only value never shifts by a day.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** `YYYY-MM-DD` that exists in the calendar, else undefined. */
export function parseDate(text: string): CalendarDate | undefined {
  const match = DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isRealDate(year, month, day) ? { year, month, day } : undefined;
}

export function formatDate(date: CalendarDate): string {
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** An ISO-8601 date-time with an explicit offset (Z, +0000, +02:00) -> epoch milliseconds. */
export function parseInstant(text: string): number | undefined {
  const match = INSTANT.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(match[i]));
  const second = Number(match[6] ?? '0');
  const millis = Number((match[7] ?? '0').padEnd(3, '0').slice(0, 3));
  if (!isRealDate(year!, month!, day!) || hour! > 23 || minute! > 59 || second > 59) return undefined;
  const zone = match[8]!;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 18 || minutes > 59) return undefined;
    offsetMinutes = sign * (hours * 60 + minutes);
  }
  return utcMillis({ year: year!, month: month!, day: day! }, hour!, minute!, second, millis) - offsetMinutes * 60_000;
}

/** `HH:MM[:SS]` -> seconds since midnight. */
export function parseTime(text: string): number | undefined {
  const match = TIME.exec(text);
  if (!match) return undefined;
  const [hour, minute, second] = [Number(match[1]), Number(match[2]), Number(match[3] ?? '0')];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return hour * 3600 + minute * 60 + second;
}

export function utcMillis(date: CalendarDate, hour = 0, minute = 0, second = 0, millis = 0): number {
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const result = new Date(Date.UTC(2000, date.month - 1, date.day, hour, minute, second, millis));
  result.setUTCFullYear(date.year);
  return result.getTime();
}

export function utcDateOf(millis: number): CalendarDate {
  const d = new Date(millis);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** `HH:MM:SS` of the instant in UTC. */
export function utcTimeOf(millis: number): string {
  const d = new Date(millis);
  return `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
}

/** Salesforce's REST form: `2026-06-15T09:00:00.000+0000`. */
export function formatSalesforceDateTime(millis: number): string {
  const d = new Date(millis);
  return `${formatDate(utcDateOf(millis))}T${utcTimeOf(millis)}.${pad(d.getUTCMilliseconds(), 3)}+0000`;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) return false;
  const back = utcDateOf(utcMillis({ year, month, day }));
  return back.year === year && back.month === month && back.day === day;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
