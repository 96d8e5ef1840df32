import type { JsonValue, SalesforceValue } from '../../mapping/converters/converter.types';
import type { ColumnValuesFilter, MondayItem, MondayPort } from '../../monday/monday.port';
import type { WrittenValues } from '../../sync-commands/outbox-command';
import { NAME_KEY, type ResolvedField, type ResolvedObject } from '../../mapping/resolved-mapping';

/** monday's name column in items_page_by_column_values (the item name, `name:` of the mapping). */
const NAME_COLUMN = 'name';

/** One `match:` field of the object with the record's value: a column (or the item name) that must hold it. */
export interface MatchCondition {
  field: ResolvedField;
  /** The record's value, in Salesforce form. */
  value: SalesforceValue;
}

/** Something to find items for: the caller's key, the conditions an item must all meet, the board's Id column. */
export interface MatchWanted<K> {
  key: K;
  conditions: readonly MatchCondition[];
  salesforceIdColumn: string;
}

/** What the rules found for one record: the one free item, or several (never a guess). */
export type RulesMatch = { kind: 'item'; item: MondayItem } | { kind: 'ambiguous'; items: MondayItem[]; conditions: readonly MatchCondition[] };

/**
 * The item each wanted record matches by the `match:` rules, among the free ones: an item that
 * holds any Salesforce Id, or that the sync links to a record already, belongs to that record; an
 * item an earlier record of `wanted` takes is taken for the ones after it (as if they ran one after
 * the other). A record with no entry matched nothing.
 */
export async function matchItemsByRules<K>(
  monday: MondayPort,
  boardId: string,
  wanted: readonly MatchWanted<K>[],
  options: { linkedItems: (itemIds: readonly string[]) => Promise<Map<string, string>>; countRequest: () => void },
): Promise<Map<K, RulesMatch>> {
  const readColumns = [...new Set(wanted.map((w) => w.salesforceIdColumn))];
  const candidates = await findItemsByMatch(monday, boardId, wanted, { readColumns, countRequest: options.countRequest });
  const linked = await options.linkedItems([...new Set([...candidates.values()].flat().map((i) => i.id))]);
  const matches = new Map<K, RulesMatch>();
  const taken = new Set<string>();
  for (const w of wanted) {
    const free = (candidates.get(w.key) ?? []).filter((item) => !linked.has(item.id) && !taken.has(item.id) && !holdsAnId(item, w.salesforceIdColumn));
    if (free.length > 1) matches.set(w.key, { kind: 'ambiguous', items: free, conditions: w.conditions });
    else if (free[0]) {
      matches.set(w.key, { kind: 'item', item: free[0] });
      taken.add(free[0].id);
    }
  }
  return matches;
}

function holdsAnId(item: MondayItem, salesforceIdColumn: string): boolean {
  return (item.columnValues.find((v) => v.id === salesforceIdColumn)?.text?.trim() ?? '') !== '';
}

/**
 * The conditions of the object's `match:` fields for a record, from the values a create would
 * write (field key -> value in Salesforce form). A field with no value is left out, as on the
 * Salesforce side; no condition at all means "do not match".
 */
export function matchConditions(object: ResolvedObject, values: WrittenValues | undefined): MatchCondition[] {
  if (!values) return [];
  const conditions: MatchCondition[] = [];
  for (const name of object.mapping.match) {
    const fields = (object.fieldsBySalesforceName.get(name) ?? []).filter((f) => f.salesforceFields.length === 1);
    // A field mirrored into a column and into the item name: the column is the more specific.
    const field = fields.find((f) => f.key !== NAME_KEY) ?? fields[0];
    if (!field) continue;
    const value = values[field.key];
    if (value === undefined || value === null || Array.isArray(value) || (typeof value === 'string' && value.trim() === '')) continue;
    conditions.push({ field, value });
  }
  return conditions;
}

/** A string compared as a person reads it: trimmed, whitespace runs folded to one space, case folded. */
export function normalizedText(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Items of the board that meet every condition of each wanted record, compared in Salesforce form
 * through the field's converter (strings normalised, so e-mails compare case-insensitively and names
 * ignore case and spacing). One items_page_by_column_values request (plus its pages) per set of
 * match columns in the batch, never one per record: each column carries the spellings of all the
 * batch's values, and only the match columns and `readColumns` are read, to keep the query's
 * complexity small. Returns candidates per key; deciding what to do with them is the caller's.
 */
