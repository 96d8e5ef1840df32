import { detail, SalesforceApiError } from '../errors';
import { FieldDefinition, FieldValue } from '../schema/field-definition';
import { parseDateTime } from '../store/field-values';
import { normalizeId } from '../ids/salesforce-id';
import { Literal } from './soql-ast';

const DAY_MS = 24 * 3600 * 1000;
const NUMERIC = new Set(['int', 'double', 'currency', 'percent']);
const TEXTUAL = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist']);

/** A literal converted to the field's domain; date ranges for TODAY / LAST_N_DAYS:n. */
export type Operand =
  | { kind: 'null' }
  | { kind: 'text'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'range'; start: number; end: number };

/** Checks a literal against a field's type the way Salesforce does (e.g. no quoted dates). */
export function toOperand(field: FieldDefinition, literal: Literal, now: number): Operand {
  const mismatch = () =>
    new SalesforceApiError(400, [
      detail(
        'INVALID_FIELD',
        `value of filter criterion for field '${field.name}' must be of type ${typeName(field)} and should not be enclosed in quotes`,
      ),
    ]);
  if (literal.type === 'null') return { kind: 'null' };
  if (field.type === 'date' || field.type === 'datetime') {
    if (literal.type === 'dateLiteral') return dateLiteralRange(literal.name, literal.n, now);
    if (field.type === 'date' && literal.type === 'date') {
      const start = Date.parse(`${literal.value}T00:00:00Z`);
      return { kind: 'range', start, end: start + DAY_MS };
    }
    if (field.type === 'datetime' && literal.type === 'datetime') {
      return { kind: 'range', start: literal.value, end: literal.value + 1 };
    }
    throw mismatch();
  }
  if (NUMERIC.has(field.type)) {
    if (literal.type !== 'number') throw mismatch();
    return { kind: 'number', value: literal.value };
  }
  if (field.type === 'boolean') {
    if (literal.type !== 'boolean') throw mismatch();
    return { kind: 'boolean', value: literal.value };
  }
  if (literal.type !== 'string') throw mismatch();
  if (field.type === 'id' || field.type === 'reference') {
    const id = normalizeId(literal.value);
    if (!id) throw new SalesforceApiError(400, [detail('INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${literal.value}`)]);
    return { kind: 'text', value: id.toLowerCase() };
  }
  return { kind: 'text', value: literal.value.toLowerCase() };
}

function typeName(field: FieldDefinition): string {
  if (field.type === 'datetime') return 'dateTime';
  if (NUMERIC.has(field.type)) return 'number';
  return field.type;
}

function dateLiteralRange(name: string, n: number | null, now: number): Operand {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const d = new Date(today);
  switch (name) {
    case 'TODAY':
      return { kind: 'range', start: today, end: today + DAY_MS };
    case 'YESTERDAY':
      return { kind: 'range', start: today - DAY_MS, end: today };
    case 'TOMORROW':
      return { kind: 'range', start: today + DAY_MS, end: today + 2 * DAY_MS };
    case 'LAST_N_DAYS':
      return { kind: 'range', start: today - (n ?? 0) * DAY_MS, end: today + DAY_MS };
    case 'NEXT_N_DAYS':
      return { kind: 'range', start: today, end: today + ((n ?? 0) + 1) * DAY_MS };
    case 'THIS_WEEK':
    case 'LAST_WEEK': {
      const start = today - d.getUTCDay() * DAY_MS - (name === 'LAST_WEEK' ? 7 * DAY_MS : 0);
      return { kind: 'range', start, end: start + 7 * DAY_MS };
    }
    case 'THIS_MONTH':
    case 'LAST_MONTH': {
      const month = d.getUTCMonth() - (name === 'LAST_MONTH' ? 1 : 0);
      return { kind: 'range', start: Date.UTC(d.getUTCFullYear(), month, 1), end: Date.UTC(d.getUTCFullYear(), month + 1, 1) };
    }
    default:
      return { kind: 'range', start: Date.UTC(d.getUTCFullYear(), 0, 1), end: Date.UTC(d.getUTCFullYear() + 1, 0, 1) };
  }
}

/** A stored value in the same domain as the operands (dates/datetimes as epoch ms). */
export function comparable(field: FieldDefinition, value: FieldValue): string | number | boolean | null {
  if (value === null) return null;
  if (field.type === 'date') return Date.parse(`${String(value)}T00:00:00Z`);
  if (field.type === 'datetime') return parseDateTime(String(value));
  if (TEXTUAL.has(field.type) || field.type === 'id' || field.type === 'reference') return String(value).toLowerCase();
  return value;
}

export function compare(op: string, value: string | number | boolean | null, operand: Operand): boolean {
  if (operand.kind === 'null') return op === '=' ? value === null : op === '!=' ? value !== null : false;
  if (value === null) return op === '!=';
  if (operand.kind === 'range') {
    const v = value as number;
    switch (op) {
      case '=':
        return v >= operand.start && v < operand.end;
      case '!=':
        return v < operand.start || v >= operand.end;
      case '<':
        return v < operand.start;
      case '<=':
        return v < operand.end;
      case '>':
        return v >= operand.end;
      case '>=':
        return v >= operand.start;
      default:
        return false;
    }
  }
  const o = operand.value;
  switch (op) {
    case '=':
      return value === o;
    case '!=':
      return value !== o;
    case '<':
      return value < o;
    case '<=':
      return value <= o;
    case '>':
      return value > o;
    case '>=':
      return value >= o;
    case 'LIKE':
      return typeof value === 'string' && typeof o === 'string' && likeToRegExp(o).test(value);
    default:
      return false;
  }
}

const likeCache = new Map<string, RegExp>();

function likeToRegExp(pattern: string): RegExp {
  let re = likeCache.get(pattern);
  if (re) return re;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '\\' && (pattern.charAt(i + 1) === '%' || pattern.charAt(i + 1) === '_')) {
      source += '\\' + pattern.charAt(++i);
    } else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  re = new RegExp(`^${source}$`, 'i');
  likeCache.set(pattern, re);
  return re;
}

/** Sort comparison honouring NULLS FIRST/LAST; strings case-insensitive. */
export function orderValues(
  a: string | number | boolean | null,
  b: string | number | boolean | null,
  descending: boolean,
  nullsFirst: boolean,
): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === nullsFirst ? -1 : 1;
  }
  const c = a < b ? -1 : a > b ? 1 : 0;
  return descending ? -c : c;
}
