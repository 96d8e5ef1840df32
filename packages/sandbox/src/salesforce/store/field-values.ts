import { ApiErrorDetail, detail } from '../errors';
import { normalizeId } from '../ids/salesforce-id';
import { FieldDefinition, FieldValue, numericPrecision } from '../schema/field-definition';

/** REST datetime form: `2024-04-09T20:26:27.000+0000` (reference 2). */
export function formatDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}

/** Parses ISO-8601 datetimes as Salesforce accepts them (Z, +hh:mm, +hhmm, no fraction). */
export function parseDateTime(value: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
  if (!m) return null;
  const time = m[2] ?? '00:00:00';
  let zone = m[3] ?? 'Z';
  if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${m[1]}T${time.length === 5 ? time + ':00' : time}${zone}`);
  return Number.isNaN(ms) ? null : ms;
}

/** CometD form of a stored datetime: ISO UTC with `Z` (reference 5.6). */
export function toIsoUtc(restDateTime: string): string {
  return restDateTime.replace('+0000', 'Z');
}

function isValidDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function deserializeError(f: FieldDefinition, raw: unknown): ApiErrorDetail {
  const kind = typeof raw === 'string' ? 'VALUE_STRING' : typeof raw === 'object' ? 'START_OBJECT' : 'VALUE_NUMBER';
  return detail(
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${f.type} from ${kind} value ${String(raw)} or request may be missing a required field`,
  );
}

const TEXT_TYPES = new Set(['string', 'textarea', 'phone', 'url', 'email', 'picklist']);

/**
 * Converts one incoming JSON value to its stored form, or the error Salesforce gives for it.
 * Text is stored trimmed, and empty (or whitespace-only) text as null, as Salesforce stores them: a
 * required field given "   " is then REQUIRED_FIELD_MISSING.
 */
export function coerceFieldValue(f: FieldDefinition, raw: unknown): { value: FieldValue } | { error: ApiErrorDetail } {
  if (typeof raw === 'string' && TEXT_TYPES.has(f.type)) raw = raw.trim();
  if (raw === null || raw === undefined || raw === '') return { value: null };
  switch (f.type) {
    case 'string':
    case 'textarea':
    case 'phone':
    case 'url':
    case 'email': {
      if (typeof raw === 'object') return { error: deserializeError(f, raw) };
      const s = String(raw);
      if (s.length > f.length) {
        return {
          error: detail('STRING_TOO_LONG', `${f.label}: data value too large: ${s.slice(0, 80)} (max length=${f.length})`, [f.name]),
        };
      }
      if (f.type === 'email' && !EMAIL.test(s)) {
        return { error: detail('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${s}`, [f.name]) };
      }
      return { value: s };
    }
    case 'picklist': {
      if (typeof raw === 'object') return { error: deserializeError(f, raw) };
      const s = String(raw);
      if (f.restrictedPicklist && !f.picklistValues.some((p) => p.value === s)) {
        return { error: restrictedPicklistError(f, s) };
      }
      return { value: s };
    }
    case 'multipicklist': {
      if (typeof raw !== 'string') return { error: deserializeError(f, raw) };
      const values = [...new Set(raw.split(';').map((v) => v.trim()).filter((v) => v !== ''))];
      if (f.restrictedPicklist) {
        const bad = values.find((v) => !f.picklistValues.some((p) => p.value === v));
        if (bad !== undefined) return { error: restrictedPicklistError(f, bad) };
      }
      return { value: values.length === 0 ? null : values.join(';') };
    }
    case 'boolean':
      if (typeof raw === 'boolean') return { value: raw };
      if (raw === 'true' || raw === 'false') return { value: raw === 'true' };
      return { error: deserializeError(f, raw) };
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) return { error: deserializeError(f, raw) };
      if (f.type === 'int' && !Number.isInteger(n)) return { error: deserializeError(f, raw) };
      return withinPrecision(f, n);
    }
    case 'date': {
      if (typeof raw !== 'string') return { error: deserializeError(f, raw) };
      const d = raw.length > 10 ? raw.slice(0, 10) : raw;
      return isValidDate(d) ? { value: d } : { error: deserializeError(f, raw) };
    }
    case 'datetime': {
      if (typeof raw !== 'string') return { error: deserializeError(f, raw) };
      const ms = parseDateTime(raw);
      return ms === null ? { error: deserializeError(f, raw) } : { value: formatDateTime(ms) };
    }
    case 'id':
    case 'reference': {
      if (typeof raw !== 'string') return { error: deserializeError(f, raw) };
      const id = normalizeId(raw);
      if (!id) return { error: detail('MALFORMED_ID', `${f.label}: id value of incorrect type: ${raw}`, [f.name]) };
      return { value: id };
    }
  }
}

/** Rounds extra decimals half up, then refuses more integer digits than precision - scale allows. */
function withinPrecision(f: FieldDefinition, n: number): { value: number } | { error: ApiErrorDetail } {
  const { precision, scale } = numericPrecision(f);
  const factor = 10 ** scale;
  const rounded = (Math.sign(n) * Math.round(Math.abs(n) * factor)) / factor;
  if (Math.abs(rounded) >= 10 ** (precision - scale)) {
    return {
      error: detail('NUMBER_OUTSIDE_VALID_RANGE', `${f.label}: value outside of valid range on numeric field: ${javaDouble(n)}`, [f.name]),
    };
  }
  return { value: rounded === 0 ? 0 : rounded };
}

/** How Salesforce (Java's Double.toString) prints the refused number: 1.0E20, 123456.0. */
export function javaDouble(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) return Number.isInteger(n) ? `${n}.0` : String(n);
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

function restrictedPicklistError(f: FieldDefinition, value: string): ApiErrorDetail {
  return detail(
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    `${f.label}: bad value for restricted picklist field: ${value}`,
    [f.name],
  );
}
