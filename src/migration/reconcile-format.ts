import type { SalesforceValue } from '../mapping/converters/converter.types';
import type { Drift, ObjectReport, ReconcileReport } from './reconcile-drift';

const MAX_CELL = 40;

/** The report as the terminal shows it: one summary line per object, then a table of its drift. */
export function formatReconcileTable(report: ReconcileReport): string {
  const lines: string[] = [];
  for (const object of report.objects) {
    lines.push(summaryLine(object));
    if (object.drifts.length === 0) continue;
    lines.push(...table(['kind', 'salesforce id', 'item', 'name', 'field', 'salesforce', 'monday', 'fix keeps', 'detail'], object.drifts.map(row)), '');
  }
  const fixed = report.fix ? `; --fix appended ${report.fix.eventsAppended} corrective snapshot(s): the running service repairs them` : '';
  lines.push(report.driftCount === 0 ? 'no drift: both CRMs agree through the mapping' : `${report.driftCount} drift(s) found${fixed}`);
  return `${lines.join('\n')}\n`;
}

function summaryLine(object: ObjectReport): string {
  return `${object.objectKey} (${object.salesforceObject} <-> board ${object.boardId}): ${object.salesforceRecords} records, ${object.mondayItems} items, ${object.comparedPairs} linked pairs compared, ${object.drifts.length} drift(s)`;
}

function row(drift: Drift): string[] {
  return [
    drift.kind,
    drift.salesforceId ?? '',
    drift.itemId ?? '',
    drift.name ?? '',
    drift.kind === 'value_differs' ? `${drift.column} / ${drift.salesforceField}` : '',
    drift.kind === 'value_differs' ? show(drift.salesforceValue) : '',
    drift.kind === 'value_differs' ? (drift.mondayValue === undefined ? '(unreadable)' : show(drift.mondayValue)) : '',
    drift.fix,
    drift.detail ?? '',
  ];
}

function show(value: SalesforceValue | undefined): string {
  if (value === undefined || value === null) return '(empty)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function table(header: string[], rows: string[][]): string[] {
  const cells = [header, ...rows].map((r) => r.map((c) => clip(c.replace(/\s+/g, ' '))));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const render = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [render(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(render)];
}

function clip(text: string): string {
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}
