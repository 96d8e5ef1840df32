import { invalid, isEmptyInternal, isRecord, parseReadValue, then, unknownWebhookShape, value, type ConverterSpec } from './converter-kit';
import type { Converted, FieldConverter, MondayColumnRead, MondayWriteValue, SalesforceValue } from './converter.types';
import { countryCode, countryName } from './country-names';

/**
 * A Salesforce country (a name like "Germany" in a text field, or an ISO code in a *CountryCode
 * picklist) <-> monday country. Which one the field holds is read from the field: a CountryCode
 * field, a 2-character field, or a picklist of 2-letter values holds codes.
 *   write {"countryCode":"DE","countryName":"Germany"}   read/webhook {"countryCode","countryName",...}
 */
export function countryConverter(spec: ConverterSpec): FieldConverter {
  const { field } = spec;
  const holdsCodes =
    field.name.endsWith('CountryCode') ||
    field.length === 2 ||
    (field.picklistValues.length > 0 && field.picklistValues.every((p) => /^[A-Z]{2}$/.test(p.value)));
  const toSalesforce = (code: string): string => (holdsCodes ? code : (countryName(code) ?? code));
  const fromShape = (shape: unknown): Converted<SalesforceValue> | undefined => {
    if (isEmptyInternal(shape)) return value(null);
    if (!isRecord(shape)) return undefined;
    const raw = shape.countryCode ?? shape.code;
    if (raw === null || raw === '') return value(null);
    if (typeof raw !== 'string') return undefined;
    const code = countryCode(raw);
    return code ? value(toSalesforce(code)) : invalid(spec, 'UNKNOWN_COUNTRY', shape, 'has a country code that is not ISO 3166-1 alpha-2');
  };
  const codeOf = (v: SalesforceValue): string | null => (typeof v === 'string' && v !== '' ? (countryCode(v) ?? `?${v}`) : null);
  return {
    pair: `${field.type}<->country`,
    toMonday(sf): Converted<MondayWriteValue> {
      if (sf === null || sf === '') return value(null);
      if (typeof sf !== 'string') return invalid(spec, 'WRONG_TYPE', sf, 'is not a country name or code');
      const code = countryCode(sf);
      if (!code) return invalid(spec, 'UNKNOWN_COUNTRY', sf, 'is not a country name or ISO 3166-1 code monday knows; correct it in Salesforce');
      return value({ countryCode: code, countryName: countryName(code) ?? code });
    },
    fromMondayApi: (read: MondayColumnRead) =>
      then(parseReadValue(spec, read), (parsed) => fromShape(parsed) ?? invalid(spec, 'UNREADABLE_VALUE', parsed, 'is not a country value')),
    fromMondayWebhook: (internal) => fromShape(internal) ?? unknownWebhookShape(spec, internal),
    equals: (a, b) => codeOf(a) === codeOf(b),
  };
}
