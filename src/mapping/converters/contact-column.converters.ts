import type { ConversionErrorCode } from './conversion-error';
import { invalid, isEmptyInternal, isRecord, parseReadValue, then, unknownWebhookShape, value, type ConverterSpec } from './converter-kit';
import type { Converted, FieldConverter, MondayColumnRead, MondayWriteValue, SalesforceValue } from './converter.types';
import { parsePhone, phoneKey } from './phone-number';
import { httpUrlKey, toHttpUrl } from './web-address';

type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: ConversionErrorCode; readonly hint: string };

/** How one keyed column type (email, phone, link) checks, writes, reads and compares its value. */
interface KeyedRules {
  /** The key of the column value that carries the Salesforce value, e.g. `email` of {"email","text"}. */
  readonly key: string;
  /** A trimmed, non-empty Salesforce value -> the column's write value. */
  toMonday(text: string): Checked<MondayWriteValue>;
  /** The column value (its `key` trimmed and non-empty, and the whole shape) -> the Salesforce value. */
  fromMonday(text: string, shape: Record<string, unknown>): Checked<string>;
  /** A comparable form of a Salesforce value; null for empty. */
  keyOf(value: string): string;
}

/**
 * A monday column whose value is an object keyed like {"email","text"}. Salesforce stores strings
 * trimmed and "" as null, so values are trimmed both ways and compared through `keyOf`.
 */
function keyedConverter(spec: ConverterSpec, rules: KeyedRules): FieldConverter {
  const fromShape = (shape: unknown): Converted<SalesforceValue> | undefined => {
    if (isEmptyInternal(shape)) return value(null);
    if (!isRecord(shape)) return undefined;
    const text = shape[rules.key];
    if (text === undefined) return undefined;
    if (text === null || (typeof text === 'string' && text.trim() === '')) return value(null);
    if (typeof text !== 'string') return undefined;
    const checked = rules.fromMonday(text.trim(), shape);
    return checked.ok ? value(checked.value) : invalid(spec, checked.code, text, checked.hint);
  };
  const keyOf = (v: SalesforceValue): string | null => (typeof v === 'string' && v.trim() !== '' ? rules.keyOf(v.trim()) : null);
  return {
    pair: `${spec.field.type}<->${spec.column.type}`,
    toMonday(sf): Converted<MondayWriteValue> {
      if (sf === null || (typeof sf === 'string' && sf.trim() === '')) return value(null);
      if (typeof sf !== 'string') return invalid(spec, 'WRONG_TYPE', sf, 'is not text');
      const checked = rules.toMonday(sf.trim());
      return checked.ok ? value(checked.value) : invalid(spec, checked.code, sf, checked.hint);
    },
    fromMondayApi(read: MondayColumnRead) {
      return then(parseReadValue(spec, read), (parsed) => fromShape(parsed) ?? invalid(spec, 'UNREADABLE_VALUE', parsed, `has no "${rules.key}"`));
    },
    fromMondayWebhook: (internal) => fromShape(internal) ?? unknownWebhookShape(spec, internal),
    equals: (a, b) => keyOf(a) === keyOf(b),
  };
}

/** local@domain.tld: no spaces, one @, a dot in the domain and none at its ends. */
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const NOT_AN_EMAIL = 'is not an e-mail address (name@example.org); correct it where it was entered';

/** email <-> email.  write {"email":"a@b.org","text":"a@b.org"} (both keys required)   read/webhook {"email","text",...} */
export function emailConverter(spec: ConverterSpec): FieldConverter {
  const check = (text: string): Checked<string> => (EMAIL.test(text) ? { ok: true, value: text } : { ok: false, code: 'INVALID_FORMAT', hint: NOT_AN_EMAIL });
  return keyedConverter(spec, {
    key: 'email',
    toMonday: (text) => mapChecked(check(text), (email) => ({ email, text: email })),
    fromMonday: check,
    // Addresses are matched case-insensitively (as both CRMs' duplicate checks do).
    keyOf: (text) => text.toLowerCase(),
  });
}

/**
 * phone <-> phone. monday validates numbers with libphonenumber against `countryShortName`, so a
 * number is sent as E.164 with its country: its own (+/00 prefix), else the field's (phoneCountry,
 * defaults.phoneCountry, the monday account's). A number not valid there is a conversion error
 * (a dead letter), never a write with an empty country. Numbers compare as parsed, so
 * "(415) 555-0101" and "+14155550101" are the same value and never ping-pong.
 *   write {"phone":"+14155550101","countryShortName":"US"}   read/webhook {"phone","countryShortName",...}
 */
export function phoneConverter(spec: ConverterSpec): FieldConverter {
  return keyedConverter(spec, {
    key: 'phone',
    toMonday: (text) => {
      const parsed = parsePhone(text, spec.phoneCountry);
      if (!parsed.ok) return { ok: false, code: parsed.reason === 'no_country' ? 'UNKNOWN_COUNTRY' : 'INVALID_FORMAT', hint: parsed.hint };
      return { ok: true, value: { phone: parsed.e164, countryShortName: parsed.country } };
    },
    // monday keeps the number as it was typed, with the country it was typed for.
    fromMonday: (text, shape) => {
      const country = typeof shape.countryShortName === 'string' ? shape.countryShortName.toUpperCase() : spec.phoneCountry;
      const parsed = parsePhone(text, country);
      return { ok: true, value: parsed.ok ? parsed.e164 : text };
    },
    keyOf: (text) => phoneKey(text, spec.phoneCountry) ?? text,
  });
}

/**
 * url <-> link. A Salesforce Website is often written without a scheme ("example.org"): it is sent
 * as https://example.org; addresses compare normalised (scheme and host case, a bare trailing /).
 *   write {"url":"https://x.org","text":"https://x.org"}   read/webhook {"url","text",...}
 */
export function linkConverter(spec: ConverterSpec): FieldConverter {
  return keyedConverter(spec, {
    key: 'url',
    toMonday: (text) => {
      const url = toHttpUrl(text);
      return url ? { ok: true, value: { url, text: url } } : { ok: false, code: 'INVALID_FORMAT', hint: 'is not a web address (such as https://example.org or example.org); correct it in Salesforce' };
    },
    fromMonday: (text) => ({ ok: true, value: text }),
    keyOf: (text) => httpUrlKey(text) ?? text,
  });
}

function mapChecked<A, B>(checked: Checked<A>, next: (v: A) => B): Checked<B> {
  return checked.ok ? { ok: true, value: next(checked.value) } : checked;
}
