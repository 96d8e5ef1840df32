import type { FieldDescribe, PicklistValue, RecordFields, SObjectDescribe, SObjectRecord, SObjectSummary } from './salesforce.port';

/**
 * Plain data out of Salesforce's JSON: records without `attributes`, describes reduced to what the
 * service reads (reference 2.2). Read defensively: a field Salesforce leaves out gets a neutral value.
 */

type Json = Record<string, unknown>;

export function toRecord(raw: unknown): SObjectRecord {
  return stripAttributes(raw) as SObjectRecord;
}

/** Removes `attributes` from a record and from nested relationship records and subquery results. */
export function stripAttributes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripAttributes);
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'attributes') continue;
    out[key] = stripAttributes(inner);
  }
  return out;
}

/** Fields to send: no `Id`/`attributes` (they travel in the URL or envelope), optionally minus one more key. */
export function writableFields(fields: RecordFields, omit?: string): RecordFields {
  const out: RecordFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'Id' || key === 'attributes' || key === omit) continue;
    out[key] = value;
  }
  return out;
}

export function toDescribe(raw: unknown): SObjectDescribe {
  const d = asJson(raw);
  return {
    ...summaryFields(d),
    fields: Array.isArray(d.fields) ? d.fields.map(toFieldDescribe) : [],
  };
}

export function toSummary(raw: unknown): SObjectSummary {
  return summaryFields(asJson(raw));
}

function summaryFields(d: Json): SObjectSummary {
  return {
    name: str(d.name),
    label: str(d.label ?? d.name),
    keyPrefix: typeof d.keyPrefix === 'string' ? d.keyPrefix : null,
    custom: d.custom === true,
    createable: d.createable === true,
    updateable: d.updateable === true,
    deletable: d.deletable === true,
    queryable: d.queryable === true,
  };
}

function toFieldDescribe(raw: unknown): FieldDescribe {
  const f = asJson(raw);
  const field: FieldDescribe = {
    name: str(f.name),
    label: str(f.label ?? f.name),
    type: str(f.type),
    length: typeof f.length === 'number' ? f.length : 0,
    nillable: f.nillable === true,
    createable: f.createable === true,
    updateable: f.updateable === true,
    defaultedOnCreate: f.defaultedOnCreate === true,
    externalId: f.externalId === true,
    unique: f.unique === true,
    calculated: f.calculated === true,
    custom: f.custom === true,
    referenceTo: Array.isArray(f.referenceTo) ? f.referenceTo.filter((r): r is string => typeof r === 'string') : [],
    relationshipName: typeof f.relationshipName === 'string' ? f.relationshipName : null,
    picklistValues: Array.isArray(f.picklistValues) ? f.picklistValues.map(toPicklistValue) : [],
    restrictedPicklist: f.restrictedPicklist === true,
  };
  if (typeof f.scale === 'number') field.scale = f.scale;
  if (typeof f.precision === 'number') field.precision = f.precision;
  return field;
}

function toPicklistValue(raw: unknown): PicklistValue {
  const p = asJson(raw);
  return { value: str(p.value), label: str(p.label ?? p.value), active: p.active !== false, defaultValue: p.defaultValue === true };
}

export function asJson(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** A SOQL string literal: backslash and quote escaped (SOQL reference, "Quoted String Escape Sequences"). */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}
