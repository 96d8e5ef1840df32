import { getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { columnValueError } from '../errors';
import { defineColumnType } from './column-type';
import { isClearing, isRecord } from './parse-helpers';

const INTERNAL = 'phone';
const ISO_2 = /^[A-Z]{2}$/;

export interface PhoneData {
  /** As written (monday echoes the input, reference addendum 3), trimmed. */
  phone: string;
  countryShortName: string;
}

/**
 * libphonenumber's isValidNumberForRegion, which monday applies (reference 5.1, addendum 3): the number,
 * read in `country`'s national format unless it carries a `+` prefix, must be a valid number of that
 * country. Full ("max") metadata, as Google's library uses, so the patterns are checked, not only lengths.
 */
export function isValidPhoneForCountry(phone: string, country: string): boolean {
  if (!ISO_2.test(country) || !isSupportedCountry(country)) return false;
  const parsed = parsePhoneNumberFromString(phone, country);
  if (!parsed || !parsed.isValid()) return false;
  if (parsed.country === country) return true;
  return parsed.countryCallingCode === getCountryCallingCode(country) && parsed.getPossibleCountries().includes(country);
}

function build(phone: unknown, country: unknown, input: unknown): PhoneData {
  if (typeof country !== 'string' || !ISO_2.test(country) || !isSupportedCountry(country)) {
    throw columnValueError(INTERNAL, 'countryShortName must be a capitalised ISO 3166-1 alpha-2 country code', { column_value: input });
  }
  if (typeof phone !== 'string' || !isValidPhoneForCountry(phone.trim(), country)) {
    throw columnValueError(INTERNAL, 'phone number is not valid', { column_value: input });
  }
  return { phone: phone.trim(), countryShortName: country };
}

/** `"+<number> <ISO-2>"`: "the country code must be capitalized and separated from the number by a space". */
function writeSimple(input: string): PhoneData | null {
  const trimmed = input.trim();
  if (trimmed === '') return null;
  const space = trimmed.lastIndexOf(' ');
  if (space < 0) throw columnValueError(INTERNAL, 'phone takes "+<number> <ISO-2 country code>"', { column_value: input });
  return build(trimmed.slice(0, space), trimmed.slice(space + 1), input);
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
