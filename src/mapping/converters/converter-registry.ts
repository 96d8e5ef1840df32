import type { FieldMapping } from '../mapping.types';
import { USER_REFERENCE } from '../mapping.types';
import type { MondayColumnSchema, SalesforceFieldSchema } from '../live-schema';
import { checkboxConverter, numbersConverter } from './numbers-column.converter';
import { emailConverter, linkConverter, phoneConverter } from './contact-column.converters';
import { countryConverter } from './country-column.converter';
import { dateConverter, dateTimeConverter } from './date-column.converters';
import { dropdownConverter, statusConverter } from './label-column.converters';
import { boardRelationConverter, peopleConverter } from './lookup-column.converters';
import { scalarCodecFor } from './salesforce-scalar-codec';
import { textColumnConverter } from './text-column.converter';
import { timelineConverter } from './timeline-column.converter';
import { invalid, type ConverterSpec } from './converter-kit';
import type { Converted, FieldConverter, SalesforceValue } from './converter.types';

/** One Salesforce field, or the `[start, end]` date fields of a timeline. */
export type SalesforceFieldRef = SalesforceFieldSchema | readonly [SalesforceFieldSchema, SalesforceFieldSchema];

export interface ConverterOptions {
  /** Salesforce value -> monday label (`values:` of the field). */
  readonly values?: Readonly<Record<string, string>>;
  /** `reference:` of the field: an object key for board relations, or `user`. */
  readonly reference?: string;
  /** IANA zone for date-only <-> date-with-time; default UTC. */
  readonly timeZone?: string;
  /** Country of national phone numbers (a number's own +prefix wins); without one only +numbers convert. */
  readonly phoneCountry?: string;
}

export type ConverterChoice = { readonly ok: true; readonly converter: FieldConverter } | { readonly ok: false; readonly reason: string };

const STRING_TYPES = ['string', 'textarea', 'encryptedstring', 'email', 'phone', 'url', 'picklist', 'combobox'];
const NUMBER_TYPES = ['double', 'currency', 'percent', 'int', 'long'];
const MONDAY_TYPES = ['text', 'long_text', 'name', 'numbers', 'status', 'dropdown', 'date', 'timeline', 'people', 'email', 'phone', 'link', 'checkbox', 'board_relation', 'country'];

type Factory = (spec: ConverterSpec) => FieldConverter | string;

/** Which (Salesforce type, monday column type) pairs convert, and how. A string is the reason there is no conversion. */
function factoryFor(field: SalesforceFieldSchema, columnType: string, reference: string | undefined): Factory | undefined {
  const type = field.type;
  const isUserLookup = type === 'reference' && field.referenceTo.includes('User');
  if (reference === USER_REFERENCE && columnType !== 'people') return undefined;
  if (reference !== undefined && reference !== USER_REFERENCE && columnType !== 'board_relation') return undefined;
  switch (columnType) {
    case 'text': {
      const codec = scalarCodecFor(type);
      return codec ? (spec) => textColumnConverter(spec, codec) : undefined;
    }
    case 'long_text':
    case 'name': {
      const codec = scalarCodecFor(type);
      const ok = STRING_TYPES.includes(type) || (columnType === 'long_text' && type === 'multipicklist');
      return ok && codec ? (spec) => textColumnConverter(spec, codec) : undefined;
    }
    case 'numbers':
      return NUMBER_TYPES.includes(type) ? numbersConverter : undefined;
    case 'status':
      return ['picklist', 'combobox', 'string'].includes(type) ? statusConverter : undefined;
    case 'dropdown':
      return ['picklist', 'combobox', 'multipicklist'].includes(type) ? dropdownConverter : undefined;
    case 'date':
      return type === 'date' ? dateConverter : type === 'datetime' ? dateTimeConverter : undefined;
    case 'people':
      return isUserLookup ? peopleConverter : undefined;
    case 'email':
      return ['email', 'string'].includes(type) ? emailConverter : undefined;
    case 'phone':
      return ['phone', 'string'].includes(type) ? phoneConverter : undefined;
    case 'link':
      return ['url', 'string'].includes(type) ? linkConverter : undefined;
    case 'checkbox':
      return type === 'boolean' ? checkboxConverter : undefined;
    case 'board_relation':
      if (type !== 'reference') return undefined;
      if (reference === undefined || reference === USER_REFERENCE) return () => 'a board relation needs `reference:` naming the object key of the linked board';
      return boardRelationConverter;
    case 'country':
      return ['string', 'picklist', 'combobox'].includes(type) ? countryConverter : undefined;
    default:
      return undefined;
  }
}

/**
 * The converter for one mapped field, chosen from the Salesforce field type and the monday column
 * type, or the reason there is none (a start-up error).
 */
