import type { MondayColumnSchema, SalesforceFieldSchema } from './live-schema';

/**
 * Matching monday column titles to Salesforce fields for `crm-sync init`: both sides are reduced to
 * a key (lower case, no spaces or punctuation, no `__c`), then compared by API name, label, the
 * title without the object's name in front ("Lead Status" -> Status), and common synonyms.
 */

/** How a column found its field, best first (the rank is the index). */
export const MATCH_KINDS = ['title', 'label', 'lookup', 'synonym'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

export interface TitleCandidate {
  readonly column: MondayColumnSchema;
  readonly field: SalesforceFieldSchema;
  readonly matchedBy: MatchKind;
}

/**
 * Title key -> field keys it may also mean. Only used when the board has no exact match, and only
 * lands on a field the object has (so "status" means StageName on an Opportunity, Status on a Lead).
 */
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  emailaddress: ['email'],
  mail: ['email'],
  phonenumber: ['phone'],
  telephone: ['phone'],
  tel: ['phone'],
  mobile: ['mobilephone'],
  mobilenumber: ['mobilephone'],
  cell: ['mobilephone'],
  cellphone: ['mobilephone'],
  stage: ['stagename'],
  status: ['stagename'],
  dealstage: ['stagename'],
  owner: ['ownerid'],
  assignee: ['ownerid'],
  assignedto: ['ownerid'],
  account: ['accountid'],
  accountname: ['accountid'],
  organization: ['company', 'accountid'],
  organisation: ['company', 'accountid'],
  contact: ['contactid'],
  contactname: ['contactid'],
  web: ['website'],
  site: ['website'],
  url: ['website'],
  webaddress: ['website'],
  zip: ['postalcode'],
  zipcode: ['postalcode'],
  postcode: ['postalcode'],
  stateprovince: ['state'],
  province: ['state'],
  employees: ['numberofemployees'],
  noofemployees: ['numberofemployees'],
  headcount: ['numberofemployees'],
  revenue: ['annualrevenue'],
  jobtitle: ['title'],
  position: ['title'],
  dealvalue: ['amount'],
  dealsize: ['amount'],
  value: ['amount'],
  expectedclosedate: ['closedate'],
  closingdate: ['closedate'],
  source: ['leadsource'],
  first: ['firstname'],
  givenname: ['firstname'],
  last: ['lastname'],
  surname: ['lastname'],
  familyname: ['lastname'],
  notes: ['description'],
};

/** "E-mail address" -> "emailaddress", "Program_Interest__c" -> "programinterest", "Probability (%)" -> "probability". */
export function titleKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/__c$/i, '')
    .replace(/^[A-Za-z0-9]+__(?=[A-Za-z])/, '') // namespace prefix of a packaged field, npe01__Type
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** The keys a field answers to, each with how good a match on it is. */
function fieldKeys(field: SalesforceFieldSchema): Map<string, MatchKind> {
  const keys = new Map<string, MatchKind>();
  const add = (key: string, kind: MatchKind) => {
    if (key !== '' && !keys.has(key)) keys.set(key, kind);
  };
  add(titleKey(field.name), 'title');
  add(titleKey(field.label), 'label');
  if (field.type === 'reference') {
    // AccountId answers to "Account", OwnerId to "Owner", Parent_Org__c (Parent_Org__r) to "Parent Org".
    add(titleKey(field.name).replace(/id$/, ''), 'lookup');
    add(titleKey(field.label).replace(/id$/, ''), 'lookup');
    if (field.relationshipName) add(titleKey(field.relationshipName.replace(/__r$/i, '')), 'lookup');
  }
  return keys;
}

/** The keys a column title stands for, best first. */
function columnKeys(title: string, objectNames: readonly string[]): { key: string; synonym: boolean }[] {
  const exact = titleKey(title);
  const keys = [exact];
  for (const prefix of objectNames.map(titleKey)) {
    if (prefix !== '' && exact.startsWith(prefix) && exact.length > prefix.length) keys.push(exact.slice(prefix.length));
  }
  const direct = keys.map((key) => ({ key, synonym: false }));
  const synonyms = keys.flatMap((key) => (SYNONYMS[key] ?? []).map((s) => ({ key: s, synonym: true })));
  return [...direct, ...synonyms];
}

/**
 * Every (column, field) pair whose title and name or label agree, best match first for each column.
 * A column may have several candidates (the caller keeps the first one that converts).
 */
export function titleCandidates(
  columns: readonly MondayColumnSchema[],
  fields: readonly SalesforceFieldSchema[],
  objectNames: readonly string[],
): TitleCandidate[] {
  const keyed = fields.map((field) => ({ field, keys: fieldKeys(field) }));
  return columns.flatMap((column) => {
    const found: (TitleCandidate & { rank: number })[] = [];
    columnKeys(column.title, objectNames).forEach(({ key, synonym }, order) => {
      for (const { field, keys } of keyed) {
        const kind = keys.get(key);
        if (kind === undefined || found.some((c) => c.field === field)) continue;
        const matchedBy: MatchKind = synonym ? 'synonym' : kind;
        found.push({ column, field, matchedBy, rank: MATCH_KINDS.indexOf(matchedBy) * 100 + order });
      }
    });
    return found.sort((a, b) => a.rank - b.rank).map(({ column: c, field, matchedBy }) => ({ column: c, field, matchedBy }));
  });
}

export function matchRank(kind: MatchKind): number {
  return MATCH_KINDS.indexOf(kind);
}
