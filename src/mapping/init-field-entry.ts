import { converterFor } from './converters/converter-registry';
import type { MondayColumnSchema, MondayLabel, SalesforceFieldSchema } from './live-schema';
import { USER_REFERENCE } from './mapping.types';

/** One `fields:` entry as `crm-sync init` writes it (the file shape of mapping.schema.json). */
export interface InitFieldEntry {
  readonly salesforce: string;
  readonly monday: string;
  readonly authority?: 'salesforce';
  readonly values?: Readonly<Record<string, string>>;
  readonly reference?: string;
}

/** Picklist values and labels that found no partner: the user maps them by hand. */
export interface ValueGaps {
  readonly picklistValues: readonly string[];
  readonly labels: readonly string[];
}

export type FieldEntryChoice =
  | { readonly kind: 'entry'; readonly entry: InitFieldEntry; readonly notes: readonly string[]; readonly gaps?: ValueGaps }
  /** A board relation to an object this file does not map yet: written commented out. */
  | { readonly kind: 'needs_object'; readonly entry: InitFieldEntry; readonly target: string; readonly targetKey: string; readonly boardIds: readonly string[] }
  | { readonly kind: 'no_conversion'; readonly reason: string };

export interface EntryContext {
  /** The sObject being mapped and its object key (a board relation back to it needs no other object). */
  readonly objectName: string;
  readonly objectKey: string;
  readonly boardId: string;
}

/** The object key `crm-sync init` gives an sObject: Opportunity -> opportunity, Grant__c -> grant. */
export function objectKeyFor(objectName: string): string {
  const key = objectName.replace(/__c$/i, '').toLowerCase().replace(/[^a-z0-9_-]/g, '_');
  const safe = /^[a-z]/.test(key) ? key : `o_${key}`;
  return safe === USER_REFERENCE ? 'salesforce_user' : safe;
}

/**
 * The entry for a matched column and field, or why there is none: the reference a lookup needs,
 * `authority: salesforce` for a field the integration user cannot update, and a `values` map of the
 * picklist values whose monday label is the same word (case aside).
 */
export function fieldEntryFor(column: MondayColumnSchema, field: SalesforceFieldSchema, context: EntryContext): FieldEntryChoice {
  const reference = referenceFor(column, field, context);
  if (field.type === 'reference' && !reference) {
    // A text column would hold the raw record Id, rarely what a column titled like a lookup shows.
    return { kind: 'no_conversion', reason: `${field.name} is a lookup: it maps to a board relation${field.referenceTo.includes('User') ? ' or people' : ''} column, not ${column.type}` };
  }
  const choice = converterFor(field, column, reference ? { reference: reference.key } : {});
  if (!choice.ok) return { kind: 'no_conversion', reason: choice.reason };

  const notes: string[] = [];
  const authority = field.updateable ? {} : { authority: 'salesforce' as const };
  if (!field.updateable) notes.push(`${field.name} is read-only for the integration user: Salesforce -> monday only`);
  const matched = labelValues(column, field);
  const entry: InitFieldEntry = {
    salesforce: field.name,
    monday: column.id,
    ...authority,
    ...(matched && Object.keys(matched.values).length > 0 ? { values: matched.values } : {}),
    ...(reference ? { reference: reference.key } : {}),
  };
  if (reference && reference.key !== USER_REFERENCE && reference.target !== context.objectName) {
    return { kind: 'needs_object', entry, target: reference.target, targetKey: reference.key, boardIds: column.settings.boardIds ?? [] };
  }
  const gaps = matched && (matched.gaps.picklistValues.length > 0 || matched.gaps.labels.length > 0) ? matched.gaps : undefined;
  return { kind: 'entry', entry, notes, ...(gaps ? { gaps } : {}) };
}

function referenceFor(column: MondayColumnSchema, field: SalesforceFieldSchema, context: EntryContext): { key: string; target: string } | undefined {
  if (field.type !== 'reference') return undefined;
  if (column.type === 'people') return field.referenceTo.includes('User') ? { key: USER_REFERENCE, target: 'User' } : undefined;
  if (column.type !== 'board_relation') return undefined;
  // A relation linking this very board points back to this object (Account.ParentId); otherwise the first target.
  const linksItself = field.referenceTo.includes(context.objectName) && (column.settings.boardIds ?? []).includes(context.boardId);
  const target = linksItself ? context.objectName : field.referenceTo[0];
  if (target === undefined) return undefined;
  return { key: target === context.objectName ? context.objectKey : objectKeyFor(target), target };
}

/** Picklist value -> the status/dropdown label that is the same word (case aside), and what is left over. */
function labelValues(column: MondayColumnSchema, field: SalesforceFieldSchema): { values: Record<string, string>; gaps: ValueGaps } | undefined {
  const labels: readonly MondayLabel[] | undefined =
    column.type === 'status' ? column.settings.statusLabels : column.type === 'dropdown' ? column.settings.dropdownLabels : undefined;
  if (!labels || !['picklist', 'multipicklist', 'combobox'].includes(field.type) || field.picklistValues.length === 0) return undefined;
  const values: Record<string, string> = {};
  const usedLabels = new Set<string>();
  const unmatchedValues: string[] = [];
  for (const picklistValue of field.picklistValues.filter((p) => p.active)) {
    const label = labels.find((l) => !usedLabels.has(l.label) && sameWord(l.label, picklistValue.value));
    if (label) {
      values[picklistValue.value] = label.label;
      usedLabels.add(label.label);
    } else unmatchedValues.push(picklistValue.value);
  }
  const unmatchedLabels = labels.map((l) => l.label).filter((label) => label.trim() !== '' && !usedLabels.has(label));
  return { values, gaps: { picklistValues: unmatchedValues, labels: [...new Set(unmatchedLabels)] } };
}

function sameWord(a: string, b: string): boolean {
  return a.trim().localeCompare(b.trim(), undefined, { sensitivity: 'accent' }) === 0;
}
