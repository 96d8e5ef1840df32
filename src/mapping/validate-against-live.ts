import { closestNames, listNames } from './closest-names';
import { converterForField } from './converters/converter-registry';
import { phoneCountryFor } from './phone-country';
import { unwritableValues } from './unwritable-values';
import type { LiveSchemas, MondayBoardSchema, MondayColumnSchema, SalesforceFieldSchema, SalesforceObjectSchema } from './live-schema';
import { problemAt, sortProblems, type MappingProblem, type MappingProblemCode, type PathSegment, type ProblemSeverity } from './mapping-problem';
import { conditionValues, USER_REFERENCE, type Condition, type FieldMapping, type Mapping, type ObjectMapping } from './mapping.types';

type Report = (path: PathSegment[], code: MappingProblemCode, message: string, severity?: ProblemSeverity) => void;

/**
 * Checks a loaded mapping against the live schemas: monday boards (columns, groups, labels) and
 * Salesforce describes. Returns every problem with its path (errors, warnings, and notices such as
 * "name is one-way"); the caller decides what stops start-up (any `error`).
 */
export function validateAgainstLive(mapping: Mapping, live: LiveSchemas): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const report: Report = (path, code, message, severity = 'error') => problems.push(problemAt(mapping.source, path, code, message, severity));
  for (const object of mapping.objects) validateObject(mapping, object, live, report);
  return sortProblems(problems);
}

function validateObject(mapping: Mapping, object: ObjectMapping, live: LiveSchemas, report: Report): void {
  const base: PathSegment[] = ['objects', object.key];
  const sObject = findObject(live, object.salesforce);
  if (!sObject) {
    const guesses = closestNames(object.salesforce, live.salesforceObjects.map((o) => o.name));
    report([...base, 'salesforce'], 'UNKNOWN_OBJECT', `Salesforce object ${object.salesforce} does not exist or is not visible to the integration user${guesses.length ? ` (did you mean ${guesses.join(', ')}?)` : ''}`);
  }
  const board = live.mondayBoards.find((b) => b.id === object.monday.board);
  if (!board) {
    report([...base, 'monday', 'board'], 'UNKNOWN_BOARD', `board ${object.monday.board} does not exist or is not shared with the integration user`);
  }
  const column = (id: string, path: PathSegment[]): MondayColumnSchema | undefined => {
    if (!board) return undefined;
    const found = board.columns.find((c) => c.id === id);
    if (!found) report(path, 'UNKNOWN_COLUMN', unknownColumnMessage(id, board));
    return found;
  };
  const sfField = (name: string, path: PathSegment[]): SalesforceFieldSchema | undefined => {
    if (!sObject) return undefined;
    const found = sObject.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!found) report(path, 'UNKNOWN_FIELD', unknownFieldMessage(name, sObject));
    return found;
  };

  if (board) {
    const idColumn = board.columns.find((c) => c.id === object.monday.salesforceIdColumn);
    if (!idColumn) {
      report([...base, 'monday', 'salesforceIdColumn'], 'UNKNOWN_COLUMN', `${unknownColumnMessage(object.monday.salesforceIdColumn, board)}; \`crm-sync init\` creates it`);
    } else if (idColumn.type !== 'text') {
      report([...base, 'monday', 'salesforceIdColumn'], 'BAD_ID_COLUMN', `column "${idColumn.id}" is a ${idColumn.type} column; the Salesforce Id column must be a text column`);
    }
    if (object.monday.group !== undefined && !board.groups.some((g) => g.id === object.monday.group)) {
      report([...base, 'monday', 'group'], 'UNKNOWN_GROUP', `group "${object.monday.group}" does not exist on board ${board.id} (has: ${listNames(board.groups.map((g) => g.id))})`);
    }
  }

  const nameField = sfField(object.name, [...base, 'name']);
  if (nameField) {
    const nameColumn: MondayColumnSchema = { id: 'name', title: 'Name', type: 'name', settings: {} };
    const choice = converterForField({ salesforce: nameField.name, monday: 'name', authority: 'both', values: {}, createLabelsIfMissing: false }, nameField, nameColumn, { timeZone: mapping.timeZone });
    if (!choice.ok) report([...base, 'name'], 'NO_CONVERSION', `${object.salesforce}.${nameField.name} is a ${nameField.type} field and cannot be an item name`);
    if (!nameField.updateable) {
      report([...base, 'name'], 'NAME_ONE_WAY', `${object.salesforce}.${nameField.name} is not updateable, so the item name is one-way: Salesforce -> monday (renaming an item on monday changes nothing in Salesforce)`, 'notice');
    }
  }

  object.fields.forEach((field, index) => validateField(mapping, object, field, [...base, 'fields', index], { board, sObject, live, column, sfField }, report));

  for (const [side, policy] of Object.entries(object.create)) {
    if (policy.when) validateCondition(policy.when, [...base, 'create', side, 'when'], column, report);
  }
  if (object.convert) validateCondition(object.convert.when, [...base, 'convert', 'when'], column, report);
  object.match.forEach((name, index) => sfField(name, [...base, 'match', index]));

  if (sObject && object.create.salesforce.enabled) {
    const mapped = new Set([object.name, ...object.fields.flatMap((f) => (typeof f.salesforce === 'string' ? [f.salesforce] : f.salesforce))].map((n) => n.toLowerCase()));
    const missing = sObject.fields.filter((f) => f.createable && !f.nillable && !f.defaultedOnCreate && !mapped.has(f.name.toLowerCase()));
    if (missing.length > 0) {
      report(
        [...base, 'create', 'salesforce'],
        'REQUIRED_FIELD_UNMAPPED',
        `creating ${object.salesforce} records from monday needs ${missing.map((f) => f.name).join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not mapped: creates will fail`,
        'warning',
      );
    }
  }
}

