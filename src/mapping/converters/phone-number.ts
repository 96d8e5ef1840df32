import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * Phone numbers as monday checks them: Google's libphonenumber (full metadata, as monday uses), a
 * number valid for an upper-case ISO-2 country. The country is the number's own (`+`/`00` prefix),
 * else `fallbackCountry` (phoneCountry of the field, defaults.phoneCountry, the monday account's).
 */
export type ParsedPhone =
  | { readonly ok: true; readonly e164: string; readonly country: string }
  | { readonly ok: false; readonly reason: 'no_country' | 'invalid'; readonly hint: string };

export function parsePhone(text: string, fallbackCountry: string | undefined): ParsedPhone {
  const trimmed = text.trim();
  const international = trimmed.startsWith('+') || trimmed.startsWith('00');
  const input = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
  const fallback = fallbackCountry && isPhoneCountry(fallbackCountry) ? (fallbackCountry as CountryCode) : undefined;
  if (!international && !fallback) {
    return {
      ok: false,
      reason: 'no_country',
      hint: 'is a national number and no country is known for it: write it with its +country prefix, or set phoneCountry on the field or defaults.phoneCountry in the mapping',
    };
  }
  const parsed = international ? parsePhoneNumberFromString(input) : parsePhoneNumberFromString(input, fallback);
  const country = parsed?.country ?? (parsed && fallback && parsed.isValid() ? fallback : undefined);
  if (!parsed || !parsed.isValid() || !country) {
    const where = international ? 'for the country of its prefix' : `for ${fallback}`;
    return { ok: false, reason: 'invalid', hint: `is not a valid phone number ${where}; correct it in Salesforce (monday accepts only valid numbers)` };
  }
  return { ok: true, e164: parsed.number, country };
}

/** A number as a comparable key: E.164 when it parses, else its trimmed text; null when empty. */
export function phoneKey(value: unknown, fallbackCountry: string | undefined): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const parsed = parsePhone(value, fallbackCountry);
  return parsed.ok ? parsed.e164 : value.trim();
}

/** An upper-case ISO 3166-1 alpha-2 code that libphonenumber has numbering data for. */
export function isPhoneCountry(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);
}
