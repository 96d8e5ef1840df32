import { invalid, isEmptyInternal, isRecord, parseReadValue, then, unknownWebhookShape, value, type ConverterSpec } from './converter-kit';
import type { Converted, FieldConverter, MondayColumnRead, MondayWriteValue, SalesforceValue } from './converter.types';
import {
  formatDate,
  formatSalesforceDateTime,
  parseDate,
  parseInstant,
  parseTime,
  utcDateOf,
  utcMillis,
  utcTimeOf,
} from './date-time';
import { dateInZone, startOfDayInZone } from './time-zone';

/** A monday date value, read or webhook: `date` is a UTC date when `time` (UTC) is present. */
type MondayDate = { readonly kind: 'empty' } | { readonly kind: 'date'; readonly date: string } | { readonly kind: 'instant'; readonly millis: number };

function readMondayDate(shape: unknown): MondayDate | undefined {
  if (isEmptyInternal(shape)) return { kind: 'empty' };
  if (!isRecord(shape)) return undefined;
  if (shape.date === null || shape.date === '') return { kind: 'empty' };
  if (typeof shape.date !== 'string') return undefined;
  const date = parseDate(shape.date);
  if (!date) return undefined;
  if (shape.time === null || shape.time === undefined || shape.time === '') return { kind: 'date', date: formatDate(date) };
  const seconds = typeof shape.time === 'string' ? parseTime(shape.time) : undefined;
  return seconds === undefined ? undefined : { kind: 'instant', millis: utcMillis(date) + seconds * 1000 };
}

function dateConverterFrom(
  spec: ConverterSpec,
  pair: string,
  toMonday: (sf: SalesforceValue) => Converted<MondayWriteValue>,
  toSalesforce: (d: MondayDate) => Converted<SalesforceValue>,
  equals: (a: SalesforceValue, b: SalesforceValue) => boolean,
): FieldConverter {
  return {
    pair,
    toMonday,
    fromMondayApi: (read: MondayColumnRead) =>
      then(parseReadValue(spec, read), (parsed) => {
        const d = readMondayDate(parsed);
        return d ? toSalesforce(d) : invalid(spec, 'UNREADABLE_VALUE', parsed, 'is not a date value {"date":"YYYY-MM-DD","time":...}');
      }),
    fromMondayWebhook: (internal) => {
      const d = readMondayDate(internal);
      return d ? toSalesforce(d) : unknownWebhookShape(spec, internal);
    },
    equals,
  };
}

/**
 * date <-> date. A date-only value stays date-only and is never shifted: "2026-06-15" is written as
 * {"date":"2026-06-15"} whatever the machine's or the user's zone. A monday date that carries a
 * time (set by a person) is the calendar date at that instant in the mapping's `timeZone`.
 */
export function dateConverter(spec: ConverterSpec): FieldConverter {
  return dateConverterFrom(
    spec,
    'date<->date',
    (sf) => {
      if (sf === null || sf === '') return value(null);
      const date = typeof sf === 'string' ? parseDate(sf) : undefined;
      return date ? value({ date: formatDate(date) }) : invalid(spec, 'INVALID_FORMAT', sf, 'is not a calendar date YYYY-MM-DD');
    },
    (d) => {
      if (d.kind === 'empty') return value(null);
      if (d.kind === 'date') return value(d.date);
      return value(formatDate(dateInZone(d.millis, spec.timeZone)));
    },
    (a, b) => (a || null) === (b || null),
  );
}

/**
 * datetime <-> date with time. monday stores date and time in UTC on the wire, so the instant is
 * converted to UTC (seconds; monday keeps no milliseconds, and `equals` compares to the second).
 * A monday date without a time is the start of that day in the mapping's `timeZone`.
 */
export function dateTimeConverter(spec: ConverterSpec): FieldConverter {
  const secondOf = (v: SalesforceValue): number | null => {
    if (typeof v !== 'string' || v === '') return null;
    const millis = parseInstant(v);
    return millis === undefined ? Number.NaN : Math.floor(millis / 1000);
  };
  return dateConverterFrom(
    spec,
    'datetime<->date',
    (sf) => {
      if (sf === null || sf === '') return value(null);
      const millis = typeof sf === 'string' ? parseInstant(sf) : undefined;
      if (millis === undefined) return invalid(spec, 'INVALID_FORMAT', sf, 'is not an ISO-8601 date-time with an offset, e.g. 2026-06-15T09:00:00.000+0000');
      return value({ date: formatDate(utcDateOf(millis)), time: utcTimeOf(millis) });
    },
    (d) => {
      if (d.kind === 'empty') return value(null);
      const date = d.kind === 'date' ? parseDate(d.date) : undefined;
      const millis = d.kind === 'instant' ? d.millis : startOfDayInZone(date!, spec.timeZone);
      return value(formatSalesforceDateTime(millis));
    },
    (a, b) => secondOf(a) === secondOf(b),
  );
}
