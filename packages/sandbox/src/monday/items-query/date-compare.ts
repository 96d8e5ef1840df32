import { invalidArgument } from '../errors';

const DAY = 86_400_000;

/** A compare value as a time range [start, end): a whole UTC day, or one instant for a date-time. */
export interface TimeRange {
  start: number;
  end: number;
}

function dayStart(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

const RELATIVE: Record<string, (today: number) => number> = {
  TODAY: (t) => t,
  YESTERDAY: (t) => t - DAY,
  TOMORROW: (t) => t + DAY,
  ONE_WEEK_AGO: (t) => t - 7 * DAY,
  ONE_WEEK_FROM_NOW: (t) => t + 7 * DAY,
  ONE_MONTH_AGO: (t) => t - 30 * DAY,
  ONE_MONTH_FROM_NOW: (t) => t + 30 * DAY,
};

/**
 * Date-like rules take `["EXACT", "2026-07-01"]`, relative keywords (`"TODAY"`...) or a plain date /
 * ISO date-time (reference 3.2). Returns one range per compared value.
 */
export function parseDateValues(values: unknown[], now: number): TimeRange[] {
  const today = dayStart(now);
  const out: TimeRange[] = [];
  for (const raw of values) {
    if (raw === 'EXACT') continue;
    const v = String(raw).trim();
    const relative = RELATIVE[v.toUpperCase()];
    if (relative) {
      const start = relative(today);
      out.push({ start, end: start + DAY });
    } else if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
      const start = Date.parse(`${v}T00:00:00Z`);
      if (Number.isNaN(start)) throw invalidArgument(`Invalid date in compare_value: ${v}`);
      out.push({ start, end: start + DAY });
    } else {
      const instant = Date.parse(v);
      if (Number.isNaN(instant)) throw invalidArgument(`Invalid date in compare_value: ${v}`);
      out.push({ start: instant, end: instant + 1 });
    }
  }
  return out;
}
