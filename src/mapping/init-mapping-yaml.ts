import { Document, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { initObjectEntry, type InitMapping, type InitPair, type PendingRelation } from './init-mapping';

export interface RenderOptions {
  /** Where editors find mapping.schema.json, relative to the written file (or absolute). */
  readonly schema: string;
  /** The Salesforce Id column was created by this run (said next to it). */
  readonly idColumnCreated?: boolean;
}

const WIDTH = 100;

/**
 * The mapping file `crm-sync init` writes: YAML with comments that say what to review, the values
 * and columns left to map, and board relations to objects the file does not map yet (commented out).
 */
export function renderInitMappingYaml(mapping: InitMapping, options: RenderOptions): string {
  const doc = new Document({ objects: { [mapping.key]: initObjectEntry(mapping) } });
  doc.commentBefore = [` yaml-language-server: $schema=${options.schema}`, '', ...header(mapping).map((line) => ` ${line}`)].join('\n');

  const object = doc.getIn(['objects', mapping.key], true);
  if (!isMap(object)) throw new Error('the object entry did not render as a map');
  const board = mapping.board;
  trail(object, ['salesforce'], mapping.object.label && mapping.object.label !== mapping.object.name ? mapping.object.label : undefined);
  trail(object, ['monday', 'board'], `"${board.name}"`);
  const idColumn = board.columns.find((c) => c.id === mapping.salesforceIdColumn);
  trail(object, ['monday', 'salesforceIdColumn'], `"${idColumn?.title ?? 'Salesforce Id'}" text column${options.idColumnCreated ? ', created by crm-sync init' : ''}`);
  trail(object, ['name'], mapping.name.note ?? 'mirrored into the item name');
  trail(object, ['create', 'salesforce'], 'new monday item -> new Salesforce record');
  trail(object, ['create', 'monday'], 'new Salesforce record -> new monday item');
  trail(object, ['delete'], 'none | archive | delete: what a delete on one side does on the other');
  if (mapping.requiredUnmapped.length > 0) {
    before(object, 'create', [
      ` creating ${mapping.object.name} records from monday needs ${mapping.requiredUnmapped.join(', ')}, which no column carries:`,
      ' map them below, or set create.salesforce: false',
    ]);
  }
  before(object, 'fields', [' Column <-> field pairs matched by title: check each one. authority: both (the default) lets either', ' side change a field; salesforce or monday makes it one-way.']);

  const fields = object.get('fields', true);
  if (isSeq(fields)) decorateFields(fields, mapping);
  doc.comment = trailer(mapping).map((line) => (line === '' ? '' : ` ${line}`)).join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** The same mapping as JSON (no comments), for `--out *.json`. */
export function renderInitMappingJson(mapping: InitMapping, options: RenderOptions): string {
  return `${JSON.stringify({ $schema: options.schema, objects: { [mapping.key]: initObjectEntry(mapping) } }, null, 2)}\n`;
}

function header(mapping: InitMapping): string[] {
  const { board, object } = mapping;
  return [
    'crm-sync mapping written by `crm-sync init`:',
    `monday board "${board.name}" (${board.id}) <-> Salesforce ${object.name}, ${mapping.pairs.length} column(s) matched to fields by title.`,
    'It is a starting point: review it, then run `crm-sync check` (it validates the file against both',
    'CRMs) before `crm-sync start`. Things to review:',
    '- each pair under fields: a title match can be wrong, and a column can be missing;',
    '- values: maps (Salesforce value: monday label) hold the values whose label is the same word;',
    '  the comments above them list values and labels left to map (unmapped values pass through as is);',
    '- name, create and delete below; authority for fields only one side should change;',
    '- the end of the file: columns and fields that found no partner.',
    'The file format is described in docs/mapping.md. More objects go under objects: as further keys.',
  ];
}

function decorateFields(fields: YAMLSeq, mapping: InitMapping): void {
  fields.items.forEach((item, index) => {
    const pair = mapping.pairs[index];
    if (!pair || !isMap(item)) return;
    const notes = [...pair.notes, ...gapNotes(pair)];
    // A short entry reads best on one line with its column's title after it; a `values` map goes in block style.
    if (item.get('values') === undefined) {
      item.flow = true;
      item.comment = ` ${pairLabel(pair)}`;
    } else notes.unshift(pairLabel(pair));
    if (notes.length > 0) item.commentBefore = notes.flatMap((note) => wrap(note, WIDTH)).map((line) => ` ${line}`).join('\n');
  });
  if (mapping.pendingRelations.length > 0) fields.comment = pendingComment(mapping.pendingRelations).map((line) => ` ${line}`).join('\n');
}

function pairLabel(pair: InitPair): string {
  const how = pair.matchedBy === 'synonym' ? ', matched by a synonym' : pair.matchedBy === 'label' ? `, matched by the label "${pair.field.label}"` : '';
  return `"${pair.column.title}" (${pair.column.type}) <-> ${pair.field.type}${how}`;
}

function gapNotes(pair: InitPair): string[] {
  const gaps = pair.gaps;
  if (!gaps) return [];
  const notes: string[] = [];
  const restricted = pair.field.restrictedPicklist;
  if (gaps.picklistValues.length > 0) {
    notes.push(`${pair.field.name} values with no label on "${pair.column.title}" (map them under values: as "Value: Label"): ${gaps.picklistValues.join(', ')}`);
  }
  if (gaps.labels.length > 0) {
    const fate = restricted ? 'restricted picklist: Salesforce rejects them' : 'they reach Salesforce as they are';
    notes.push(`labels with no ${pair.field.name} value (${fate}): ${gaps.labels.join(', ')}`);
  }
  return notes;
}

function pendingComment(pending: readonly PendingRelation[]): string[] {
  const lines = ['Board relations to objects this file does not map yet. Add each object under objects: (e.g. run'];
  lines.push('`crm-sync init --board ID --object NAME --out other.yaml` and copy its entry), then uncomment:');
  for (const relation of pending) {
    const boards = relation.boardIds.length > 0 ? ` on board ${relation.boardIds.join(' or ')}` : '';
    lines.push(`- { salesforce: ${relation.field.name}, monday: ${relation.column.id}, reference: ${relation.targetKey} }   # "${relation.column.title}": ${relation.target} items${boards}`);
  }
  return lines;
}

function trailer(mapping: InitMapping): string[] {
  const lines: string[] = [];
  if (mapping.unmatchedColumns.length > 0) {
    lines.push(`Columns of "${mapping.board.name}" with no field (map them by hand, or leave them out):`);
    for (const { column, reason } of mapping.unmatchedColumns) lines.push(...wrap(`  ${column.id} "${column.title}" (${column.type}): ${reason}`, WIDTH, '    '));
  }
  if (mapping.unmatchedFields.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(`${mapping.object.name} fields with no column (add a column of a fitting type, then a line under fields:):`);
    for (const { field, fits } of mapping.unmatchedFields) lines.push(`  ${field.name} (${field.type}): ${fits.join(', ')}`);
  }
  return lines;
}

/** Sets the comment after a scalar value at `path` under `map`. */
function trail(map: YAMLMap, path: readonly string[], comment: string | undefined): void {
  if (comment === undefined) return;
  const node: unknown = map.getIn(path, true);
  if (isScalar(node)) node.comment = ` ${comment}`;
}

/** Sets the comment lines above `key` in `map`. */
function before(map: YAMLMap, key: string, lines: readonly string[]): void {
  const pair = map.items.find((p: Pair<unknown, unknown>) => isScalar(p.key) && p.key.value === key);
  if (pair && isScalar(pair.key)) (pair.key as Node).commentBefore = lines.join('\n');
}

function wrap(text: string, width: number, indent = '  '): string[] {
  const lead = /^ */.exec(text)?.[0] ?? '';
  const lines: string[] = [];
  let line = lead;
  for (const word of text.trim().split(/ +/)) {
    if (line.trim() !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `${indent}${word}`;
    } else line = line.trim() === '' ? `${line}${word}` : `${line} ${word}`;
  }
  if (line.trim() !== '') lines.push(line);
  return lines;
}
