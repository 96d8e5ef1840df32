import type { MappingSource, SourcePosition } from './mapping.types';

/** A path into the mapping file: object keys and array indexes, e.g. ['objects', 'lead', 'fields', 3, 'monday']. */
export type PathSegment = string | number;

export type ProblemSeverity = 'error' | 'warning' | 'notice';

/** Stable codes, one per kind of problem, so tests and tools do not parse messages. */
export type MappingProblemCode =
  | 'FILE_UNREADABLE'
  | 'SYNTAX'
  | 'SCHEMA'
  | 'UNKNOWN_REFERENCE'
  | 'DUPLICATE_COLUMN'
  | 'DUPLICATE_FIELD'
  | 'DUPLICATE_BOARD'
  | 'BAD_CONVERT'
  | 'BAD_CRON'
  | 'BAD_CONDITION'
  | 'BAD_TIME_ZONE'
  | 'AMBIGUOUS_VALUES'
  | 'BAD_MATCH'
  | 'UNKNOWN_BOARD'
  | 'UNKNOWN_COLUMN'
  | 'UNKNOWN_GROUP'
  | 'UNKNOWN_OBJECT'
  | 'UNKNOWN_FIELD'
  | 'NO_CONVERSION'
  | 'BAD_PICKLIST_VALUE'
  | 'UNKNOWN_LABEL'
  | 'NOT_UPDATEABLE'
  | 'NAME_ONE_WAY'
  | 'BAD_REFERENCE'
  | 'REQUIRED_FIELD_UNMAPPED'
  | 'BAD_ID_COLUMN'
  | 'NO_PHONE_COUNTRY'
  | 'UNWRITABLE_LABEL';

export interface MappingProblem {
  readonly code: MappingProblemCode;
  readonly severity: ProblemSeverity;
  /** In the interface.md style: `objects.lead.fields[3].monday`; '' for the whole file. */
  readonly path: string;
  readonly message: string;
  /** 1-based, when the file position is known. */
  readonly line?: number;
  readonly column?: number;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** ['objects', 'lead', 'fields', 3, 'monday'] -> 'objects.lead.fields[3].monday'. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Builds a problem, taking the line from the file's positions when known (or from the closest parent). */
export function problemAt(
  source: MappingSource | undefined,
  path: readonly PathSegment[],
  code: MappingProblemCode,
  message: string,
  severity: ProblemSeverity = 'error',
): MappingProblem {
  const position = positionOf(source, path);
  return { code, severity, path: formatPath(path), message, ...(position ?? {}) };
}

function positionOf(source: MappingSource | undefined, path: readonly PathSegment[]): SourcePosition | undefined {
  if (!source) return undefined;
  for (let length = path.length; length >= 0; length--) {
    const position = source.positions.get(formatPath(path.slice(0, length)));
    if (position) return position;
  }
  return undefined;
}

/** `objects.lead.fields[3].monday: column "x" does not exist ... (crm-sync.yaml:14:17)` */
export function formatProblem(problem: MappingProblem, file?: string): string {
  const head = problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`;
  const where =
    problem.line === undefined ? '' : ` (${file ? `${file}:` : 'line '}${problem.line}${problem.column === undefined ? '' : `:${problem.column}`})`;
  const tag = problem.severity === 'error' ? '' : `${problem.severity}: `;
  return `${tag}${head}${where}`;
}

/** Errors found in the mapping file; `problems` lists every one, in file order. */
export class MappingError extends Error {
  readonly code = 'MAPPING_INVALID';
  constructor(
    readonly file: string,
    readonly problems: readonly MappingProblem[],
  ) {
    super(`Invalid mapping ${file}:\n${problems.map((p) => `  - ${formatProblem(p, file)}`).join('\n')}`);
    this.name = 'MappingError';
  }
}

export function sortProblems(problems: readonly MappingProblem[]): MappingProblem[] {
  return [...problems].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
}
