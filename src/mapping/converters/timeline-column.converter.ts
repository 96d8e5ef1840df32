import { invalid, isEmptyInternal, isRecord, parseReadValue, then, unknownWebhookShape, value, type ConverterSpec } from './converter-kit';
import type { Converted, FieldConverter, MondayColumnRead, MondayWriteValue, SalesforceValue } from './converter.types';
import { formatDate, parseDate } from './date-time';

/**
 * Two Salesforce date fields `[start, end]` <-> one timeline column (mapping: `salesforce: [Start__c, End__c]`).
 *   write {"from":"2026-06-03","to":"2026-06-07"}   read/webhook {"from","to",...}
 * Both empty clears the timeline; one empty, or start after end, is an error (monday holds a whole range).
 */
export function timelineConverter(spec: ConverterSpec): FieldConverter {
  const bad = (raw: unknown, code: 'INCOMPLETE_RANGE' | 'INVALID_RANGE' | 'INVALID_FORMAT' | 'WRONG_TYPE', hint: string) => invalid<never>(spec, code, raw, hint);
  const fromShape = (shape: unknown): Converted<SalesforceValue> | undefined => {
    if (isEmptyInternal(shape)) return value([null, null]);
    if (!isRecord(shape) || typeof shape.from !== 'string' || typeof shape.to !== 'string') return undefined;
    const from = parseDate(shape.from);
    const to = parseDate(shape.to);
    if (!from || !to) return bad(shape, 'INVALID_FORMAT', 'is not a timeline of two YYYY-MM-DD dates');
    return value([formatDate(from), formatDate(to)]);
  };
  return {
    pair: 'date,date<->timeline',
    toMonday(sf): Converted<MondayWriteValue> {
      if (!Array.isArray(sf) || sf.length !== 2) return bad(sf, 'WRONG_TYPE', 'is not a [start, end] pair of dates');
      const [start, end] = sf as readonly unknown[];
      const empty = (v: unknown) => v === null || v === '' || v === undefined;
      if (empty(start) && empty(end)) return value(null);
      if (empty(start) || empty(end)) return bad(sf, 'INCOMPLETE_RANGE', 'has only one end; a monday timeline needs both dates (fill both fields, or clear both)');
      const from = typeof start === 'string' ? parseDate(start) : undefined;
      const to = typeof end === 'string' ? parseDate(end) : undefined;
      if (!from || !to) return bad(sf, 'INVALID_FORMAT', 'is not a pair of YYYY-MM-DD dates');
      if (formatDate(from) > formatDate(to)) return bad(sf, 'INVALID_RANGE', 'starts after it ends');
      return value({ from: formatDate(from), to: formatDate(to) });
    },
    fromMondayApi: (read: MondayColumnRead) =>
      then(parseReadValue(spec, read), (parsed) => fromShape(parsed) ?? invalid(spec, 'UNREADABLE_VALUE', parsed, 'is not a timeline value {"from","to"}')),
    fromMondayWebhook: (internal) => fromShape(internal) ?? unknownWebhookShape(spec, internal),
    equals: (a, b) => {
      const pair = (v: SalesforceValue) => (Array.isArray(v) ? (v as readonly (string | null)[]).map((d) => d || null).join('|') : 'null|null');
      return pair(a) === pair(b);
    },
  };
}
