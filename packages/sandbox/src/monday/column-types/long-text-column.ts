import { columnValueError } from '../errors';
import { defineColumnType } from './column-type';
import { isClearing, isRecord } from './parse-helpers';

const INTERNAL = 'long-text';
const MAX_CHARS = 2000;

function parse(input: unknown): string | null {
  if (isClearing(input)) return null;
  let text: unknown = input;
  if (isRecord(input)) text = input.text;
  if (typeof text !== 'string') throw columnValueError(INTERNAL, 'long text takes {"text": "..."}', { column_value: input });
  if (text === '') return null;
  if (text.length > MAX_CHARS) throw columnValueError(INTERNAL, `long text is limited to ${MAX_CHARS} characters`);
  return text;
}

/** long_text: write `{"text":"..."}`, read `{"text","changed_at"}`, max 2,000 characters (5.1). */
export const longTextColumn = defineColumnType<string>({
  type: 'long_text',
  internalType: INTERNAL,
  legacyErrorType: 'LongTextColumn',
  defaultSettings: () => ({}),
  writeJson: parse,
  writeSimple: parse,
  value: (data, changedAt) => ({ text: data, changed_at: changedAt }),
  text: (data) => data ?? '',
  typed: (_data, changedAt) => ({ updated_at: changedAt }),
  webhookValue: (data, changedAt) => ({ text: data, changed_at: changedAt }),
  matchKeys: (data) => [data ?? ''],
  sortKey: (data) => data ?? null,
});
