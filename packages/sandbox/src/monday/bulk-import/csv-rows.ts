import { parse } from 'csv-parse/sync';

export interface ParsedCsv {
  header: string[];
  rows: string[][];
}

/** RFC 4180, comma-separated, first row the header of column ids; throws a message for INVALID_UPLOAD. */
export function parseImportCsv(text: string): ParsedCsv {
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: false, skip_empty_lines: true, bom: true }) as string[][];
  } catch (error) {
    throw new Error(`CSV parse failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (records.length === 0) throw new Error('the file is empty: a header row of column ids is required');
  const [header, ...rows] = records;
  const trimmed = header.map((h) => h.trim());
  if (!trimmed.includes('name')) throw new Error('bad header: the "name" column is required');
  const seen = new Set<string>();
  for (const id of trimmed) {
    if (id === '') throw new Error('bad header: an empty column id');
    if (seen.has(id)) throw new Error(`bad header: column ${id} appears twice`);
    seen.add(id);
  }
  return { header: trimmed, rows };
}
