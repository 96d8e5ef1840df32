import { columnValueError } from '../errors';
import { defineColumnType } from './column-type';
import { isClearing, isRecord, isValidDate, normaliseTime } from './parse-helpers';

const INTERNAL = 'date';

export interface DateData {
  date: string;
  /** HH:MM:SS in UTC, or null for a date without time. */
  time: string | null;
}

function build(date: unknown, time: unknown, input: unknown): DateData {
  if (typeof date !== 'string' || !isValidDate(date)) {
    throw columnValueError(INTERNAL, 'date must be a valid date in YYYY-MM-DD format', { column_value: input });
  }
  if (time === undefined || time === null || time === '') return { date, time: null };
  const normalised = typeof time === 'string' ? normaliseTime(time) : null;
  if (!normalised) throw columnValueError(INTERNAL, 'time must be HH:MM:SS in UTC', { column_value: input });
  return { date, time: normalised };
}

function parseSimple(input: string): DateData | null {
  const trimmed = input.trim();
  if (trimmed === '') return null;
  const parts = trimmed.split(/\s+/);
  if (parts.length > 2) throw columnValueError(INTERNAL, 'date takes "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS"', { column_value: input });
  return build(parts[0], parts[1], input);
}

function writeJson(input: unknown): DateData | null {
  if (isClearing(input)) return null;
  if (typeof input === 'string') return parseSimple(input);
  if (isRecord(input)) return build(input.date, input.time, input);
  throw columnValueError(INTERNAL, 'date takes {"date": "YYYY-MM-DD", "time": "HH:MM:SS"}', { column_value: input });
}

/** `text` shows the date (and time) in the caller's time zone; every emulated user is on UTC. */
function text(data: DateData | undefined): string {
  if (!data) return '';
  return data.time ? `${data.date} ${data.time.slice(0, 5)}` : data.date;
}

/** date: times are UTC on write and in `value`; read `{"date","time","icon","changed_at"}` (5.1). */
export const dateColumn = defineColumnType<DateData>({
  type: 'date',
  internalType: INTERNAL,
  legacyErrorType: 'DateColumn',
  defaultSettings: () => ({}),
  writeJson,
  writeSimple: parseSimple,
  value: (d, changedAt) => (d.time ? { date: d.date, time: d.time, icon: null, changed_at: changedAt } : { date: d.date, icon: null, changed_at: changedAt }),
  text,
  typed: (d, changedAt) => ({ date: d?.date ?? null, time: d?.time ?? null, icon: null, updated_at: changedAt }),
  webhookValue: (d, changedAt) => ({ date: d.date, icon: null, time: d.time, changed_at: changedAt }),
  matchKeys: (d) => (d ? [d.date] : []),
  sortKey: (d) => (d ? `${d.date}T${d.time ?? '00:00:00'}Z` : null),
});
