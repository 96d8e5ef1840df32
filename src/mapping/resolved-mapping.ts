import { converterForField } from './converters/converter-registry';
import type { FieldConverter } from './converters/converter.types';
import type { LiveSchemas, MondayBoardSchema, MondayColumnSchema, SalesforceFieldSchema, SalesforceObjectSchema } from './live-schema';
import { phoneCountryFor } from './phone-country';
import { salesforceFieldsOf, type FieldMapping, type Mapping, type ObjectMapping } from './mapping.types';

/** The field key of the item name <-> the object's `name:` field. */
export const NAME_KEY = '__name__';

/** A mapped field with everything needed to move its value: the pair's converter and permissions. */
export interface ResolvedField {
  /** The monday column id (unique per object), or NAME_KEY. */
  key: string;
  mapping: FieldMapping;
  salesforceFields: readonly string[];
  column: MondayColumnSchema;
  converter: FieldConverter;
  /** False: the integration user cannot update it, so it only flows Salesforce -> monday. */
  salesforceUpdateable: boolean;
  salesforceCreateable: boolean;
}

export interface ResolvedObject {
  mapping: ObjectMapping;
  board: MondayBoardSchema;
  salesforce: SalesforceObjectSchema;
  fields: readonly ResolvedField[];
  fieldByColumn: ReadonlyMap<string, ResolvedField>;
  /** A Salesforce field name -> the mapped fields it feeds (a timeline takes two). */
  fieldsBySalesforceName: ReadonlyMap<string, readonly ResolvedField[]>;
  nameField: SalesforceFieldSchema;
}

export interface ResolvedMapping {
  mapping: Mapping;
  objects: readonly ResolvedObject[];
  byKey: ReadonlyMap<string, ResolvedObject>;
  byBoard: ReadonlyMap<string, ResolvedObject>;
  bySalesforceObject: ReadonlyMap<string, ResolvedObject>;
}

export class MappingResolutionError extends Error {
  readonly code = 'MAPPING_UNRESOLVED';
  constructor(readonly problems: string[]) {
    super(`The mapping does not match the live schemas:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Binds a validated mapping to the live schemas: for each field, its monday column, its Salesforce
 * field(s) and the converter for that type pair. Run `validateAgainstLive` first for user-facing
 * messages; this throws only on what validation would already have reported.
 */
export function resolveMapping(mapping: Mapping, live: LiveSchemas): ResolvedMapping {
  const problems: string[] = [];
  const objects: ResolvedObject[] = [];
  for (const object of mapping.objects) {
    const board = live.mondayBoards.find((b) => b.id === object.monday.board);
    const salesforce = live.salesforceObjects.find((o) => o.name === object.salesforce);
    if (!board || !salesforce) {
      problems.push(`objects.${object.key}: board ${object.monday.board} or object ${object.salesforce} not found`);
      continue;
    }
    const sfField = (name: string): SalesforceFieldSchema | undefined => salesforce.fields.find((f) => f.name === name);
    const fields: ResolvedField[] = [];
    object.fields.forEach((field, index) => {
      const column = board.columns.find((c) => c.id === field.monday);
      const names = salesforceFieldsOf(field);
      const schemas = names.map(sfField);
      if (!column || schemas.some((s) => !s)) {
        problems.push(`objects.${object.key}.fields[${index}]: column or field not found`);
        return;
      }
      const sfRef = schemas.length === 2 ? ([schemas[0], schemas[1]] as const) : (schemas[0] as SalesforceFieldSchema);
      const phoneCountry = phoneCountryFor(field, mapping, live)?.country;
      const choice = converterForField(field, sfRef as SalesforceFieldSchema, column, { timeZone: mapping.timeZone, ...(phoneCountry ? { phoneCountry } : {}) });
      if (!choice.ok) {
        problems.push(`objects.${object.key}.fields[${index}]: ${choice.reason}`);
        return;
      }
      fields.push({
        key: column.id,
        mapping: field,
        salesforceFields: names,
        column,
        converter: choice.converter,
        salesforceUpdateable: schemas.every((s) => s?.updateable),
        salesforceCreateable: schemas.every((s) => s?.createable),
      });
    });
    const nameField = sfField(object.name);
    if (!nameField) {
      problems.push(`objects.${object.key}.name: field ${object.name} not found`);
      continue;
    }
    const nameColumn: MondayColumnSchema = { id: NAME_KEY, title: 'Name', type: 'name', settings: {} };
    const nameChoice = converterForField(
      { salesforce: object.name, monday: NAME_KEY, authority: 'both', values: {}, createLabelsIfMissing: false },
      nameField,
      { ...nameColumn, type: 'text' },
      { timeZone: mapping.timeZone },
    );
    if (nameChoice.ok) {
      fields.push({
        key: NAME_KEY,
        mapping: { salesforce: object.name, monday: NAME_KEY, authority: nameField.updateable ? 'both' : 'salesforce', values: {}, createLabelsIfMissing: false },
        salesforceFields: [object.name],
        column: nameColumn,
        converter: nameChoice.converter,
        salesforceUpdateable: nameField.updateable,
        salesforceCreateable: nameField.createable,
      });
    }
    const bySalesforce = new Map<string, ResolvedField[]>();
    for (const field of fields) {
      for (const name of field.salesforceFields) bySalesforce.set(name, [...(bySalesforce.get(name) ?? []), field]);
    }
    objects.push({
      mapping: object,
      board,
      salesforce,
      fields,
      fieldByColumn: new Map(fields.map((f) => [f.key, f])),
      fieldsBySalesforceName: bySalesforce,
      nameField,
    });
  }
  if (problems.length > 0) throw new MappingResolutionError(problems);
  return {
    mapping,
    objects,
    byKey: new Map(objects.map((o) => [o.mapping.key, o])),
    byBoard: new Map(objects.map((o) => [o.mapping.monday.board, o])),
    bySalesforceObject: new Map(objects.map((o) => [o.mapping.salesforce, o])),
  };
}
