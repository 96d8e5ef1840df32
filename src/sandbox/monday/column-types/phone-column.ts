import { columnValueError } from '../errors';
import { defineColumnType } from './column-type';
import { countryNames } from './countries';
import { isClearing, isRecord } from './parse-helpers';

const INTERNAL = 'phone';

export interface PhoneData {
  phone: string;
  countryShortName: string;
}

/** monday validates with libphonenumber; the emulator checks the shape (7-15 digits) and the ISO-2 code. */
function build(phone: unknown, country: unknown, input: unknown): PhoneData {
  const digits = typeof phone === 'string' ? phone.replace(/[\s\-().]/g, '') : '';
  if (!/^\+?\d{7,15}$/.test(digits)) throw columnValueError(INTERNAL, 'phone number is not valid', { column_value: input });
  if (typeof country !== 'string' || !countryNames().has(country)) {
    throw columnValueError(INTERNAL, 'countryShortName must be an upper-case ISO 3166-1 alpha-2 code', { column_value: input });
  }
  return { phone: digits, countryShortName: country };
}

function writeSimple(input: string): PhoneData | null {
  const trimmed = input.trim();
  if (trimmed === '') return null;
  const parts = trimmed.split(/\s+/);
  return build(parts.slice(0, -1).join('') || parts[0], parts.length > 1 ? parts[parts.length - 1] : undefined, input);
}

function writeJson(input: unknown): PhoneData | null {
  if (isClearing(input)) return null;
  if (typeof input === 'string') return writeSimple(input);
  if (isRecord(input)) {
    if (input.phone === '' || input.phone === null) return null;
    return build(input.phone, input.countryShortName, input);
  }
  throw columnValueError(INTERNAL, 'phone takes {"phone": "+1...", "countryShortName": "US"}', { column_value: input });
}

/** phone: write `{"phone","countryShortName"}`, text = the number (5.1). */
export const phoneColumn = defineColumnType<PhoneData>({
  type: 'phone',
  internalType: INTERNAL,
  legacyErrorType: 'PhoneColumn',
  defaultSettings: () => ({}),
  writeJson,
  writeSimple,
  value: (d, changedAt) => ({ phone: d.phone, countryShortName: d.countryShortName, changed_at: changedAt }),
  text: (d) => d?.phone ?? '',
  typed: (d, changedAt) => ({ phone: d?.phone ?? null, country_short_name: d?.countryShortName ?? null, updated_at: changedAt }),
  webhookValue: (d, changedAt) => ({ phone: d.phone, countryShortName: d.countryShortName, changed_at: changedAt }),
  matchKeys: (d) => (d ? [d.phone] : []),
  sortKey: (d) => d?.phone ?? null,
});
