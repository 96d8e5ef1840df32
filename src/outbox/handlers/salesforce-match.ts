import type { SalesforceValue } from '../../mapping/converters/converter.types';
import { soqlString } from '../../salesforce/salesforce-records';
import type { FieldDescribe, RecordFields, SObjectRecord } from '../../salesforce/salesforce.port';
import type { DispatchContext } from './handler-types';

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;
/** Field types SOQL can filter with `=` on a quoted or plain literal (long text areas cannot be filtered). */
const FILTERABLE_TYPES = new Set(['string', 'email', 'phone', 'picklist', 'url', 'boolean', 'double', 'int', 'currency', 'percent', 'id', 'reference']);
const MAX_MATCHES = 10;

export class InvalidFieldNameError extends Error {}

/** A SOQL literal for a scalar value; null when the value cannot be compared with `=` safely. */
export function soqlLiteral(value: SalesforceValue): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : soqlString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return String(value);
  return null;
}

/**
 * `SELECT Id, <fields> FROM <object> WHERE a = 'x' AND b = 'y' LIMIT 10`: every given condition
 * must hold. Values are escaped (soqlString); field names are checked, never interpolated blindly.
 */
export function matchQuery(object: string, conditions: Record<string, SalesforceValue>, select: readonly string[]): string | null {
  const names = [object, ...Object.keys(conditions), ...select];
  for (const name of names) if (!FIELD_NAME.test(name)) throw new InvalidFieldNameError(`not a Salesforce API name: ${JSON.stringify(name)}`);
  const where: string[] = [];
  for (const [field, value] of Object.entries(conditions)) {
    const literal = soqlLiteral(value);
    if (literal !== null) where.push(`${field} = ${literal}`);
  }
  if (where.length === 0) return null;
  const fields = ['Id', ...new Set(select.filter((f) => f !== 'Id'))];
  return `SELECT ${fields.join(', ')} FROM ${object} WHERE ${where.join(' AND ')} LIMIT ${MAX_MATCHES}`;
}

export async function queryAllMatches(ctx: DispatchContext, soql: string): Promise<SObjectRecord[]> {
  ctx.countRequests('salesforce', 1);
  const found: SObjectRecord[] = [];
  for await (const record of ctx.salesforce.query(soql)) found.push(record);
  return found;
}

/**
 * The conditions that find a record an earlier attempt of this create may have made when the object
 * has no match rules (its response was lost): created by the integration user, with the same value in
 * every filterable field the create sent. Dates are left out (they are not quoted in SOQL).
 */
export function createdByUsConditions(
  fields: Record<string, SalesforceValue>,
  describeFields: readonly FieldDescribe[],
  integrationUserId: string,
): Record<string, SalesforceValue> {
  const types = new Map(describeFields.map((f) => [f.name, f.type]));
  const conditions: Record<string, SalesforceValue> = { CreatedById: integrationUserId };
  for (const [field, value] of Object.entries(fields)) {
    const type = types.get(field);
    if (!type || !FILTERABLE_TYPES.has(type)) continue;
    if (typeof value === 'string' && DATE_LIKE.test(value)) continue;
    if (soqlLiteral(value) !== null) conditions[field] = value;
  }
  return conditions;
}

/** The fields whose value in `existing` differs from what the command wants (only updateable ones). */
export function differingFields(
  existing: SObjectRecord,
  wanted: Record<string, SalesforceValue>,
  describeFields: readonly FieldDescribe[],
): RecordFields {
  const updateable = new Set(describeFields.filter((f) => f.updateable).map((f) => f.name));
  const diff: RecordFields = {};
  for (const [field, value] of Object.entries(wanted)) {
    if (!updateable.has(field) || Array.isArray(value)) continue;
    if (!sameValue(existing[field], value)) diff[field] = value;
  }
  return diff;
}

/** Whether a Salesforce field's current value is the wanted one (empty is empty; numbers by value). */
export function sameValue(current: unknown, wanted: SalesforceValue): boolean {
  const empty = (v: unknown): boolean => v === null || v === undefined || v === '';
  if (empty(current) && empty(wanted)) return true;
  if (typeof wanted === 'number' && current !== null && current !== undefined && current !== '') return Number(current) === wanted;
  return String(current) === String(wanted);
}
