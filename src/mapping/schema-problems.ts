import Ajv, { type ErrorObject } from 'ajv';
import { problemAt, type MappingProblem, type PathSegment } from './mapping-problem';
import type { MappingSource } from './mapping.types';
import mappingSchema from './mapping.schema.json';
import { closestNames } from './closest-names';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
// Annotation keyword: a human description of a pattern, used in messages instead of the regex.
ajv.addKeyword({ keyword: 'x-hint', schemaType: 'string' });
const validateSchema = ajv.compile(mappingSchema);

export interface SchemaCheck {
  readonly problems: readonly MappingProblem[];
  /** Objects (keys under `objects:`) with at least one schema problem: not checked further. */
  readonly invalidObjects: ReadonlySet<string>;
}

/** Validates the parsed file against mapping.schema.json; one problem per violation, with its path and line. */
export function checkSchema(data: unknown, source: MappingSource): SchemaCheck {
  if (validateSchema(data)) return { problems: [], invalidObjects: new Set() };
  const errors = validateSchema.errors ?? [];
  const invalidObjects = new Set<string>();
  for (const error of errors) {
    const [first, second] = pointerToPath(error.instancePath);
    if (first === 'objects' && typeof second === 'string') invalidObjects.add(second);
    if (first === 'objects' && error.keyword === 'propertyNames') invalidObjects.add(String(error.params.propertyName));
  }
  return { problems: errors.flatMap((error) => translate(error, source)), invalidObjects };
}

function translate(error: ErrorObject, source: MappingSource): MappingProblem[] {
  const path = pointerToPath(error.instancePath);
  const at = (where: readonly PathSegment[], message: string): MappingProblem[] => [problemAt(source, where, 'SCHEMA', message)];
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  const hint = typeof parent['x-hint'] === 'string' ? parent['x-hint'] : undefined;
  switch (error.keyword) {
    case 'required':
      return at([...path, String(error.params.missingProperty)], 'is required');
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const allowed = Object.keys((parent.properties ?? {}) as object);
      const guess = closestNames(key, allowed)[0];
      return at(
        [...path, key],
        `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}; allowed: ${allowed.join(', ')}`,
      );
    }
    case 'enum':
      return at(path, `must be one of ${(error.params.allowedValues as unknown[]).join(', ')} (is ${show(error.data)})`);
    case 'type':
      return at(path, `must be ${describeTypes(error.params.type)} (is ${show(error.data)})`);
    case 'pattern':
      // reported once more, with the offending name, by the propertyNames error
      if (error.schemaPath.includes('/propertyNames/')) return [];
      return at(path, `must be ${hint ?? `text matching ${String(error.params.pattern)}`} (is ${show(error.data)})`);
    case 'propertyNames': {
      const name = String(error.params.propertyName);
      const names = (parent.propertyNames ?? {}) as Record<string, unknown>;
      const nameHint = typeof names['x-hint'] === 'string' ? names['x-hint'] : 'a valid name';
      return at([...path, name], `"${name}" is not a valid key: ${nameHint}`);
    }
    case 'minItems':
    case 'maxItems':
      if (path.at(-1) === 'salesforce') return at(path, 'a list must name exactly two date fields: [StartField, EndField]');
      return at(path, `must have ${error.keyword === 'minItems' ? 'at least' : 'at most'} ${String(error.params.limit)} entries`);
    case 'minProperties':
      return at(path, 'must define at least one entry');
    case 'minLength':
      return at(path, 'must not be empty');
    case 'minimum':
      return at(path, `must be ${hint ?? `at least ${String(error.params.limit)}`} (is ${show(error.data)})`);
    case 'uniqueItems':
      return at(path, `lists the same entry twice (entries ${String(error.params.j)} and ${String(error.params.i)})`);
    default:
      return at(path, error.message ?? `fails ${error.keyword}`);
  }
}

/** '/objects/lead/fields/3/monday' -> ['objects', 'lead', 'fields', 3, 'monday'] */
export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
}

function describeTypes(type: unknown): string {
  const names = (Array.isArray(type) ? type : [type]).map((t) => (t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : `a ${String(t)}`));
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? 'valid');
}

function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}
