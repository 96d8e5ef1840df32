import { closestNames } from './closest-names';
import { compatibleColumnTypes } from './converters/converter-registry';
import { fieldEntryFor, objectKeyFor, type InitFieldEntry, type ValueGaps } from './init-field-entry';
import { chooseNameField, type NameFieldChoice } from './init-name-field';
import { matchRank, titleCandidates, type MatchKind } from './init-title-match';
import type { MondayBoardSchema, MondayColumnSchema, SalesforceFieldSchema, SalesforceObjectSchema } from './live-schema';

export { objectKeyFor, type InitFieldEntry, type ValueGaps } from './init-field-entry';

/**
 * `crm-sync init` as a pure function: from a board and an sObject describe, the starting mapping
 * of one object (columns matched to fields by title) and what is left for the user to map.
 */

export interface InitMappingInput {
  readonly board: MondayBoardSchema;
  readonly object: SalesforceObjectSchema;
  /** The text column holding the Salesforce Id (found on the board, or created by init). */
  readonly salesforceIdColumn: string;
  /** Object key under `objects:`; default from the object name (objectKeyFor). */
  readonly key?: string;
}

export interface InitPair {
  readonly column: MondayColumnSchema;
  readonly field: SalesforceFieldSchema;
  readonly matchedBy: MatchKind;
  readonly entry: InitFieldEntry;
  /** Comments for the entry (read-only field, ...). */
  readonly notes: readonly string[];
  /** Picklist values and labels with no partner, for a `values` map the user completes. */
  readonly gaps?: ValueGaps;
}

/** A lookup <-> board relation pair whose target object is not in the file yet. */
export interface PendingRelation {
  readonly column: MondayColumnSchema;
  readonly field: SalesforceFieldSchema;
  readonly entry: InitFieldEntry;
  readonly target: string;
  readonly targetKey: string;
  /** Boards the relation column links (where the target object's items live). */
  readonly boardIds: readonly string[];
}

export interface UnmatchedColumn {
  readonly column: MondayColumnSchema;
  readonly reason: string;
}

export interface UnmatchedField {
  readonly field: SalesforceFieldSchema;
  /** monday column types this field can map to. */
  readonly fits: readonly string[];
}

export interface InitMapping {
  readonly key: string;
  readonly board: MondayBoardSchema;
  readonly object: SalesforceObjectSchema;
  readonly salesforceIdColumn: string;
  readonly name: NameFieldChoice;
  readonly pairs: readonly InitPair[];
  readonly pendingRelations: readonly PendingRelation[];
  readonly unmatchedColumns: readonly UnmatchedColumn[];
  /** Writable fields no column carries (read-only and system fields are left out). */
  readonly unmatchedFields: readonly UnmatchedField[];
  /** Required fields a record created from monday would miss. */
  readonly requiredUnmapped: readonly string[];
}

/** Never matched: the Id lives in salesforceIdColumn, the rest is bookkeeping no one edits. */
const SYSTEM_FIELDS = new Set(['Id', 'IsDeleted', 'SystemModstamp', 'LastViewedDate', 'LastReferencedDate', 'MasterRecordId']);

