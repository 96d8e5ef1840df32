import { isSalesforceId, to18 } from '../salesforce-id';
import type { ConversionErrorCode } from './conversion-error';
import type { SalesforceScalar, SalesforceValue } from './converter.types';
import { formatDate, formatSalesforceDateTime, parseDate, parseInstant } from './date-time';

export type CodecResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: ConversionErrorCode; readonly hint: string };

/**
 * A Salesforce field type written as text (monday text, long text and item name columns): the one
 * place that says how each scalar type looks as text and how text is read back.
 */
export interface ScalarCodec {
  readonly family: 'string' | 'id' | 'number' | 'boolean' | 'date' | 'datetime';
  toText(value: SalesforceValue): CodecResult<string | null>;
  fromText(text: string): CodecResult<SalesforceScalar>;
  equals(a: SalesforceValue, b: SalesforceValue): boolean;
}

const STRING_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'combobox', 'encryptedstring']);
const NUMBER_TYPES = new Set(['double', 'currency', 'percent', 'int', 'long']);
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

const ok = <T>(value: T): CodecResult<T> => ({ ok: true, value });
const fail = <T>(code: ConversionErrorCode, hint: string): CodecResult<T> => ({ ok: false, code, hint });

export function scalarCodecFor(type: string): ScalarCodec | undefined {
  if (STRING_TYPES.has(type)) return stringCodec;
  if (type === 'id' || type === 'reference') return idCodec;
  if (NUMBER_TYPES.has(type)) return numberCodec(type === 'int' || type === 'long');
  if (type === 'boolean') return booleanCodec;
  if (type === 'date') return dateCodec;
  if (type === 'datetime') return dateTimeCodec;
  return undefined;
}

/**
 * Salesforce stores strings trimmed and never "" (empty is null): text is trimmed on its way there,
 * and values compare as Salesforce would hold them, so "  Acme " and "Acme", "" and null are equal.
 */
const stringCodec: ScalarCodec = {
  family: 'string',
  toText: (v) => (v === null ? ok(null) : typeof v === 'string' ? ok(v.trim() === '' ? null : v) : fail('WRONG_TYPE', 'is not text')),
  fromText: (text) => ok(salesforceString(text)),
  equals: (a, b) => salesforceString(a) === salesforceString(b),
};

/** A value as Salesforce would store it: strings trimmed, "" as null; anything else unchanged. */
export function salesforceString<T>(v: T): T | string | null {
  if (typeof v !== 'string') return v ?? null;
  const trimmed = v.trim();
  return trimmed === '' ? null : trimmed;
}

const idCodec: ScalarCodec = {
  family: 'id',
  toText: (v) => {
    if (v === null || v === '') return ok(null);
    return typeof v === 'string' && isSalesforceId(v) ? ok(to18(v)) : fail('INVALID_FORMAT', 'is not a Salesforce id (15 or 18 letters and digits)');
  },
  fromText: (text) => {
    const trimmed = text.trim();
    if (trimmed === '') return ok(null);
    return isSalesforceId(trimmed) ? ok(to18(trimmed)) : fail('INVALID_FORMAT', 'is not a Salesforce id (15 or 18 letters and digits)');
  },
  equals: (a, b) => (typeof a === 'string' && a !== '' ? to18(a) : null) === (typeof b === 'string' && b !== '' ? to18(b) : null),
};

/** Plain decimal text for a finite number (no exponent: monday and people read it). */
export function decimalText(n: number): string {
  const plain = String(n);
  if (!/e/i.test(plain)) return plain;
  // 17 significant digits identify every double, so the text parses back to the same number.
  return n.toLocaleString('en-US', { useGrouping: false, maximumSignificantDigits: 17 });
}

export function numberCodec(integer: boolean): ScalarCodec {
  return {
    family: 'number',
    toText: (v) => {
      if (v === null) return ok(null);
      if (typeof v !== 'number') return fail('WRONG_TYPE', 'is not a number');
      if (!Number.isFinite(v)) return fail('NOT_FINITE', 'is not a finite number');
      if (integer && !Number.isInteger(v)) return fail('NOT_AN_INTEGER', 'is not a whole number');
      return ok(decimalText(v));
    },
    fromText: (text) => {
      const trimmed = text.trim();
      if (trimmed === '') return ok(null);
      if (!DECIMAL.test(trimmed)) return fail('INVALID_FORMAT', 'is not a number (digits with an optional "." and sign, no thousands separators)');
      const n = Number(trimmed);
      if (!Number.isFinite(n)) return fail('NOT_FINITE', 'is too large');
      if (integer && !Number.isInteger(n)) return fail('NOT_AN_INTEGER', 'is not a whole number, and the Salesforce field holds whole numbers');
      return ok(n);
    },
    equals: (a, b) => (a === null || a === '' ? null : Number(a)) === (b === null || b === '' ? null : Number(b)),
  };
}

const booleanCodec: ScalarCodec = {
  family: 'boolean',
  toText: (v) => (typeof v === 'boolean' ? ok(String(v)) : v === null ? ok('false') : fail('WRONG_TYPE', 'is not true or false')),
  fromText: (text) => {
    const t = text.trim().toLowerCase();
    if (t === 'true') return ok(true);
    if (t === 'false' || t === '') return ok(false);
    return fail('INVALID_FORMAT', 'is not "true" or "false"');
  },
  equals: (a, b) => Boolean(a) === Boolean(b),
};

const dateCodec: ScalarCodec = {
  family: 'date',
  toText: (v) => {
    if (v === null || v === '') return ok(null);
    const date = typeof v === 'string' ? parseDate(v) : undefined;
    return date ? ok(formatDate(date)) : fail('INVALID_FORMAT', 'is not a calendar date YYYY-MM-DD');
  },
  fromText: (text) => {
    const t = text.trim();
    if (t === '') return ok(null);
    const date = parseDate(t);
    return date ? ok(formatDate(date)) : fail('INVALID_FORMAT', 'is not a calendar date YYYY-MM-DD');
  },
  equals: (a, b) => (a || null) === (b || null),
};

/** Salesforce datetimes as text are ISO-8601 in UTC with milliseconds: `2026-06-15T09:00:00.000Z`. */
const dateTimeCodec: ScalarCodec = {
  family: 'datetime',
  toText: (v) => {
    if (v === null || v === '') return ok(null);
    const millis = typeof v === 'string' ? parseInstant(v) : undefined;
    return millis === undefined ? fail('INVALID_FORMAT', 'is not an ISO-8601 date-time with an offset') : ok(new Date(millis).toISOString());
  },
  fromText: (text) => {
    const t = text.trim();
    if (t === '') return ok(null);
    const millis = parseInstant(t);
    return millis === undefined
      ? fail('INVALID_FORMAT', 'is not an ISO-8601 date-time with an offset, e.g. 2026-06-15T09:00:00Z')
      : ok(formatSalesforceDateTime(millis));
  },
  equals: (a, b) => instantOf(a) === instantOf(b),
};

function instantOf(v: SalesforceValue): number | null {
  return typeof v === 'string' && v !== '' ? (parseInstant(v) ?? Number.NaN) : null;
}
