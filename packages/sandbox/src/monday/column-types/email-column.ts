import { columnValueError } from '../errors';
import { defineColumnType } from './column-type';
import { isClearing, isRecord } from './parse-helpers';

const INTERNAL = 'email';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface EmailData {
  email: string;
  text: string;
}

function build(email: unknown, text: unknown, input: unknown): EmailData {
  if (typeof email !== 'string' || !EMAIL.test(email)) throw columnValueError(INTERNAL, 'email is not a valid address', { column_value: input });
  if (typeof text !== 'string') throw columnValueError(INTERNAL, 'email takes both "email" and "text"', { column_value: input });
  return { email, text: text === '' ? email : text };
}

function writeSimple(input: string): EmailData | null {
  const trimmed = input.trim();
  if (trimmed === '') return null;
  const space = trimmed.indexOf(' ');
  return space < 0 ? build(trimmed, trimmed, input) : build(trimmed.slice(0, space), trimmed.slice(space + 1).trim(), input);
}

/** A string inside `column_values` takes the simple syntax, as monday's docs allow (change-column-values). */
function writeJson(input: unknown): EmailData | null {
  if (isClearing(input)) return null;
  if (typeof input === 'string') return writeSimple(input);
  if (isRecord(input)) {
    if (input.email === '' || input.email === null) return null;
    return build(input.email, input.text, input);
  }
  throw columnValueError(INTERNAL, 'email takes {"email": "...", "text": "..."}', { column_value: input });
}

/** email: write `{"email","text"}` (both keys), text = the display text (5.1). */
export const emailColumn = defineColumnType<EmailData>({
  type: 'email',
  internalType: INTERNAL,
  legacyErrorType: 'EmailColumn',
  defaultSettings: () => ({}),
  writeJson,
  writeSimple,
  value: (d, changedAt) => ({ email: d.email, text: d.text, changed_at: changedAt }),
  text: (d) => d?.text ?? '',
  typed: (d, changedAt) => ({ email: d?.email ?? null, label: d?.text ?? null, updated_at: changedAt }),
  webhookValue: (d, changedAt) => ({ email: d.email, text: d.text, changed_at: changedAt }),
  matchKeys: (d) => (d ? [d.email, d.text] : []),
  sortKey: (d) => d?.email ?? null,
});
