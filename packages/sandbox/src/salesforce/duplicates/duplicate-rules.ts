import { ApiErrorDetail } from '../errors';
import { SObjectSchema } from '../schema/schema-registry';
import { RecordStore, SObjectRecord } from '../store/record-store';

/** What a rule does when an API save matches (reference addendum 6.2). */
export type DuplicateRuleAction = 'block' | 'alert' | 'none';

/**
 * A duplicate rule with its matching rule folded in: `criteria` is an OR of ANDs of field names; a
 * record matches an existing one when every field of one group is non-empty on both and equal
 * (case-insensitive, surrounding whitespace ignored), as the standard rules' exact match keys do.
 */
export interface DuplicateRule {
  /** Developer name, e.g. Standard_Contact_Duplicate_Rule. */
  name: string;
  object: string;
  matchingRule: string;
  criteria: string[][];
  action: DuplicateRuleAction;
  /** Whether edits are checked as well as creates (standard rules: yes, "Action on Edit: Allow"). */
  onEdit: boolean;
  alertText: string;
  active: boolean;
}

const PERSON_ALERT = "You're creating a duplicate record. We recommend you use an existing record instead.";

/**
 * The standard rules every org ships active (addendum 6.2): Leads and Contacts by e-mail or by first
 * and last name with the company (Lead) / account (Contact); Accounts by name. The real matching is
 * fuzzy; exact keys are the strict subset an emulator can promise.
 */
export function standardDuplicateRules(): DuplicateRule[] {
  return [
    {
      name: 'Standard_Lead_Duplicate_Rule',
      object: 'Lead',
      matchingRule: 'Standard_Lead_Match_Rule_v1_0',
      criteria: [['Email'], ['FirstName', 'LastName', 'Company']],
      action: 'alert',
      onEdit: true,
      alertText: PERSON_ALERT,
      active: true,
    },
    {
      name: 'Standard_Contact_Duplicate_Rule',
      object: 'Contact',
      matchingRule: 'Standard_Contact_Match_Rule_v1_1',
      criteria: [['Email'], ['FirstName', 'LastName', 'AccountId']],
      action: 'alert',
      onEdit: true,
      alertText: PERSON_ALERT,
      active: true,
    },
    {
      name: 'Standard_Account_Duplicate_Rule',
      object: 'Account',
      matchingRule: 'Standard_Account_Match_Rule_v1_0',
      criteria: [['Name']],
      action: 'alert',
      onEdit: true,
      alertText: 'Use one of these records?',
      active: true,
    },
  ];
}

export interface DuplicateCheck {
  /** The record as it would be saved. */
  record: SObjectRecord;
  /** Fields the save wrote (an edit is only checked when it wrote a field a rule compares). */
  written: ReadonlySet<string>;
  operation: 'create' | 'update';
  /** Sforce-Duplicate-Rule-Header allowSave=true. */
  allowSave: boolean;
  /** Records saved earlier in the same call: never matched against each other (addendum 6.2). */
  sameCall: ReadonlySet<string>;
  apiVersion: string;
}

/** The org's duplicate rules, changeable through the control API. */
export class DuplicateRules {
  private rules = new Map<string, DuplicateRule>();

  constructor(rules: DuplicateRule[] = standardDuplicateRules()) {
    for (const r of rules) this.rules.set(r.name, r);
  }

  list(): DuplicateRule[] {
    return [...this.rules.values()].map((r) => ({ ...r, criteria: r.criteria.map((g) => [...g]) }));
  }

  get(name: string): DuplicateRule | undefined {
    return this.rules.get(name);
  }

  /** Adds or replaces a rule (validated by the caller). */
  put(rule: DuplicateRule): void {
    this.rules.set(rule.name, rule);
  }

  remove(name: string): boolean {
    return this.rules.delete(name);
  }

  reset(): void {
    this.rules = new Map(standardDuplicateRules().map((r) => [r.name, r]));
  }

  /** DUPLICATES_DETECTED for the first active rule the save matches and may not pass, else null. */
  check(schema: SObjectSchema, store: RecordStore, check: DuplicateCheck): ApiErrorDetail | null {
    for (const rule of this.rules.values()) {
      if (!rule.active || rule.action === 'none' || rule.object !== schema.name) continue;
      if (check.operation === 'update' && (!rule.onEdit || !rule.criteria.some((g) => g.some((f) => check.written.has(f))))) continue;
      if (rule.action === 'alert' && check.allowSave) continue;
      const matches = findMatches(rule, schema, store, check);
      if (matches.length > 0) return duplicatesDetected(rule, schema, matches, check.apiVersion);
    }
    return null;
  }
}

function findMatches(rule: DuplicateRule, schema: SObjectSchema, store: RecordStore, check: DuplicateCheck): string[] {
  const ids: string[] = [];
  for (const other of store.table(schema.name).values()) {
    const id = other.Id as string;
    if (other.IsDeleted === true || id === check.record.Id || check.sameCall.has(id)) continue;
    if (rule.criteria.some((group) => group.length > 0 && group.every((f) => sameKey(check.record[f], other[f])))) ids.push(id);
  }
  return ids;
}

function sameKey(a: unknown, b: unknown): boolean {
  const key = (v: unknown) => (v === null || v === undefined ? '' : String(v).trim().toLowerCase());
  return key(a) !== '' && key(a) === key(b);
}

/** The REST error with its `duplicateResut` (sic: real responses spell it so, addendum 6.2). */
function duplicatesDetected(rule: DuplicateRule, schema: SObjectSchema, ids: string[], apiVersion: string): ApiErrorDetail {
  return {
    errorCode: 'DUPLICATES_DETECTED',
    message: rule.alertText,
    fields: [],
    duplicateResult: {
      allowSave: rule.action === 'alert',
      duplicateRule: rule.name,
      duplicateRuleEntityType: schema.name,
      errorMessage: rule.alertText,
      matchResults: [
        {
          entityType: schema.name,
          errors: [],
          matchEngine: 'ExactMatchEngine',
          matchRecords: ids.map((id) => ({
            additionalInformation: [],
            fieldDiffs: [],
            matchConfidence: 100.0,
            record: { attributes: { type: schema.name, url: `/services/data/v${apiVersion}/sobjects/${schema.name}/${id}` }, Id: id },
          })),
          rule: rule.matchingRule,
          size: ids.length,
          success: true,
        },
      ],
    },
  };
}