export function buildInitMapping(input: InitMappingInput): InitMapping {
  const { board, object } = input;
  const key = input.key ?? objectKeyFor(object.name);
  const context = { objectName: object.name, objectKey: key, boardId: board.id };
  const fields = object.fields.filter((f) => f.type !== 'id' && !SYSTEM_FIELDS.has(f.name));
  const columns = board.columns.filter((c) => c.type !== 'name' && c.id !== input.salesforceIdColumn);
  const columnOrder = new Map(columns.map((c, i) => [c.id, i]));

  // Best matches first across the board, so "Stage" -> StageName loses to a column titled "Stage Name".
  const candidates = titleCandidates(columns, fields, [object.name, object.label ?? object.name]).sort(
    (a, b) => matchRank(a.matchedBy) - matchRank(b.matchedBy) || (columnOrder.get(a.column.id) ?? 0) - (columnOrder.get(b.column.id) ?? 0),
  );
  const pairs: InitPair[] = [];
  const pending: PendingRelation[] = [];
  const takenColumns = new Set<string>();
  const takenFields = new Set<string>();
  const columnReasons = new Map<string, string>();
  for (const { column, field, matchedBy } of candidates) {
    if (takenColumns.has(column.id) || takenFields.has(field.name)) {
      if (!takenColumns.has(column.id) && !columnReasons.has(column.id)) {
        columnReasons.set(column.id, `its title matches ${field.name}, which another column already carries`);
      }
      continue;
    }
    const choice = fieldEntryFor(column, field, context);
    if (choice.kind === 'no_conversion') {
      if (!columnReasons.has(column.id)) columnReasons.set(column.id, choice.reason);
      continue;
    }
    takenColumns.add(column.id);
    takenFields.add(field.name);
    if (choice.kind === 'needs_object') pending.push({ column, field, entry: choice.entry, target: choice.target, targetKey: choice.targetKey, boardIds: choice.boardIds });
    else pairs.push({ column, field, matchedBy, entry: choice.entry, notes: choice.notes, ...(choice.gaps ? { gaps: choice.gaps } : {}) });
  }

  const name = chooseNameField(object, new Set(pairs.map((p) => p.field.name)));
  const nameColumn = pairs.find((p) => p.field.name === name.name);
  const kept = pairs.filter((p) => p !== nameColumn).sort(byColumn(columnOrder));
  if (nameColumn) columnReasons.set(nameColumn.column.id, `its title matches ${name.name}, which is the item name (name: ${name.name})`);
  const mapped = new Set([name.name, ...kept.map((p) => p.field.name), ...pending.map((p) => p.field.name)]);
  const carried = new Set([...kept.map((p) => p.column.id), ...pending.map((p) => p.column.id)]);

  return {
    key,
    board,
    object,
    salesforceIdColumn: input.salesforceIdColumn,
    name,
    pairs: kept,
    pendingRelations: pending.sort(byColumn(columnOrder)),
    unmatchedColumns: columns.filter((c) => !carried.has(c.id)).map((column) => ({ column, reason: columnReasons.get(column.id) ?? noTitleMatch(column, fields) })),
    unmatchedFields: fields
      .filter((f) => !mapped.has(f.name) && (f.createable || f.updateable))
      .map((field) => ({ field, fits: columnTypesFor(field) }))
      .filter((u) => u.fits.length > 0),
    requiredUnmapped: object.fields
      .filter((f) => f.createable && !f.nillable && !f.defaultedOnCreate && !kept.some((p) => p.field.name === f.name) && f.name !== name.name)
      .map((f) => f.name),
  };
}

/** The `objects.<key>` entry of the file, in the order of interface.md section 2. */
export function initObjectEntry(mapping: InitMapping): Record<string, unknown> {
  return {
    salesforce: mapping.object.name,
    monday: { board: mapping.board.id, salesforceIdColumn: mapping.salesforceIdColumn },
    name: mapping.name.name,
    create: { salesforce: true, monday: true },
    delete: 'archive',
    fields: mapping.pairs.map((p) => p.entry),
  };
}

/** Column types to suggest for a field: not the item name, and for lookups only what init itself maps them to. */
function columnTypesFor(field: SalesforceFieldSchema): string[] {
  const fits = compatibleColumnTypes(field).filter((type) => type !== 'name');
  return field.type === 'reference' ? fits.filter((type) => type === 'board_relation' || type === 'people') : fits;
}

function byColumn(order: ReadonlyMap<string, number>): (a: { column: MondayColumnSchema }, b: { column: MondayColumnSchema }) => number {
  return (a, b) => (order.get(a.column.id) ?? 0) - (order.get(b.column.id) ?? 0);
}

function noTitleMatch(column: MondayColumnSchema, fields: readonly SalesforceFieldSchema[]): string {
  if (column.type === 'timeline') return 'a timeline maps to two date fields: salesforce: [StartField, EndField]';
  const guesses = closestNames(column.title, fields.map((f) => f.label)).flatMap((label) => fields.filter((f) => f.label === label).map((f) => f.name));
  return `no field is titled like it${guesses.length ? ` (close: ${[...new Set(guesses)].join(', ')})` : ''}`;
}
