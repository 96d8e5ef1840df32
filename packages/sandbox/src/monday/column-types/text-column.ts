import { columnValueError } from '../errors';
import { defineColumnType } from './column-type';
import { isRecord } from './parse-helpers';

const INTERNAL = 'text';

function toText(input: unknown): string | null {
  if (input === null || input === undefined || input === '') return null;
  if (typeof input === 'string') return input;
  if (typeof input === 'number' || typeof input === 'boolean') return String(input);
  if (isRecord(input) && Object.keys(input).length === 0) return null;
  throw columnValueError(INTERNAL, 'text columns take a string', { column_value: input });
}

/** text: write `"Sample text"`, read `value` = JSON string of the text, `text` = the text or "" (5.1). */
export const textColumn = defineColumnType<string>({
  type: 'text',
  internalType: INTERNAL,
  legacyErrorType: 'TextColumn',
  defaultSettings: () => ({}),
  writeJson: toText,
  writeSimple: toText,
  value: (data) => data,
  text: (data) => data ?? '',
  typed: () => ({}),
  webhookValue: (data) => ({ value: data }),
  matchKeys: (data) => [data ?? ''],
  sortKey: (data) => data ?? null,
});