async function findItemsByMatch<K>(
  monday: MondayPort,
  boardId: string,
  wanted: readonly Omit<MatchWanted<K>, 'salesforceIdColumn'>[],
  options: { readColumns: readonly string[]; countRequest: () => void },
): Promise<Map<K, MondayItem[]>> {
  const found = new Map<K, MondayItem[]>();
  const bySignature = new Map<string, Array<Omit<MatchWanted<K>, 'salesforceIdColumn'>>>();
  for (const w of wanted) {
    if (w.conditions.length === 0) continue;
    const signature = w.conditions.map((c) => c.field.key).sort().join('\u0000');
    const same = bySignature.get(signature);
    if (same) same.push(w);
    else bySignature.set(signature, [w]);
  }
  for (const group of bySignature.values()) {
    const filters = new Map<string, Set<string>>();
    for (const w of group) {
      for (const condition of w.conditions) {
        const columnId = condition.field.key === NAME_KEY ? NAME_COLUMN : condition.field.key;
        const spellings = filters.get(columnId) ?? new Set<string>();
        for (const text of searchTexts(condition)) spellings.add(text);
        filters.set(columnId, spellings);
      }
    }
    const columns: ColumnValuesFilter[] = [...filters].map(([columnId, values]) => ({ columnId, values: [...values] }));
    const columnIds = [...new Set([...columns.map((c) => c.columnId).filter((id) => id !== NAME_COLUMN), ...options.readColumns])];
    options.countRequest();
    const items = (await monday.findItemsByColumnValues(boardId, columns, { columnIds })).filter((item) => item.state === 'active');
    for (const [key, matching] of matchAgainst(items, group)) found.set(key, matching);
  }
  return found;
}

/**
 * The items meeting every condition of each wanted record. Each item's values are converted once,
 * and items are indexed by the normalised text of the first match field, so a batch of 500 records
 * against 500 returned items compares a few pairs per record, not 250,000.
 */
function matchAgainst<K>(items: readonly MondayItem[], group: ReadonlyArray<Omit<MatchWanted<K>, 'salesforceIdColumn'>>): Map<K, MondayItem[]> {
  const held = new Map<string, SalesforceValue | undefined>();
  const heldValue = (item: MondayItem, field: ResolvedField): SalesforceValue | undefined => {
    const cacheKey = `${item.id}\u0000${field.key}`;
    if (!held.has(cacheKey)) held.set(cacheKey, readHeld(item, field));
    return held.get(cacheKey);
  };
  const indexField = group[0]?.conditions[0]?.field;
  const byText = new Map<string, MondayItem[]>();
  const notText: MondayItem[] = [];
  for (const item of indexField ? items : []) {
    const value = heldValue(item, indexField as ResolvedField);
    if (typeof value === 'string') {
      const text = normalizedText(value);
      const same = byText.get(text);
      if (same) same.push(item);
      else byText.set(text, [item]);
    } else if (value !== undefined && value !== null) notText.push(item);
  }
  const found = new Map<K, MondayItem[]>();
  for (const w of group) {
    const indexed = w.conditions.find((c) => c.field.key === indexField?.key);
    const pool = typeof indexed?.value === 'string' ? [...(byText.get(normalizedText(indexed.value)) ?? []), ...notText] : items;
    found.set(w.key, pool.filter((item) => w.conditions.every((c) => meets(heldValue(item, c.field), c))));
  }
  return found;
}

/** "Email = "ada@example.org" and Company = "Acme"" for messages. */
export function describeConditions(conditions: readonly MatchCondition[]): string {
  return conditions.map((c) => `${c.field.salesforceFields[0]} = ${JSON.stringify(c.value)}`).join(' and ');
}

/** What the item holds in the field, in Salesforce form (undefined: not readable as a value). */
function readHeld(item: MondayItem, field: ResolvedField): SalesforceValue | undefined {
  if (field.key === NAME_KEY) return item.name;
  const cell = item.columnValues.find((v) => v.id === field.key);
  if (!cell) return undefined;
  const converted = field.converter.fromMondayApi({ value: cell.value, text: cell.text, ...(cell.linkedItemIds ? { linkedItemIds: cell.linkedItemIds } : {}) });
  return converted.kind === 'value' ? converted.value : undefined;
}

function meets(held: SalesforceValue | undefined, condition: MatchCondition): boolean {
  if (held === undefined || held === null) return false;
  if (typeof held === 'string' && typeof condition.value === 'string') return normalizedText(held) === normalizedText(condition.value);
  return condition.field.converter.equals(held, condition.value);
}

/**
 * The cell texts monday may show for the value (the search compares cell texts exactly): the text
 * the column would show after our write, the value as Salesforce holds it, and their trimmed and
 * lower-cased spellings, so an item typed in another case is found and then compared normalised.
 */
function searchTexts(condition: MatchCondition): string[] {
  const shown: string[] = [];
  const converted = condition.field.converter.toMonday(condition.value);
  if (converted.kind === 'value') shown.push(...displayTexts(converted.value));
  if (typeof condition.value === 'string' || typeof condition.value === 'number') shown.push(String(condition.value));
  const spellings = new Set<string>();
  for (const text of shown) {
    for (const spelling of [text, text.trim(), text.trim().replace(/\s+/g, ' '), text.trim().toLowerCase(), normalizedText(text)]) {
      if (spelling !== '') spellings.add(spelling);
    }
  }
  return [...spellings];
}

/** What a column shows for a write value: the string itself, or the text-bearing keys of an object value. */
function displayTexts(write: JsonValue): string[] {
  if (typeof write === 'string') return [write];
  if (typeof write === 'number') return [String(write)];
  if (write === null || typeof write !== 'object' || Array.isArray(write)) return [];
  const record = write as { readonly [key: string]: JsonValue };
  return ['text', 'email', 'phone', 'url', 'label'].map((key) => record[key]).filter((v): v is string => typeof v === 'string');
}
