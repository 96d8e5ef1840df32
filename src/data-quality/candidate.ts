export type Crm = 'salesforce' | 'monday';

/**
 * One record of either CRM, in the shape the duplicate search compares. Values are the record's
 * own (Salesforce fields, or the monday columns the mapping pairs with them), not yet normalised.
 */
export interface Candidate {
  readonly crm: Crm;
  readonly id: string;
  /** What an operator recognises: a person's "First Last", else the record or item name. */
  readonly name: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  /** Organisation name for people (Lead Company), the record's own name for organisations. */
  readonly company: string | null;
  /** The organisation a person belongs to as a record: `account:<18-char Id>` on both sides. */
  readonly organisationRef: string | null;
  readonly emails: readonly string[];
  readonly phones: readonly string[];
  /** Website or other domain the record carries (organisations). */
  readonly website: string | null;
  readonly createdAt: string | null;
  /** How many mapped values are not empty (the most complete record makes the best master). */
  readonly filled: number;
  /** The id on the other side when the sync links this record to one (a linked pair is one entity). */
  readonly linkedTo: string | null;
}

/** `salesforce:<id>` or `monday:<id>`. */
export function candidateKey(candidate: Pick<Candidate, 'crm' | 'id'>): string {
  return `${candidate.crm}:${candidate.id}`;
}

/** Whether the object holds people (first/last name) or organisations. */
export type CandidateKind = 'person' | 'organisation';
