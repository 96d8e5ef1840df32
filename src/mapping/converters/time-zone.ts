import { utcDateOf, utcMillis, type CalendarDate } from './date-time';

/**
 * Wall-clock dates in a named IANA zone through Intl only (never the process's local zone), for
 * the two places a date-only value meets an instant.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock in `timeZone` at `millis`, expressed as if it were UTC. */
function wallClockAsUtc(millis: number, timeZone: string): number {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(new Date(millis)).map((p) => [p.type, p.value]));
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
  const date: CalendarDate = { year, month: Number(parts.month), day: Number(parts.day) };
  return utcMillis(date, Number(parts.hour), Number(parts.minute), Number(parts.second));
}

/** The calendar date shown in `timeZone` at `millis`. */
export function dateInZone(millis: number, timeZone: string): CalendarDate {
  return utcDateOf(wallClockAsUtc(millis, timeZone));
}

/** The instant at which `date` begins in `timeZone` (00:00, or the first wall-clock time after a gap). */
export function startOfDayInZone(date: CalendarDate, timeZone: string): number {
  const wall = utcMillis(date);
  const firstOffset = wallClockAsUtc(wall, timeZone) - wall;
  let candidate = wall - firstOffset;
  const secondOffset = wallClockAsUtc(candidate, timeZone) - candidate;
  if (secondOffset !== firstOffset) candidate = wall - secondOffset;
  // A DST gap at midnight: 00:00 does not exist that day; take the earliest instant of the date.
  for (let step = 0; step < 200 && !sameDate(dateInZone(candidate, timeZone), date); step++) candidate += 15 * 60_000;
  return candidate;
}

function sameDate(a: CalendarDate, b: CalendarDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}
