import { isPhoneCountry } from './converters/phone-number';
import type { LiveSchemas } from './live-schema';
import type { FieldMapping, Mapping } from './mapping.types';

/** Where the country of a field's national phone numbers comes from (a number's own +prefix always wins). */
export type PhoneCountrySource = 'field' | 'defaults' | 'monday_account';

export interface PhoneCountry {
  readonly country: string;
  readonly source: PhoneCountrySource;
}

/**
 * The country national numbers of `field` are read in: the field's `phoneCountry`, then the
 * mapping's `defaults.phoneCountry`, then the monday account's `country_code`; undefined when none
 * is known (then only numbers with a +country prefix can be written to monday).
 */
export function phoneCountryFor(field: Pick<FieldMapping, 'phoneCountry'>, mapping: Pick<Mapping, 'defaults'>, live: Pick<LiveSchemas, 'mondayAccount'>): PhoneCountry | undefined {
  if (field.phoneCountry !== undefined) return { country: field.phoneCountry, source: 'field' };
  if (mapping.defaults?.phoneCountry !== undefined) return { country: mapping.defaults.phoneCountry, source: 'defaults' };
  const account = live.mondayAccount?.countryCode?.trim().toUpperCase();
  return account && isPhoneCountry(account) ? { country: account, source: 'monday_account' } : undefined;
}
