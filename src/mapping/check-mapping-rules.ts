import { validateCronExpression } from 'cron';
import { closestNames } from './closest-names';
import { problemAt, type MappingProblem, type PathSegment } from './mapping-problem';
import { USER_REFERENCE, type MappingSource, type ObjectMapping } from './mapping.types';

/** What convert targets must be, by role. */
const CONVERT_TARGETS = { account: 'Account', contact: 'Contact', opportunity: 'Opportunity' } as const;

/**
 * Rules the JSON Schema cannot express, checked within the file (no live schemas needed).
 * `allKeys` holds every object key of the file, including objects that failed the schema, so a
 * reference to them is not reported twice.
 */
export function checkMappingRules(
  objects: readonly ObjectMapping[],
  allKeys: readonly string[],
  timeZone: string | undefined,
  source: MappingSource,
): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const at = (path: PathSegment[], code: MappingProblem['code'], message: string) => problems.push(problemAt(source, path, code, message));
  const byKey = new Map(objects.map((o) => [o.key, o]));
  const unknownKey = (key: string) => {
    const guess = closestNames(key, allKeys)[0];
    return `"${key}" is not an object key of this file${guess ? ` (did you mean "${guess}"?)` : ''}; keys: ${allKeys.join(', ')}`;
  };

  if (timeZone !== undefined && !isTimeZone(timeZone)) {
    at(['timeZone'], 'BAD_TIME_ZONE', `"${timeZone}" is not an IANA time zone (e.g. UTC, Europe/Berlin, America/New_York)`);
  }
  if (allKeys.includes(USER_REFERENCE)) {
    at(['objects', USER_REFERENCE], 'SCHEMA', `"${USER_REFERENCE}" is reserved for \`reference: user\`; choose another object key`);
  }

  const boards = new Map<string, string>();
  for (const object of objects) {
    const base: PathSegment[] = ['objects', object.key];
    const otherKey = boards.get(object.monday.board);
    if (otherKey !== undefined) {
      at([...base, 'monday', 'board'], 'DUPLICATE_BOARD', `board ${object.monday.board} is already mapped by objects.${otherKey}; an item can belong to one object only`);
    } else boards.set(object.monday.board, object.key);

    const columns = new Map<string, string>([[object.monday.salesforceIdColumn, 'monday.salesforceIdColumn']]);
    const sfFields = new Map<string, number>();
    object.fields.forEach((field, index) => {
      const path = [...base, 'fields', index];
      const usedBy = columns.get(field.monday);
      if (usedBy !== undefined) {
        at([...path, 'monday'], 'DUPLICATE_COLUMN', `column "${field.monday}" is already mapped by objects.${object.key}.${usedBy}`);
      } else columns.set(field.monday, `fields[${index}]`);

      for (const name of typeof field.salesforce === 'string' ? [field.salesforce] : field.salesforce) {
        const first = sfFields.get(name);
        if (first !== undefined) {
          at([...path, 'salesforce'], 'DUPLICATE_FIELD', `field ${name} is already mapped by objects.${object.key}.fields[${first}]; one field can feed one column`);
        } else sfFields.set(name, index);
      }

      if (field.reference !== undefined && field.reference !== USER_REFERENCE && !allKeys.includes(field.reference)) {
        at([...path, 'reference'], 'UNKNOWN_REFERENCE', `${unknownKey(field.reference)}, or "user"`);
      }

      const labelOwners = new Map<string, string>();
      for (const [value, label] of Object.entries(field.values)) {
        const owner = labelOwners.get(label);
        if (owner !== undefined) {
          at([...path, 'values', value], 'AMBIGUOUS_VALUES', `"${value}" and "${owner}" both map to the label "${label}", so a change on monday could not say which value it means`);
        } else labelOwners.set(label, value);
      }
    });

    const mapped = new Set([object.name, ...sfFields.keys()]);
    object.match.forEach((name, index) => {
      if (!mapped.has(name)) {
        at([...base, 'match', index], 'BAD_MATCH', `${name} is neither the name field nor mapped in fields, so it cannot be compared on monday`);
      }
    });

    const schedule = object.backfill?.schedule;
    if (schedule !== undefined) {
      const result = validateCronExpression(schedule);
      if (!result.valid) {
        at([...base, 'backfill', 'schedule'], 'BAD_CRON', `"${schedule}" is not a valid cron expression: ${result.error?.message ?? 'unparseable'}`);
      }
    }

    if (object.convert) {
      if (object.salesforce !== 'Lead') {
        at([...base, 'convert'], 'BAD_CONVERT', `only Lead objects can be converted (this object is ${object.salesforce})`);
      }
      for (const role of ['account', 'contact', 'opportunity'] as const) {
        const targetKey = object.convert[role];
        if (targetKey === undefined) continue;
        const target = byKey.get(targetKey);
        if (!allKeys.includes(targetKey)) at([...base, 'convert', role], 'BAD_CONVERT', unknownKey(targetKey));
        else if (target && target.salesforce !== CONVERT_TARGETS[role]) {
          at([...base, 'convert', role], 'BAD_CONVERT', `objects.${targetKey} syncs ${target.salesforce}, but a converted ${role} is a ${CONVERT_TARGETS[role]}`);
        }
      }
    }
  }
  return problems;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