export function converterFor(sf: SalesforceFieldRef, column: MondayColumnSchema, options: ConverterOptions = {}): ConverterChoice {
  const base = { column, values: options.values ?? {}, timeZone: options.timeZone ?? 'UTC', ...(options.phoneCountry ? { phoneCountry: options.phoneCountry } : {}), ...(options.reference ? { reference: options.reference } : {}) };
  if (isPair(sf)) {
    const [start, end] = sf;
    if (column.type !== 'timeline') return { ok: false, reason: `two Salesforce fields map only to a timeline column; "${column.id}" is a ${column.type} column` };
    if (start.type !== 'date' || end.type !== 'date') {
      return { ok: false, reason: `a timeline needs two date fields; ${start.name} is ${start.type}, ${end.name} is ${end.type}` };
    }
    return { ok: true, converter: guarded({ ...base, field: start, endField: end }, timelineConverter({ ...base, field: start, endField: end })) };
  }
  if (column.type === 'timeline') {
    return { ok: false, reason: `a timeline column takes two date fields: salesforce: [StartField, EndField] (got only ${sf.name})` };
  }
  const factory = factoryFor(sf, column.type, options.reference);
  if (!factory) return { ok: false, reason: noConversionReason(sf, column, options.reference) };
  const spec: ConverterSpec = { ...base, field: sf };
  const built = factory(spec);
  if (typeof built === 'string') return { ok: false, reason: built };
  return { ok: true, converter: guarded(spec, built) };
}

/** What a field's converter takes from outside its own entry: the mapping's zone, the phone country found for it. */
export interface FieldContext {
  readonly timeZone: string;
  /** See phoneCountryFor: the field's phoneCountry, defaults.phoneCountry, or the monday account's country. */
  readonly phoneCountry?: string;
}

/** converterFor with the options of a mapping entry. */
export function converterForField(
  field: FieldMapping,
  sf: SalesforceFieldRef,
  column: MondayColumnSchema,
  context: FieldContext,
  reference: string | undefined = field.reference,
): ConverterChoice {
  const phoneCountry = field.phoneCountry ?? context.phoneCountry;
  return converterFor(sf, column, {
    values: field.values,
    timeZone: context.timeZone,
    ...(reference !== undefined ? { reference } : {}),
    ...(phoneCountry !== undefined ? { phoneCountry } : {}),
  });
}

/** The monday column types a Salesforce field can map to (for messages and `crm-sync init`). */
export function compatibleColumnTypes(field: SalesforceFieldSchema, reference?: string): string[] {
  return MONDAY_TYPES.filter((columnType) => {
    const factory = factoryFor(field, columnType, reference ?? (columnType === 'people' ? USER_REFERENCE : columnType === 'board_relation' ? 'x' : undefined));
    return factory !== undefined;
  });
}

function noConversionReason(field: SalesforceFieldSchema, column: MondayColumnSchema, reference: string | undefined): string {
  if (reference === USER_REFERENCE && column.type !== 'people') return `\`reference: user\` needs a people column; "${column.id}" is a ${column.type} column`;
  if (reference !== undefined && reference !== USER_REFERENCE && column.type !== 'board_relation') {
    return `\`reference: ${reference}\` needs a board_relation column; "${column.id}" is a ${column.type} column`;
  }
  const fits = compatibleColumnTypes(field);
  const what = `no conversion between Salesforce ${field.type} field ${field.name} and monday ${column.type} column "${column.id}"`;
  if (!MONDAY_TYPES.includes(column.type)) return `${what}: crm-sync does not sync ${column.type} columns${fits.length ? ` (${field.name} fits: ${fits.join(', ')})` : ''}`;
  return fits.length ? `${what} (a ${field.type} field fits: ${fits.join(', ')})` : `${what}: crm-sync does not sync ${field.type} fields`;
}

function isPair(sf: SalesforceFieldRef): sf is readonly [SalesforceFieldSchema, SalesforceFieldSchema] {
  return Array.isArray(sf);
}

/**
 * Checks every converter shares: a value Salesforce would refuse is an error here, with the fix,
 * rather than a failed write later (too long for the field; empty for a required field).
 */
function guarded(spec: ConverterSpec, converter: FieldConverter): FieldConverter {
  const check = (result: Converted<SalesforceValue>, raw: unknown): Converted<SalesforceValue> => {
    if (result.kind !== 'value') return result;
    const fields = spec.endField ? [spec.field, spec.endField] : [spec.field];
    const values = spec.endField && Array.isArray(result.value) ? (result.value as readonly unknown[]) : [result.value];
    for (const [i, field] of fields.entries()) {
      const v = values[i];
      if ((v === null || v === undefined) && !field.nillable && field.type !== 'boolean') {
        return invalid(spec, 'REQUIRED_VALUE', raw, `is empty, but ${field.name} is required in Salesforce; fill the column`);
      }
      if (typeof v === 'string' && field.length > 0 && v.length > field.length) {
        return invalid(spec, 'TOO_LONG', raw, `has ${v.length} characters; ${field.name} holds ${field.length}`);
      }
    }
    return result;
  };
  return {
    pair: converter.pair,
    toMonday: (v, context) => converter.toMonday(v, context),
    fromMondayApi: (read, context) => check(converter.fromMondayApi(read, context), read.value ?? read.text),
    fromMondayWebhook: (internal, context) => check(converter.fromMondayWebhook(internal, context), internal),
    equals: (a, b) => converter.equals(a, b),
  };
}
