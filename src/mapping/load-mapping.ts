import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { checkMappingRules } from './check-mapping-rules';
import { MappingError, sortProblems, type MappingProblem } from './mapping-problem';
import { parseMappingText, type MappingFormat } from './mapping-source';
import type { Mapping, ObjectMapping } from './mapping.types';
import { normalizeObject } from './normalize-mapping';
import { checkSchema } from './schema-problems';

export type MappingReadResult =
  | { readonly ok: true; readonly mapping: Mapping }
  | { readonly ok: false; readonly problems: readonly MappingProblem[] };

export interface ParseMappingOptions {
  /** Name used in messages and kept in `mapping.source.file`. */
  readonly file?: string;
  /** Default: from the file extension (.json is JSON), else YAML. */
  readonly format?: MappingFormat;
}

/**
 * Parses and checks a mapping file's text: syntax, schema, then the rules within the file. Every
 * problem is collected (objects that fail the schema are left out of the later checks only).
 */
export function readMapping(text: string, options: ParseMappingOptions = {}): MappingReadResult {
  const file = options.file ?? 'mapping';
  const format = options.format ?? formatOf(file);
  const parsed = parseMappingText(text, file, format);
  if (parsed.problems.length > 0) return { ok: false, problems: parsed.problems };
  const { source } = parsed;

  const schema = checkSchema(parsed.data, source);
  const problems: MappingProblem[] = [...schema.problems];
  const root = isRecord(parsed.data) ? parsed.data : {};
  const rawObjects = isRecord(root.objects) ? root.objects : {};
  const allKeys = Object.keys(rawObjects);
  const objects: ObjectMapping[] = [];
  for (const key of allKeys) {
    if (schema.invalidObjects.has(key)) continue;
    const normalized = normalizeObject(key, rawObjects[key], source);
    objects.push(normalized.object);
    problems.push(...normalized.problems);
  }
  const timeZone = typeof root.timeZone === 'string' ? root.timeZone : undefined;
  problems.push(...checkMappingRules(objects, allKeys, timeZone, source));

  if (problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  const defaults = isRecord(root.defaults) && typeof root.defaults.phoneCountry === 'string' ? { defaults: { phoneCountry: root.defaults.phoneCountry } } : {};
  return { ok: true, mapping: { timeZone: timeZone ?? 'UTC', ...defaults, objects, source } };
}

/** Like readMapping, throwing a MappingError that lists every problem. */
export function parseMapping(text: string, options: ParseMappingOptions = {}): Mapping {
  const result = readMapping(text, options);
  if (!result.ok) throw new MappingError(options.file ?? 'mapping', result.problems);
  return result.mapping;
}

/** Reads and checks the mapping file at `path` (YAML, or JSON for `.json`); throws MappingError. */
export function loadMapping(path: string): Mapping {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new MappingError(path, [{ code: 'FILE_UNREADABLE', severity: 'error', path: '', message: `cannot read ${path}: ${reason}` }]);
  }
  return parseMapping(text, { file: path, format: formatOf(path) });
}

function formatOf(file: string): MappingFormat {
  return extname(basename(file)).toLowerCase() === '.json' ? 'json' : 'yaml';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