interface Lookups {
  readonly board: MondayBoardSchema | undefined;
  readonly sObject: SalesforceObjectSchema | undefined;
  readonly live: LiveSchemas;
  column(id: string, path: PathSegment[]): MondayColumnSchema | undefined;
  sfField(name: string, path: PathSegment[]): SalesforceFieldSchema | undefined;
}

function validateField(mapping: Mapping, object: ObjectMapping, field: FieldMapping, path: PathSegment[], lookups: Lookups, report: Report): void {
  const names = typeof field.salesforce === 'string' ? [field.salesforce] : field.salesforce;
  const sfFields = names.map((name, i) => lookups.sfField(name, typeof field.salesforce === 'string' ? [...path, 'salesforce'] : [...path, 'salesforce', i]));
  const column = lookups.column(field.monday, [...path, 'monday']);
  if (sfFields.some((f) => f === undefined)) return;
  const resolved = sfFields as SalesforceFieldSchema[];
  const [first] = resolved;
  if (!first) return;

  if (field.authority !== 'salesforce') {
    for (const f of resolved.filter((x) => !x.updateable)) {
      report(
        [...path, 'authority'],
        'NOT_UPDATEABLE',
        `${object.salesforce}.${f.name} is not updateable by the integration user, so monday cannot change it; set authority: salesforce (the default is both)`,
      );
    }
  }

  const reference = resolveReference(mapping, object, field, first, column, path, report);
  if (column) {
    const phoneCountry = phoneCountryFor(field, mapping, lookups.live)?.country;
    const context = { timeZone: mapping.timeZone, ...(phoneCountry ? { phoneCountry } : {}) };
    const choice = converterForField(field, resolved.length === 2 ? [resolved[0]!, resolved[1]!] : first, column, context, reference);
    if (!choice.ok) report(path, 'NO_CONVERSION', choice.reason);
    else for (const unsafe of unwritableValues(object, field, first, column, phoneCountry)) report([...path, ...unsafe.path], unsafe.code, unsafe.message, 'warning');
  }
  validateValues(object, field, first, column, path, report);
}

/** The object key a reference points to (inferred when the field's referenceTo names one mapped object). */
function resolveReference(
  mapping: Mapping,
  object: ObjectMapping,
  field: FieldMapping,
  sf: SalesforceFieldSchema,
  column: MondayColumnSchema | undefined,
  path: PathSegment[],
  report: Report,
): string | undefined {
  const where = [...path, 'reference'];
  if (field.reference === USER_REFERENCE) {
    if (sf.type !== 'reference' || !sf.referenceTo.includes('User')) {
      report(where, 'BAD_REFERENCE', `${object.salesforce}.${sf.name} is not a lookup to User (it is ${describeField(sf)}), so \`reference: user\` does not apply`);
    }
    return field.reference;
  }
  if (field.reference === undefined) {
    if (column?.type !== 'board_relation' || sf.type !== 'reference') return undefined;
    const candidates = mapping.objects.filter((o) => sf.referenceTo.includes(o.salesforce));
    if (candidates.length === 1) return candidates[0]!.key;
    report(where, 'BAD_REFERENCE', candidates.length === 0
      ? `${object.salesforce}.${sf.name} points to ${sf.referenceTo.join(' or ')}, which no object of this file syncs; add that object, or map the field to a text column`
      : `${object.salesforce}.${sf.name} could point to objects ${candidates.map((c) => c.key).join(', ')}; say which with \`reference:\``);
    return undefined;
  }
  const target = mapping.objects.find((o) => o.key === field.reference);
  if (!target) return field.reference; // reported by the file checks
  if (sf.type !== 'reference' || !sf.referenceTo.includes(target.salesforce)) {
    report(where, 'BAD_REFERENCE', `${object.salesforce}.${sf.name} ${sf.type === 'reference' ? `points to ${sf.referenceTo.join(' or ')}` : `is ${describeField(sf)}`}, not to ${target.salesforce} (objects.${target.key})`);
  }
  const linkable = column?.type === 'board_relation' ? column.settings.boardIds : undefined;
  if (linkable && linkable.length > 0 && !linkable.includes(target.monday.board)) {
    report(where, 'BAD_REFERENCE', `board relation column "${column!.id}" links board${linkable.length > 1 ? 's' : ''} ${linkable.join(', ')}, not board ${target.monday.board} of objects.${target.key}; connect that board in the column settings`);
  }
  return field.reference;
}

