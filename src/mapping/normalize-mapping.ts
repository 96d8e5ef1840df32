import { problemAt, type MappingProblem, type PathSegment } from './mapping-problem';
import type {
  Condition,
  ConvertPolicy,
  CreatePolicy,
  FieldMapping,
  MappingSource,
  ObjectMapping,
} from './mapping.types';

/** The file as mapping.schema.json describes it (only trusted for objects that passed the schema). */
type Scalar = string | number | boolean;
interface RawCondition { column: string; in?: Scalar[]; notIn?: Scalar[]; equals?: Scalar }
interface RawField {
  salesforce: string | [string, string];
  monday: string;
  authority?: 'salesforce' | 'monday' | 'both';
  values?: Record<string, Scalar>;
  reference?: string;
  createLabelsIfMissing?: boolean;
  phoneCountry?: string;
  pii?: boolean;
}
interface RawObject {
  salesforce: string;
  monday: { board: string | number; salesforceIdColumn: string; group?: string };
  name?: string;
  create?: { salesforce?: boolean | { when: RawCondition }; monday?: boolean | { when: RawCondition } };
  delete?: 'none' | 'archive' | 'delete';
  backfill?: { where?: string; schedule?: string };
  fields?: RawField[];
  convert?: { when: RawCondition; account: string; contact: string; opportunity?: string; convertedStatus?: string };
  match?: string[];
  allowDuplicates?: boolean;
}

/** Duplicate prevention when the file has no `match:`: fields that usually identify a record, if mapped. */
const DEFAULT_MATCH: Readonly<Record<string, readonly string[]>> = {
  Lead: ['Email'],
  Contact: ['Email'],
  Account: ['Name'],
};

export interface Normalized {
  readonly object: ObjectMapping;
  readonly problems: readonly MappingProblem[];
}

/** Applies defaults to one schema-valid object; also checks what the schema cannot say about conditions. */
export function normalizeObject(key: string, raw: unknown, source: MappingSource): Normalized {
  const input = raw as RawObject;
  const problems: MappingProblem[] = [];
  const base: PathSegment[] = ['objects', key];
  const condition = (rawCondition: RawCondition, path: PathSegment[]): Condition => {
    const operators = (['in', 'notIn', 'equals'] as const).filter((op) => rawCondition[op] !== undefined);
    if (operators.length !== 1) {
      problems.push(
        problemAt(source, path, 'BAD_CONDITION', `give exactly one of in, notIn, equals (has ${operators.length === 0 ? 'none' : operators.join(', ')})`),
      );
    }
    if (rawCondition.in !== undefined) return { column: rawCondition.column, in: rawCondition.in.map(String) };
    if (rawCondition.notIn !== undefined) return { column: rawCondition.column, notIn: rawCondition.notIn.map(String) };
    return { column: rawCondition.column, equals: String(rawCondition.equals ?? '') };
  };
  const create = (policy: boolean | { when: RawCondition } | undefined, side: string): CreatePolicy => {
    if (policy === undefined) return { enabled: true };
    if (typeof policy === 'boolean') return { enabled: policy };
    return { enabled: true, when: condition(policy.when, [...base, 'create', side, 'when']) };
  };

  const fields: FieldMapping[] = (input.fields ?? []).map((field) => ({
    salesforce: typeof field.salesforce === 'string' ? field.salesforce : [field.salesforce[0], field.salesforce[1]],
    monday: field.monday,
    authority: field.authority ?? 'both',
    values: Object.fromEntries(Object.entries(field.values ?? {}).map(([k, v]) => [k, String(v)])),
    createLabelsIfMissing: field.createLabelsIfMissing ?? false,
    ...(field.reference !== undefined ? { reference: field.reference } : {}),
    ...(field.phoneCountry !== undefined ? { phoneCountry: field.phoneCountry } : {}),
    ...(field.pii !== undefined ? { pii: field.pii } : {}),
  }));
  const name = input.name ?? 'Name';
  let convert: ConvertPolicy | undefined;
  if (input.convert) {
    const { when, account, contact, opportunity, convertedStatus } = input.convert;
    convert = {
      when: condition(when, [...base, 'convert', 'when']),
      account,
      contact,
      ...(opportunity !== undefined ? { opportunity } : {}),
      ...(convertedStatus !== undefined ? { convertedStatus } : {}),
    };
  }
  const mapped = new Set([name, ...fields.flatMap((f) => (typeof f.salesforce === 'string' ? [f.salesforce] : []))]);
  const match = input.match ?? (DEFAULT_MATCH[input.salesforce] ?? []).filter((f) => mapped.has(f));

  const object: ObjectMapping = {
    key,
    salesforce: input.salesforce,
    monday: {
      board: String(input.monday.board),
      salesforceIdColumn: input.monday.salesforceIdColumn,
      ...(input.monday.group !== undefined ? { group: input.monday.group } : {}),
    },
    name,
    create: { salesforce: create(input.create?.salesforce, 'salesforce'), monday: create(input.create?.monday, 'monday') },
    delete: input.delete ?? 'none',
    ...(input.backfill ? { backfill: { ...input.backfill } } : {}),
    fields,
    ...(convert ? { convert } : {}),
    match,
    ...(input.allowDuplicates === true ? { allowDuplicates: true } : {}),
  };
  return { object, problems };
}
