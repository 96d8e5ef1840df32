import { copyRow } from '../../src/database/copy-text';
import { decisionRow } from '../../src/sync-projector/rebuild';
import type { DecisionRow } from '../../src/sync-projector/sync-records.repository';

/** decisionRow (replay's hot path, its middle columns made once per combination) is copyRow of the row's columns. */
function expected(row: DecisionRow): string {
  const { outcome } = row;
  return copyRow([row.position, row.recordId, row.eventType, outcome.outcome, outcome.reason ?? null, outcome.detail ? JSON.stringify(outcome.detail) : null, row.commands]);
}

describe('replay decision rows in COPY text', () => {
  const rows: DecisionRow[] = [
    { position: 1, recordId: 7, eventType: 'monday.column_changed', outcome: { outcome: 'projected' }, commands: 1 },
    { position: 2, recordId: null, eventType: 'monday.column_changed', outcome: { outcome: 'skipped', reason: 'unmapped_board', detail: { boardId: '12' } }, commands: 0 },
    { position: 3, recordId: 7, eventType: 'salesforce.record_changed', outcome: { outcome: 'skipped', reason: 'own_echo' }, commands: 0 },
    // Backslashes, tabs and newlines in every text column are escaped.
    { position: 4, recordId: 8, eventType: 'a\tb', outcome: { outcome: 'dead_lettered', reason: 'bad\\value\nhere', detail: { message: 'tab\there "quoted" back\\slash', nested: { line: 'a\nb' } } }, commands: 2 },
    { position: 5, recordId: 8, eventType: 'a\tb', outcome: { outcome: 'dead_lettered', reason: 'bad\\value\nhere' }, commands: 0 },
  ];

  it('equals copyRow of the same columns, the first time and when the combination is seen again', () => {
    for (const row of [...rows, ...rows]) expect(decisionRow(row)).toBe(expected(row));
  });

  it('escapes what COPY text needs (one line per row, tab-separated)', () => {
    const line = decisionRow(rows[3]);
    expect(line.split('\n')).toHaveLength(2);
    expect(line.split('\t')).toHaveLength(7);
    expect(line).toContain('a\\tb\tdead_lettered\tbad\\\\value\\nhere\t');
  });
});
