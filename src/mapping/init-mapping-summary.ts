import type { InitMapping } from './init-mapping';

/** What `crm-sync init` prints: the matched pairs and what found no partner, one item per line. */
export function summarizeInitMapping(mapping: InitMapping): string[] {
  const { board, object, pairs } = mapping;
  const lines = [`${object.name} <-> board "${board.name}" (${board.id}): object key ${mapping.key}, item name from ${mapping.name.name}`];
  lines.push(`matched ${pairs.length} column(s) to fields:`);
  for (const pair of pairs) {
    const values = pair.entry.values ? `, values for ${Object.keys(pair.entry.values).length}` : '';
    const left = pair.gaps ? ` (left to map: ${pair.gaps.picklistValues.length} value(s), ${pair.gaps.labels.length} label(s))` : '';
    const oneWay = pair.entry.authority === 'salesforce' ? ', Salesforce -> monday only' : '';
    const reference = pair.entry.reference ? `, reference ${pair.entry.reference}` : '';
    lines.push(`  "${pair.column.title}" (${pair.column.id}) <-> ${pair.field.name}${reference}${oneWay}${values}${left}`);
  }
  for (const relation of mapping.pendingRelations) {
    lines.push(`  "${relation.column.title}" (${relation.column.id}) <-> ${relation.field.name}: commented out until objects.${relation.targetKey} (${relation.target}) is mapped`);
  }
  const columns = mapping.unmatchedColumns.map((u) => `"${u.column.title}" (${u.column.id})`);
  lines.push(`unmatched columns (${columns.length}): ${columns.length > 0 ? columns.join(', ') : 'none'}`);
  const fields = mapping.unmatchedFields.map((u) => u.field.name);
  lines.push(`unmatched fields (${fields.length}): ${fields.length > 0 ? fields.join(', ') : 'none'}`);
  if (mapping.requiredUnmapped.length > 0) {
    lines.push(`required for creating ${object.name} records from monday but not mapped: ${mapping.requiredUnmapped.join(', ')}`);
  }
  return lines;
}
