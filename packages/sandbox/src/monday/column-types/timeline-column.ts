import { columnValueError } from '../errors';
import { defineColumnType } from './column-type';
import { isClearing, isRecord, isValidDate, unsupportedSimple } from './parse-helpers';

const INTERNAL = 'timerange';

export interface TimelineData {
  from: string;
  to: string;
}

function writeJson(input: unknown): TimelineData | null {
  if (isClearing(input)) return null;
  if (isRecord(input) && typeof input.from === 'string' && typeof input.to === 'string') {
    if (!isValidDate(input.from) || !isValidDate(input.to)) {
      throw columnValueError(INTERNAL, 'from and to must be valid dates in YYYY-MM-DD format', { column_value: input });
    }
    if (input.from > input.to) throw columnValueError(INTERNAL, 'from must not be after to', { column_value: input });
    return { from: input.from, to: input.to };
  }
  throw columnValueError(INTERNAL, 'timeline takes {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}', { column_value: input });
}

/** timeline: write `{"from","to"}`; no simple syntax; text `from - to` (5.1, separator unconfirmed). */
export const timelineColumn = defineColumnType<TimelineData>({
  type: 'timeline',
  internalType: INTERNAL,
  legacyErrorType: 'TimelineColumn',
  defaultSettings: () => ({}),
  writeJson,
  writeSimple: () => unsupportedSimple(INTERNAL),
  value: (d, changedAt) => ({ from: d.from, to: d.to, changed_at: changedAt }),
  text: (d) => (d ? `${d.from} - ${d.to}` : ''),
  typed: (d, changedAt) => ({ from: d?.from ?? null, to: d?.to ?? null, visualization_type: null, updated_at: changedAt }),
  webhookValue: (d, changedAt) => ({ from: d.from, to: d.to, visualization_type: null, changed_at: changedAt }),
  matchKeys: (d) => (d ? [d.from, d.to] : []),
  sortKey: (d) => d?.from ?? null,
});
