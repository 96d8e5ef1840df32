import { columnValueError } from '../errors';
import { defineColumnType } from './column-type';
import { countryNames } from './countries';
import { isClearing, isRecord, unsupportedSimple } from './parse-helpers';

const INTERNAL = 'country';

export interface CountryData {
  countryCode: string;
  countryName: string;
}

function writeJson(input: unknown): CountryData | null {
  if (isClearing(input)) return null;
  if (isRecord(input) && typeof input.countryCode === 'string') {
    const name = countryNames().get(input.countryCode);
    if (!name) throw columnValueError(INTERNAL, 'countryCode is not an ISO 3166-1 alpha-2 code', { column_value: input });
    return { countryCode: input.countryCode, countryName: typeof input.countryName === 'string' && input.countryName ? input.countryName : name };
  }
  throw columnValueError(INTERNAL, 'country takes {"countryCode": "US", "countryName": "United States"}', { column_value: input });
}

/** country: write `{"countryCode","countryName"}`, text = the name, no simple syntax (5.1). */
export const countryColumn = defineColumnType<CountryData>({
  type: 'country',
  internalType: INTERNAL,
  legacyErrorType: 'CountryColumn',
  defaultSettings: () => ({}),
  writeJson,
  writeSimple: () => unsupportedSimple(INTERNAL),
  value: (d, changedAt) => ({ countryCode: d.countryCode, countryName: d.countryName, changed_at: changedAt }),
  text: (d) => d?.countryName ?? '',
  typed: (d) => ({ country: d ? { code: d.countryCode, name: d.countryName } : null }),
  webhookValue: (d, changedAt) => ({ countryCode: d.countryCode, countryName: d.countryName, changed_at: changedAt }),
  matchKeys: (d) => (d ? [d.countryCode, d.countryName] : []),
  sortKey: (d) => d?.countryName ?? null,
});
