import { salesforceFieldsOf } from '../mapping/mapping.types';
import type { ResolvedMapping } from '../mapping/resolved-mapping';
import type { DispatchError } from './dispatch-error';

/**
 * Where the field a CRM rejected is mapped, e.g. `objects.lead.fields[3]`, so a dead letter's hint
 * points at the line to fix. Null when the mapping is unknown or the field is not a mapped one.
 */
export function fieldLocation(mapping: ResolvedMapping | null, objectKey: string, error: DispatchError): string | null {
  const object = mapping?.byKey.get(objectKey)?.mapping;
  if (!object || !error.field) return null;
  const field = error.field;
  const index = object.fields.findIndex((f) => (error.target === 'monday' ? f.monday === field : salesforceFieldsOf(f).includes(field)));
  if (index !== -1) return `objects.${objectKey}.fields[${index}]`;
  if (error.target === 'salesforce' && object.name === field) return `objects.${objectKey}.name`;
  return null;
}
