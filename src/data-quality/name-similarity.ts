import { distance } from 'fastest-levenshtein';
import { foldText, organisationKey } from './normalise';

/**
 * Thresholds (docs/duplicates.md): similarity is 1 - edits / longer length (Levenshtein).
 * First names at 0.75 take one edit in four letters ("Jon"/"John", "Ann"/"Anne") but not two
 * ("Jane"/"Jon" is 0.5); last names at 0.8 take one edit in five ("Smith"/"Smyth") but not in
 * short names ("Li"/"Lu" is 0.5). Organisation names at 0.85, and only when the two also share a
 * web domain; equal names after dropping legal forms ("Acme, Inc."/"ACME") match without one.
 */
export const FIRST_NAME_THRESHOLD = 0.75;
export const LAST_NAME_THRESHOLD = 0.8;
export const ORGANISATION_NAME_THRESHOLD = 0.85;

export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - distance(a, b) / longer;
}

export interface PersonName {
  readonly first: string;
  readonly last: string;
}

/** Folded first and last name; from the full name's last word when the last name is not a field of its own. */
export function personName(first: string | null, last: string | null, full: string): PersonName | null {
  if (last && last.trim() !== '') return { first: foldText(first ?? ''), last: foldText(last) };
  const words = foldText(full).split(' ').filter((w) => w !== '');
  if (words.length === 0) return null;
  return { first: words.slice(0, -1).join(' '), last: words[words.length - 1]! };
}

/**
 * Probably the same person: similar last names, and similar first names or one of them only an
 * initial of the other ("J Smith"/"John Smith"). Two records without first names match on the last.
 */
export function similarPeople(a: PersonName, b: PersonName): boolean {
  if (a.last === '' || similarity(a.last, b.last) < LAST_NAME_THRESHOLD) return false;
  if (a.first === b.first) return true;
  if (a.first === '' || b.first === '') return false;
  if (a.first.length === 1 || b.first.length === 1) return a.first[0] === b.first[0];
  return similarity(a.first, b.first) >= FIRST_NAME_THRESHOLD;
}

/** Organisation names that are the same after folding, or similar enough (callers require a shared domain for this). */
export function similarOrganisations(a: string, b: string, sameDomain: boolean): boolean {
  const left = organisationKey(a);
  const right = organisationKey(b);
  if (left === null || right === null) return false;
  return left === right || (sameDomain && similarity(left, right) >= ORGANISATION_NAME_THRESHOLD);
}
