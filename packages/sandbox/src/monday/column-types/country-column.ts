import { columnValueError } from '../errors';
import { defineColumnType } from './column-type';
import { countryNames } from './countries';
import { isClearing, isRecord, unsupportedSimple } from './parse-helpers';

const INTERNAL = 'country';

export interface CountryData {
  countryCode: string;
  /** Stored as written: monday keeps whatever name was sent, even `""` (reference addendum 3). */
  countryName: string;
}

function codeOrThrow(code: unknown, input: unknown): string {
  if (typeof code !== 'string' || !countryNames().has(code)) {
    throw columnValueError(INTERNAL, 'countryCode must be an upper-case ISO 3166-1 alpha-2 code', { column_value: input });
  }
  return code;
}

/**
 * `{"countryCode","countryName"}`: only the code is validated, but the `countryName` key must be present
 * (reference addendum 3). A plain string inside `column_values` is taken as the code (`"US"`).
 */
function writeJson(input: unknown): CountryData | null {
  if (isClearing(input)) return null;
  if (typeof input === 'string') {
    const code = codeOrThrow(input.trim(), input);
    return { countryCode: code, countryName: countryNames().get(code) ?? code };
  }
  if (isRecord(input)) {
    if (input.countryCode === null) return null;
    const code = codeOrThrow(input.countryCode, input);
    if (typeof input.countryName !== 'string') {
      throw columnValueError(INTERNAL, 'country takes both "countryCode" and "countryName"', { column_value: input });
    }
    return { countryCode: code, countryName: input.countryName };
  }
  throw columnValueError(INTERNAL, 'country takes {"countryCode": "US", "countryName": "United States"}', { column_value: input });
}

/** The name shown (text, typed `country.name`) comes from the code; `value` echoes the name sent. */
function shownName(data: CountryData): string {
  return countryNames().get(data.countryCode) ?? data.countryName;
}

/** country: write `{"countryCode","countryName"}`, text = the country's name, no simple syntax (5.1). */
export const countryColumn = defineColumnType<CountryData>({
  type: 'country',
  internalType: INTERNAL,
  legacyErrorType: 'CountryColumn',
  defaultSettings: () => ({}),
  writeJson,
  writeSimple: () => unsupportedSimple(INTERNAL),
  value: (d, changedAt) => ({ countryCode: d.countryCode, countryName: d.countryName, changed_at: changedAt }),
  text: (d) => (d ? shownName(d) : ''),
  typed: (d) => ({ country: d ? { code: d.countryCode, name: shownName(d) } : null }),
  webhookValue: (d, changedAt) => ({ countryCode: d.countryCode, countryName: d.countryName, changed_at: changedAt }),
  matchKeys: (d) => (d ? [d.countryCode, shownName(d)] : []),
  sortKey: (d) => (d ? shownName(d) : null),
});