function validateValues(object: ObjectMapping, field: FieldMapping, sf: SalesforceFieldSchema, column: MondayColumnSchema | undefined, path: PathSegment[], report: Report): void {
  const entries = Object.entries(field.values);
  if (entries.length === 0) return;
  const picklist = sf.picklistValues;
  const isPicklist = ['picklist', 'multipicklist', 'combobox'].includes(sf.type) && picklist.length > 0;
  const labels = column?.type === 'status' ? column.settings.statusLabels : column?.type === 'dropdown' ? column.settings.dropdownLabels : undefined;
  for (const [value, label] of entries) {
    const where = [...path, 'values', value];
    const known = picklist.find((p) => p.value === value);
    if (isPicklist && !known) {
      const message = `"${value}" is not a value of ${sf.restrictedPicklist ? 'restricted ' : ''}picklist ${object.salesforce}.${sf.name} (has: ${listNames(picklist.filter((p) => p.active).map((p) => p.value))})`;
      report(where, 'BAD_PICKLIST_VALUE', sf.restrictedPicklist ? `${message}; Salesforce would reject it` : message, sf.restrictedPicklist ? 'error' : 'warning');
    } else if (known && !known.active) {
      report(where, 'BAD_PICKLIST_VALUE', `"${value}" is an inactive value of picklist ${object.salesforce}.${sf.name}`, 'warning');
    }
    if (labels && labels.length > 0 && !labels.some((l) => l.label === label) && !field.createLabelsIfMissing) {
      report(where, 'UNKNOWN_LABEL', `label "${label}" is not on ${column!.type} column "${column!.id}" (has: ${listNames(labels.map((l) => l.label))}); add the label or set createLabelsIfMissing: true`, 'warning');
    }
    const shadowed = picklist.find((p) => p.value === label && p.value !== value && !Object.hasOwn(field.values, p.value));
    if (shadowed) {
      report(where, 'AMBIGUOUS_VALUES', `label "${label}" is also the picklist value "${shadowed.value}", which passes through unchanged: a "${label}" on monday would become "${value}"; map "${shadowed.value}" too`, 'warning');
    }
  }
}

function validateCondition(condition: Condition, path: PathSegment[], column: Lookups['column'], report: Report): void {
  const { column: id, values } = conditionValues(condition);
  const found = column(id, [...path, 'column']);
  const labels = found?.type === 'status' ? found.settings.statusLabels : found?.type === 'dropdown' ? found.settings.dropdownLabels : undefined;
  if (!labels || labels.length === 0) return;
  for (const value of values) {
    if (!labels.some((l) => l.label === value)) {
      report(path, 'UNKNOWN_LABEL', `label "${value}" is not on ${found!.type} column "${id}" (has: ${listNames(labels.map((l) => l.label))}), so this condition never matches it`, 'warning');
    }
  }
}

function findObject(live: LiveSchemas, name: string): SalesforceObjectSchema | undefined {
  return live.salesforceObjects.find((o) => o.name.toLowerCase() === name.toLowerCase());
}

function unknownColumnMessage(id: string, board: MondayBoardSchema): string {
  const guess = closestNames(id, board.columns.map((c) => c.id))[0] ?? closestNames(id, board.columns.map((c) => c.title))[0];
  const byTitle = board.columns.find((c) => c.title.toLowerCase() === id.toLowerCase());
  const hint = byTitle ? ` (that is the title of column "${byTitle.id}": use the id)` : guess ? ` (did you mean "${guess}"?)` : '';
  return `column "${id}" does not exist on board ${board.id}${hint} (has: ${listNames(board.columns.map((c) => c.id))})`;
}

function unknownFieldMessage(name: string, sObject: SalesforceObjectSchema): string {
  const guesses = closestNames(name, sObject.fields.map((f) => f.name));
  return `field ${name} does not exist on ${sObject.name} or is not visible to the integration user${guesses.length ? ` (did you mean ${guesses.join(', ')}?)` : ''}`;
}

function describeField(sf: SalesforceFieldSchema): string {
  return sf.type === 'reference' ? `a lookup to ${sf.referenceTo.join(' or ')}` : `a ${sf.type} field`;
}
