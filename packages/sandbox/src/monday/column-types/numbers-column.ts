import { columnValueError } from '../errors';
import { defineColumnType } from './column-type';
import { isClearing } from './parse-helpers';

const INTERNAL = 'numeric';

function parse(input: unknown): string | null {
  if (isClearing(input)) return null;
  const raw = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim() : undefined;
  if (raw === undefined || raw === '' || !/^-?\d+(\.\d+)?$/.test(raw)) {
    throw columnValueError(INTERNAL, 'numbers columns take a string holding an integer or a float', { column_value: input });
  }
  return raw;
}

/** numbers: write `"3"`, read `value` = JSON string of the number as a string, `text` = `"3"` (5.1). */
export const numbersColumn = defineColumnType<string>({
  type: 'numbers',
  internalType: INTERNAL,
  legacyErrorType: 'NumericColumn',
  defaultSettings: () => ({}),
  writeJson: parse,
  writeSimple: parse,
  value: (data) => data,
  text: (data) => data ?? '',
  typed: (data) => ({
    number: data === undefined ? null : Number(data),
    symbol: null,
    direction: null,
  }),
  webhookValue: (data) => ({ value: Number(data), unit: null }),
  matchKeys: (data) => (data === undefined ? [] : [data, Number(data)]),
  sortKey: (data) => (data === undefined ? null : Number(data)),
});
