import type { MondayColumnSchema, SalesforceFieldSchema } from '../live-schema';
import { ConversionError, type ConversionErrorCode } from './conversion-error';
import type { Converted, MondayColumnRead, UnresolvedReason } from './converter.types';

/** What a converter is built for: one mapped field of one object. */
export interface ConverterSpec {
  /** The Salesforce field (the first of a timeline pair). */
  readonly field: SalesforceFieldSchema;
  /** The second field of a timeline pair. */
  readonly endField?: SalesforceFieldSchema;
  readonly column: MondayColumnSchema;
  /** Salesforce value -> monday label. */
  readonly values: Readonly<Record<string, string>>;
  readonly timeZone: string;
  readonly phoneCountry?: string;
  /** Object key a board relation points to. */
  readonly reference?: string;
}

export function fieldLabel(spec: ConverterSpec): string {
  return spec.endField ? `${spec.field.name},${spec.endField.name}` : spec.field.name;
}

export function value<T>(v: T): Converted<T> {
  return { kind: 'value', value: v };
}

export function invalid<T>(spec: ConverterSpec, code: ConversionErrorCode, input: unknown, hint: string): Converted<T> {
  return { kind: 'invalid', error: new ConversionError(code, fieldLabel(spec), spec.column.id, input, hint) };
}

export function unresolved<T>(reason: UnresolvedReason, detail: string): Converted<T> {
  return { kind: 'unresolved', reason, detail };
}

/** Chains a conversion step onto a successful result. */
export function then<A, B>(result: Converted<A>, next: (v: A) => Converted<B>): Converted<B> {
  return result.kind === 'value' ? next(result.value) : result;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The parsed `value` JSON of an API read; `null` when the column is empty. */
export function parseReadValue(spec: ConverterSpec, read: MondayColumnRead): Converted<unknown> {
  if (read.value === null || read.value === '') return value(null);
  try {
    return value(JSON.parse(read.value) as unknown);
  } catch {
    return invalid(spec, 'UNREADABLE_VALUE', read.value, 'is not the JSON monday returns for this column; re-read the item');
  }
}

/** A webhook `value` / `previousValue` that means "empty": null, undefined or `{}`. */
export function isEmptyInternal(internal: unknown): boolean {
  return internal === null || internal === undefined || (isRecord(internal) && Object.keys(internal).length === 0);
}

export function unknownWebhookShape<T>(spec: ConverterSpec, internal: unknown): Converted<T> {
  return unresolved('needs_api_read', `webhook value of ${spec.column.type} column ${spec.column.id} has an unexpected shape: ${JSON.stringify(internal)?.slice(0, 120)}`);
}

export function nonEmptyString(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}
