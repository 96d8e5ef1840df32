/**
 * The mapping file (interface.md section 2) after loading: defaults applied, board ids as strings,
 * `values` entries as strings. The raw file shape is described by mapping.schema.json.
 */

/** A condition on a monday column's label/text, e.g. `{ column: status_lead, in: [Qualified] }`. */
export type Condition =
  | { readonly column: string; readonly in: readonly string[] }
  | { readonly column: string; readonly notIn: readonly string[] }
  | { readonly column: string; readonly equals: string };

/** Whether a new record on one side creates one on the other; `when` narrows it to matching items. */
export interface CreatePolicy {
  readonly enabled: boolean;
  readonly when?: Condition;
}

export type Authority = 'salesforce' | 'monday' | 'both';
export type DeletePolicy = 'none' | 'archive' | 'delete';

/** `reference:` of a field: another object key of this file, or `user` (matched by e-mail). */
export type ReferenceTarget = string;
export const USER_REFERENCE = 'user';

export interface FieldMapping {
  /**
   * One Salesforce field, or two date fields `[start, end]` for a monday timeline column.
   * Use `salesforceFieldsOf()` to iterate without caring which.
   */
  readonly salesforce: string | readonly [string, string];
  readonly monday: string;
  readonly authority: Authority;
  /** Salesforce value -> monday label; used in both directions. Values without an entry pass through. */
  readonly values: Readonly<Record<string, string>>;
  readonly reference?: ReferenceTarget;
  /** Let monday create a status/dropdown label that does not exist yet (create_labels_if_missing). */
  readonly createLabelsIfMissing: boolean;
  /**
   * ISO 3166-1 alpha-2 country of this field's national numbers (no +prefix); monday validates
   * numbers per country. Overrides `defaults.phoneCountry` and the monday account's country.
   */
  readonly phoneCountry?: string;
  /** Personal data: stored encrypted per person when PII_ENCRYPTION_KEY is set (names, e-mails and phones of Leads/Contacts are already). */
  readonly pii?: boolean;
}

export interface MondaySide {
  readonly board: string;
  readonly salesforceIdColumn: string;
  readonly group?: string;
}

export interface BackfillPolicy {
  readonly where?: string;
  readonly schedule?: string;
}

/** Lead conversion: when `when` becomes true on the item, convert the Lead and link the results. */
export interface ConvertPolicy {
  readonly when: Condition;
  readonly account: string;
  readonly contact: string;
  readonly opportunity?: string;
  /** The converted LeadStatus to send (must be a LeadStatus with IsConverted = true in the org). */
  readonly convertedStatus?: string;
}

export interface ObjectMapping {
  /** The key under `objects:` (used by references, `convert`, and CLI flags). */
  readonly key: string;
  readonly salesforce: string;
  readonly monday: MondaySide;
  /** Salesforce field mirrored into the item name. */
  readonly name: string;
  readonly create: { readonly salesforce: CreatePolicy; readonly monday: CreatePolicy };
  readonly delete: DeletePolicy;
  readonly backfill?: BackfillPolicy;
  readonly fields: readonly FieldMapping[];
  readonly convert?: ConvertPolicy;
  /**
   * Salesforce fields whose values identify "the same record" on both sides, used to avoid creating
   * a duplicate (search before create). Empty: never match, always create.
   */
  readonly match: readonly string[];
  /**
   * Send `Sforce-Duplicate-Rule-Header: allowSave=true` on this object's creates and updates, so an
   * org's alerting duplicate rules let them save. Default false: a refused create links to the one
   * record the rule matched (several: AMBIGUOUS_MATCH dead letter).
   */
  readonly allowDuplicates?: boolean;
}

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Where each path of the file is, so later problems (live validation) can name a line too. */
export interface MappingSource {
  readonly file: string;
  /** Keys are problem paths, e.g. `objects.lead.fields[3].monday`. */
  readonly positions: ReadonlyMap<string, SourcePosition>;
}

/** `defaults:` of the file: what applies to every field that does not set its own. */
export interface MappingDefaults {
  /** Country of national phone numbers for phone columns whose field has no `phoneCountry`. */
  readonly phoneCountry?: string;
}

export interface Mapping {
  /** IANA zone used when a date-only value meets a date-and-time value. Default `UTC`. */
  readonly timeZone: string;
  readonly defaults?: MappingDefaults;
  /** In file order. */
  readonly objects: readonly ObjectMapping[];
  readonly source?: MappingSource;
}

export function salesforceFieldsOf(field: FieldMapping): readonly string[] {
  return typeof field.salesforce === 'string' ? [field.salesforce] : field.salesforce;
}

export function objectByKey(mapping: Mapping, key: string): ObjectMapping | undefined {
  return mapping.objects.find((object) => object.key === key);
}

export function conditionValues(condition: Condition): { readonly column: string; readonly values: readonly string[] } {
  if ('in' in condition) return { column: condition.column, values: condition.in };
  if ('notIn' in condition) return { column: condition.column, values: condition.notIn };
  return { column: condition.column, values: [condition.equals] };
}

/** Evaluates a condition against the label/text a monday column currently shows (null when empty). */
export function conditionHolds(condition: Condition, text: string | null): boolean {
  if ('in' in condition) return text !== null && condition.in.includes(text);
  if ('notIn' in condition) return text === null || !condition.notIn.includes(text);
  return text === condition.equals;
}
