import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { SalesforceApiError } from '../errors';

export type LineEnding = 'LF' | 'CRLF';
export type ColumnDelimiter = 'COMMA' | 'TAB' | 'PIPE' | 'SEMICOLON' | 'CARET' | 'BACKQUOTE';

const DELIMITERS: Record<ColumnDelimiter, string> = {
  COMMA: ',',
  TAB: '\t',
  PIPE: '|',
  SEMICOLON: ';',
  CARET: '^',
  BACKQUOTE: '`',
};

export interface CsvFormat {
  lineEnding: LineEnding;
  columnDelimiter: ColumnDelimiter;
}

export function csvFormatOf(raw: { lineEnding?: unknown; columnDelimiter?: unknown }): CsvFormat {
  const lineEnding = raw.lineEnding ?? 'LF';
  const columnDelimiter = raw.columnDelimiter ?? 'COMMA';
  if (lineEnding !== 'LF' && lineEnding !== 'CRLF') {
    throw SalesforceApiError.of(400, 'INVALIDJOB', `Invalid line ending: ${String(lineEnding)}`);
  }
  if (typeof columnDelimiter !== 'string' || !(columnDelimiter in DELIMITERS)) {
    throw SalesforceApiError.of(400, 'INVALIDJOB', `Invalid column delimiter: ${String(columnDelimiter)}`);
  }
  return { lineEnding, columnDelimiter: columnDelimiter as ColumnDelimiter };
}

/** Result CSV as Bulk 2.0 writes it: every value quoted, header first. */
export function toCsv(header: string[], rows: string[][], format: CsvFormat): string {
  return stringify([header, ...rows], {
    quoted: true,
    quoted_empty: true,
    delimiter: DELIMITERS[format.columnDelimiter],
    record_delimiter: format.lineEnding === 'CRLF' ? '\r\n' : '\n',
  });
}

export function parseCsv(text: string, format: CsvFormat): { header: string[]; rows: string[][] } {
  const records = parse(text, {
    delimiter: DELIMITERS[format.columnDelimiter],
    relax_column_count: false,
    skip_empty_lines: true,
    bom: true,
  }) as string[][];
  const [header = [], ...rows] = records;
  return { header: header.map((h) => h.trim()), rows };
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}
