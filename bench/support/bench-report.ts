/**
 * How every bench reports: a small table for people, then exactly one JSON line (prefixed so
 * bench/run-all.ts can pick it out of the output) for tools.
 */
export const JSON_LINE_PREFIX = 'BENCH_RESULT ';

export type Row = Record<string, string | number | boolean | null>;

export interface BenchResult {
  bench: string;
  /** Targets and whether they were met, e.g. { "events_per_s >= 5000": true }. */
  targets?: Record<string, boolean>;
  rows: Row[];
  notes?: string[];
}

export function printTable(rows: Row[]): void {
  if (rows.length === 0) return;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'number' ? formatNumber(v) : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]): string => values.map((v, i) => v.padStart(widths[i])).join('  ');
  process.stdout.write(`${line(columns)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(columns.map((c) => cell(row[c])))}\n`);
}

export function report(result: BenchResult): void {
  process.stdout.write('\n');
  printTable(result.rows);
  for (const [target, met] of Object.entries(result.targets ?? {})) process.stdout.write(`target ${target}: ${met ? 'met' : 'NOT met'}\n`);
  for (const note of result.notes ?? []) process.stdout.write(`note: ${note}\n`);
  process.stdout.write(`${JSON_LINE_PREFIX}${JSON.stringify(result)}\n`);
}

/** Nearest-rank percentile of an unsorted sample (sorts a copy). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 0 : 2);
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
