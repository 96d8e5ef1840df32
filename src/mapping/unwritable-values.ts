import type { MondayColumnSchema, SalesforceFieldSchema } from './live-schema';
import type { MappingProblemCode, PathSegment } from './mapping-problem';
import type { FieldMapping, ObjectMapping } from './mapping.types';

export interface UnwritableValues {
  /** Relative to the field's entry. */
  readonly path: readonly PathSegment[];
  readonly code: MappingProblemCode;
  readonly message: string;
}

/**
 * Values of a convertible field that the other side would refuse, found from the schemas before any
 * is sent (`crm-sync check` and start-up warnings): national phone numbers with no country to
 * read them in, and monday labels a restricted picklist has no value for.
 */
export function unwritableValues(object: ObjectMapping, field: FieldMapping, sf: SalesforceFieldSchema, column: MondayColumnSchema, phoneCountry: string | undefined): UnwritableValues[] {
  const found: UnwritableValues[] = [];
  if (column.type === 'phone' && phoneCountry === undefined && field.authority !== 'monday') {
    found.push({
      path: [],
      code: 'NO_PHONE_COUNTRY',
      message:
        `phone column "${column.id}" has no country for numbers written without a +country prefix (such as "(415) 555-0101" in ${object.salesforce}.${sf.name}): ` +
        'the monday account has no country and neither phoneCountry on this field nor defaults.phoneCountry is set, so such numbers become dead letters; set one of them (e.g. phoneCountry: US)',
    });
  }
  if (sf.restrictedPicklist && field.authority !== 'salesforce') {
    const labels = column.type === 'status' ? column.settings.statusLabels : column.type === 'dropdown' ? column.settings.dropdownLabels : undefined;
    const mappedLabels = new Set(Object.values(field.values));
    const picklist = new Set(sf.picklistValues.filter((p) => p.active).map((p) => p.value));
    for (const { label } of labels ?? []) {
      if (mappedLabels.has(label) || picklist.has(label)) continue;
      found.push({
        path: ['values'],
        code: 'UNWRITABLE_LABEL',
        message:
          `label "${label}" of ${column.type} column "${column.id}" is not a value of restricted picklist ${object.salesforce}.${sf.name} and no values entry maps to it: ` +
          `an item set to "${label}" becomes a dead letter; add a values entry (e.g. SomeValue: ${label}) or set authority: salesforce`,
      });
    }
  }
  return found;
}
