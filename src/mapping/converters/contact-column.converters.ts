import { invalid, isEmptyInternal, isRecord, nonEmptyString, parseReadValue, then, unknownWebhookShape, value, type ConverterSpec } from './converter-kit';
import type { Converted, FieldConverter, MondayColumnRead, MondayWriteValue, SalesforceValue } from './converter.types';

/** The part of a column value that carries the Salesforce value, e.g. `email` of {"email","text"}. */
function keyedConverter(
  spec: ConverterSpec,
  key: string,
  check: (text: string) => { ok: true; text: string } | { ok: false; hint: string },
  write: (text: string) => MondayWriteValue,
): FieldConverter {
  const fromShape = (shape: unknown, raw: unknown): Converted<SalesforceValue> | undefined => {
    if (isEmptyInternal(shape)) return value(null);
    if (!isRecord(shape)) return undefined;
    const text = shape[key];
    if (text === undefined) return undefined;
    const present = nonEmptyString(text);
    if (present === null) return value(null);
    const checked = check(present);
    return checked.ok ? value(checked.text) : invalid(spec, 'INVALID_FORMAT', raw, checked.hint);
  };
  return {
    pair: `${spec.field.type}<->${spec.column.type}`,
    toMonday(sf): Converted<MondayWriteValue> {
      if (sf === null || sf === '') return value(null);
      if (typeof sf !== 'string') return invalid(spec, 'WRONG_TYPE', sf, 'is not text');
      const checked = check(sf);
      return checked.ok ? value(write(checked.text)) : invalid(spec, 'INVALID_FORMAT', sf, checked.hint);
    },
    fromMondayApi(read: MondayColumnRead) {
      return then(parseReadValue(spec, read), (parsed) => fromShape(parsed, parsed) ?? invalid(spec, 'UNREADABLE_VALUE', parsed, `has no "${key}"`));
    },
    fromMondayWebhook: (internal) => fromShape(internal, internal) ?? unknownWebhookShape(spec, internal),
    equals: (a, b) => normalizeFor(key, a) === normalizeFor(key, b),
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const PHONE_FORMATTING = /[\s().\-/]/g;
const PHONE = /^\+?\d{3,20}$/;

function normalizeFor(key: string, v: SalesforceValue): string | null {
  if (typeof v !== 'string' || v === '') return null;
  return key === 'phone' ? v.replace(PHONE_FORMATTING, '') : v;
}

/** email <-> email.  write {"email":"a@b.org","text":"a@b.org"} (both keys required)   read/webhook {"email","text",...} */
export function emailConverter(spec: ConverterSpec): FieldConverter {
  return keyedConverter(
    spec,
    'email',
    (text) => (EMAIL.test(text.trim()) ? { ok: true, text: text.trim() } : { ok: false, hint: 'is not an e-mail address' }),
    (text) => ({ email: text, text }),
  );
}

/**
 * phone <-> phone. monday validates numbers (libphonenumber) and keeps digits: formatting
 * characters are dropped on the way, and `equals` ignores them, so "(202) 555-0169" and
 * "2025550169" are the same value and never ping-pong.
 *   write {"phone":"+12025550169","countryShortName":"US"}   read/webhook {"phone","countryShortName",...}
 */
export function phoneConverter(spec: ConverterSpec): FieldConverter {
  return keyedConverter(
    spec,
    'phone',
    (text) => {
      const digits = text.replace(PHONE_FORMATTING, '');
      return PHONE.test(digits) ? { ok: true, text: digits } : { ok: false, hint: 'is not a phone number (digits, an optional leading +, spaces ( ) . - /)' };
    },
    (text) => ({ phone: text, countryShortName: spec.phoneCountry ?? '' }),
  );
}

/** url <-> link.  write {"url":"https://x.org","text":"https://x.org"}   read/webhook {"url","text",...} */
export function linkConverter(spec: ConverterSpec): FieldConverter {
  return keyedConverter(
    spec,
    'url',
    (text) => (/\s/.test(text.trim()) || text.trim() === '' ? { ok: false, hint: 'is not a web address (it contains spaces)' } : { ok: true, text: text.trim() }),
    (text) => ({ url: text, text }),
  );
}
